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
from django.db.models.functions import Lower
from django.utils import timezone
from django_tasks import task

from civicmeet.accounts.signin_links import signin_links_purge
from civicmeet.channels.privacy import channel_history_scrub
from civicmeet.core import scheduling
from civicmeet.core.scheduling import schedule_once
from civicmeet.organisations.privacy import directory_purge
from civicmeet.programmes.privacy import signups_anonymise_expired
from civicmeet.resources.privacy import contact_requests_purge

from .export_tasks import exports_purge_expired
from .models import Registration
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


def accounts_with_registrations(users: list) -> set[int]:
    """Which of these accounts still have a registration (not anonymised) under their address:
    the directory's purge keeps them (organisations may not look at registrations)."""
    emails = {(user.email or "").lower(): user.pk for user in users if user.email}
    if not emails:
        return set()
    # One query per 500 addresses, compared in lower case (registrations are unique by Lower(email)).
    found: set[int] = set()
    addresses = list(emails)
    for start in range(0, len(addresses), 500):
        rows = (
            Registration.objects.filter(anonymised_at__isnull=True)
            .annotate(email_lower=Lower("email"))
            .filter(email_lower__in=addresses[start : start + 500])
            .values_list("email_lower", flat=True)
        )
        found.update(emails[email] for email in rows)
    return found


def network_purge(*, now: datetime | None = None) -> dict[str, dict]:
    """The network's personal data (civicmeet/*/privacy.py): sign-ups for project offers, contact
    requests, refused or removed representatives and idle accounts, contact data in histories.
    Returns the counts of each."""
    return {
        "signups": signups_anonymise_expired(now=now).as_dict(),
        "contact_requests": contact_requests_purge(now=now).as_dict(),
        "directory": directory_purge(in_use=accounts_with_registrations, now=now).as_dict(),
        "channels": channel_history_scrub(now=now),
    }


def purge_all(*, now: datetime | None = None) -> dict:
    """Run both purges (health declarations first), delete expired export files (they hold
    personal data too), then the network's purges. Returns what was purged, per event, and the
    network's counts under "network"."""
    health = health_data_purge(now=now)
    personal = personal_data_anonymise_expired(now=now)
    exports_purge_expired(now=now)
    signin_links_purge(now=now)  # one-time sign-in links that can no longer be used
    # After the registrations: an account whose registrations were just anonymised may be idle now.
    network = network_purge(now=now)

    def describe(purges) -> list[dict]:
        return [{"event": p.event.slug if p.event else None, "count": p.count, "stats": p.stats} for p in purges]

    return {"health_declarations": describe(health), "personal_data": describe(personal), "network": network}


def ensure_purge_scheduled(*, run_after: datetime | None = None) -> bool:
    """Make sure one future purge is queued; if none is, queue one (by default to run right away).

    Running at once catches up after the queue was emptied or the site was down; the purges are
    idempotent, so an extra run does no harm. Returns True if a run was queued.
    """
    return schedule_once(purge_personal_data_task, run_after)


@task()
def purge_personal_data_task() -> dict:
    """Purge what is due, then queue tomorrow night's run (whatever happened to this one)."""
    try:
        return purge_all()
    finally:
        # If another run is already waiting (two were queued by a race), it takes over the chain.
        schedule_once(purge_personal_data_task, next_purge_at())


# post_migrate handler (connected in apps.py): after a deployment's `migrate`, queue the purge.
schedule_after_migrate = scheduling.schedule_after_migrate(purge_personal_data_task, "the personal-data purge")


# -- Before the day: reconfirmation, waiting-list offers, reminders ---------------------------

# How often the before-the-day run looks for what is due. An offer's expiry also gets a run of its
# own at its moment (offers_expiry_scheduled); the seat rule ignores an expired offer at once anyway.
BEFORE_THE_DAY_EVERY = timedelta(minutes=10)


def before_the_day_all(*, now: datetime | None = None) -> dict[str, int]:
    """Everything due before the day: close expired offers (offering their seats on), ask
    "Are you still coming?", send the reminders. Each part is idempotent (its rows make it once)."""
    from .offers import offers_expire
    from .reconfirmation import reconfirmations_send
    from .reminders import reminders_send

    return {
        "offers_expired": offers_expire(now=now),
        "reconfirmations": reconfirmations_send(now=now),
        "reminders": reminders_send(now=now),
    }


def _run_no_later_than(at: datetime) -> bool:
    """Make sure a before-the-day run is waiting to run at `at` or earlier; True if one was queued.

    A run waiting for later (an offer's expiry in two days) does not count: the ten-minute chain
    must not pause for it. Runs queued by a race are harmless, as every part is idempotent."""
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = before_the_day_task.get_backend()
    if not isinstance(backend, DatabaseBackend) or not backend.supports_defer:
        return False
    waiting = DBTaskResult.objects.filter(
        task_path=before_the_day_task.module_path, backend_name=backend.alias, status="READY", run_after__lte=at
    )
    if waiting.exists():
        return False
    before_the_day_task.using(run_after=at).enqueue()
    return True


@task()
def before_the_day_task() -> dict[str, int]:
    """Do what is due, then queue the next run (whatever happened to this one)."""
    try:
        return before_the_day_all()
    finally:
        _run_no_later_than(timezone.now() + BEFORE_THE_DAY_EVERY)


def ensure_before_the_day_scheduled(*, run_after: datetime | None = None) -> bool:
    """Make sure a before-the-day run is queued (by default right away); True if one was queued."""
    return _run_no_later_than(run_after or timezone.now())


def offers_expiry_scheduled(expires_at: datetime) -> None:
    """After an offer is made: a run no later than its expiry, so its seat goes on in time."""
    _run_no_later_than(expires_at)


def schedule_before_the_day_after_migrate(*, using: str = "default", **kwargs) -> None:
    """post_migrate: a before-the-day run queued after every deployment's migrate (never after flush)."""
    if kwargs.get("plan") is None or using != "default":
        return
    try:
        with transaction.atomic(using=using):
            ensure_before_the_day_scheduled()
    except DatabaseError:
        logger.warning("Could not schedule the before-the-day run.")
