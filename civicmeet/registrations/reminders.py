"""The reminder the day before: when, where, how to get in, the organisers' message, the ticket.

Sent at REMINDER_TIME on the day before the event's start, in the event's time zone, to every
accepted participant and guest, in their language (email kind `event_reminder`; checkin adds the
ticket link and the QR code through registrations.extensions). Once per person: the Reminder row,
unique per registration and written in the same transaction as the email, makes a second worker
or a restarted one skip whoever has had it. Someone without an email (a walk-in) is skipped.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from civicmeet.events.models import Event

from . import emails as notify
from .models import HAS_EMAIL, Registration, Reminder, Role, State

# A sensible hour to read about tomorrow: late morning, in the event's own time zone.
REMINDER_TIME = time(10, 0)


def reminder_due_at(event: Event) -> datetime:
    """REMINDER_TIME on the day before the start, in the event's time zone (never after the start)."""
    day_before = timezone.localtime(event.starts_at, event.tz).date() - timedelta(days=1)
    due = datetime.combine(day_before, REMINDER_TIME, tzinfo=event.tz)
    return min(due, event.starts_at)


def _remind(registration: Registration) -> bool:
    try:
        with transaction.atomic():
            Reminder.objects.create(registration=registration)
            notify.event_reminder_to_participant(registration)
    except IntegrityError:
        return False  # another worker sent it meanwhile
    return True


def reminders_send(*, now: datetime | None = None) -> int:
    """Remind everyone accepted for an event whose reminder time has come and who has not had it.

    Someone accepted after the reminder time (but before the start) gets it at the next run."""
    now = now or timezone.now()
    sent = 0
    # Only events starting within two days can be due: the day before, from a time zone far away.
    for event in Event.objects.filter(starts_at__gt=now, starts_at__lte=now + timedelta(days=2)):
        if reminder_due_at(event) > now:
            continue
        pending = (
            Registration.objects.filter(
                HAS_EMAIL,  # a walk-in without an address gets no reminder (and has no Reminder row)
                event=event,
                state=State.ACCEPTED,
                role__in=(Role.PARTICIPANT, Role.GUEST),
                anonymised_at__isnull=True,
                reminder__isnull=True,
            )
            .select_related("organisation")
            .order_by("pk")
        )
        for registration in pending:
            registration.event = event
            sent += _remind(registration)
    return sent
