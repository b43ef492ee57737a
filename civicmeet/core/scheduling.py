"""Recurring background work with django-tasks: tasks that keep one future run of themselves queued.

django-tasks has no scheduler and no "worker started" signal. A recurring task therefore queues its
own next run when it finishes (`schedule_once`), and a `post_migrate` handler — every deployment
runs `migrate` — makes sure one run is waiting (`schedule_after_migrate`). With a backend that
cannot defer (the immediate backend in tests) nothing is scheduled: the matching management
command does the same work from cron.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS as DB_ALIAS
from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from civicmeet.core.lookups import PreparedQuery

logger = logging.getLogger(__name__)


def _waiting_run(task_path: str, backend: str):
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=task_path, backend_name=backend, status="READY")
    return waiting.order_by().values_list("pk")[:1]


_WAITING_RUN = PreparedQuery(_waiting_run, "task_path", "backend")


def has_queued_run(task) -> bool | None:
    """Whether a run of `task` is waiting in the database backend's queue (None: cannot be known).

    Asked without building the query each time: the registration path asks after every commit."""
    from django_tasks_db import DatabaseBackend

    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return None
    return _WAITING_RUN.fetchone(connections[DB_ALIAS], task_path=task.module_path, backend=backend.alias) is not None


def schedule_once(task, run_after: datetime | None = None) -> bool:
    """Queue a run of `task` at `run_after` (default: now) unless one is already waiting.

    Returns True if it queued one. Two runs queued by a race settle back to one chain, because
    each run only queues the next when none is waiting.
    """
    if not task.get_backend().supports_defer:
        return False
    if has_queued_run(task):
        return False
    task.using(run_after=run_after or timezone.now()).enqueue()
    return True


def schedule_after_migrate(task, description: str) -> Callable[..., None]:
    """A post_migrate handler that makes sure `task` has a run queued.

    Not after `flush` (tests send post_migrate without a plan then), and never fatal: a missing
    task table (a partial migrate) only means the next migrate or the command schedules it.
    """

    def handler(*, using: str = "default", **kwargs) -> None:
        if kwargs.get("plan") is None or using != "default":
            return
        try:
            with transaction.atomic(using=using):
                if schedule_once(task):
                    logger.info("Scheduled %s.", description)
        except DatabaseError:
            logger.warning("Could not schedule %s; run its management command from cron.", description)

    return handler
