"""The daily data-protection purge as a django-tasks task that keeps itself scheduled.

With a backend that can defer (the database backend, `manage.py db_worker`), each run queues the
next one for the following night, and `ensure_purge_scheduled()` (called after `migrate` and by
the `purge_personal_data` command) makes sure exactly one future run is waiting. With a backend
that cannot defer, nothing is scheduled: run `manage.py purge_personal_data` from cron instead.
"""

from __future__ import annotations

import logging
import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django_tasks import task

from .privacy import health_data_purge, personal_data_anonymise_expired

logger = logging.getLogger(__name__)

# The purge runs at night, in the site's time zone, when nobody is registering.
PURGE_TIME = time(3, 30)


def next_purge_at(now: datetime | None = None) -> datetime:
    """The next nightly run: PURGE_TIME on the day after `now` (site time zone)."""
    now = now or timezone.now()
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    tomorrow = timezone.localtime(now, tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, PURGE_TIME, tzinfo=tz)


def purge_all(*, now: datetime | None = None) -> dict[str, list[dict]]:
    """Run both purges (health declarations first). Returns what was purged, per event."""
    health = health_data_purge(now=now)
    personal = personal_data_anonymise_expired(now=now)

    def describe(purges) -> list[dict]:
        return [{"event": p.event.slug if p.event else None, "count": p.count, "stats": p.stats} for p in purges]

    return {"health_declarations": describe(health), "personal_data": describe(personal)}


def _queued_runs():
    """Runs of the purge waiting in the database backend's queue (None if that cannot be known)."""
    backend = purge_personal_data_task.get_backend()
    try:
        from django_tasks_db import DatabaseBackend
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is a dependency
        return None
    if not isinstance(backend, DatabaseBackend):
        return None
    return DBTaskResult.objects.filter(
        task_path=purge_personal_data_task.module_path, backend_name=backend.alias, status="READY"
    )


def _schedule(run_after: datetime) -> bool:
    """Queue a run at `run_after` unless one is already waiting. Returns True if it queued one."""
    if not purge_personal_data_task.get_backend().supports_defer:
        return False
    queued = _queued_runs()
    if queued is not None and queued.exists():
        return False
    purge_personal_data_task.using(run_after=run_after).enqueue()
    return True


def ensure_purge_scheduled(*, run_after: datetime | None = None) -> bool:
    """Make sure one future purge is queued; if none is, queue one (by default to run right away).

    Running at once catches up after the queue was emptied or the site was down; the purges are
    idempotent, so an extra run does no harm. Returns True if a run was queued.
    """
    return _schedule(run_after or timezone.now())


@task()
def purge_personal_data_task() -> dict[str, list[dict]]:
    """Purge what is due, then queue tomorrow night's run (whatever happened to this one)."""
    try:
        return purge_all()
    finally:
        # If another run is already waiting (two were queued by a race), it takes over the chain.
        _schedule(next_purge_at())


def schedule_after_migrate(*, using: str = "default", **kwargs) -> None:
    """post_migrate handler: after a deployment's `migrate`, make sure the purge is scheduled.

    Not after `flush` (tests send post_migrate without a plan then), and never fatal: a missing
    task table (a partial migrate) only means the next migrate or the command schedules it.
    """
    if kwargs.get("plan") is None or using != "default":
        return
    try:
        with transaction.atomic(using=using):
            if ensure_purge_scheduled():
                logger.info("Scheduled the personal-data purge.")
    except DatabaseError:
        logger.warning("Could not schedule the personal-data purge; run `manage.py purge_personal_data`.")
