"""The nightly suggestions over the whole directory, as a django-tasks task that keeps itself
scheduled (core.scheduling), like the data-protection purge; `manage.py compute_suggestions` does
the same from cron."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from civicmeet.core import scheduling
from civicmeet.core.scheduling import schedule_once

from .suggestions import suggestions_compute_all

# After the purge (03:30), before people start their day.
SUGGESTIONS_TIME = time(4, 15)


def next_run_at(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    tomorrow = timezone.localtime(now, tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, SUGGESTIONS_TIME, tzinfo=tz)


@task()
def compute_suggestions_task() -> dict[str, int]:
    try:
        return suggestions_compute_all()
    finally:
        schedule_once(compute_suggestions_task, next_run_at())


schedule_after_migrate = scheduling.schedule_after_migrate(compute_suggestions_task, "the nightly suggestions")
