"""The reminder the day before: at 10:00 in the event's time zone, once per person, in their language."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from civicmeet.events.tests.factories import EventFactory
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.notifications.tasks import deliver_waiting
from civicmeet.notifications.tests.smtp import SmtpServer
from civicmeet.registrations.models import Reminder
from civicmeet.registrations.reminders import _remind, reminder_due_at, reminders_send
from civicmeet.registrations.services import guest_add, registration_cancel
from civicmeet.registrations.tasks import (
    before_the_day_task,
    ensure_before_the_day_scheduled,
    schedule_before_the_day_after_migrate,
)

from .before_factories import accepted, waitlisted
from .factories import registration_data

KYIV = ZoneInfo("Europe/Kyiv")


@pytest.fixture
def tomorrow(organiser):
    starts = datetime(2031, 5, 20, 9, 0, tzinfo=KYIV)
    event = EventFactory(
        organisers=[organiser],
        timezone="Europe/Kyiv",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        registration_opens_at=starts - timedelta(days=30),
        registration_closes_at=starts - timedelta(days=3),
        conditions={"en": "Enter through the courtyard, second floor.", "uk": "Вхід з двору, другий поверх."},
    )
    return event


def test_due_at_ten_the_day_before_in_the_event_time_zone(tomorrow):
    assert reminder_due_at(tomorrow) == datetime(2031, 5, 19, 10, 0, tzinfo=KYIV)


def test_sent_once_to_accepted_people_in_their_language(tomorrow, organiser):
    with time_machine.travel(tomorrow.starts_at - timedelta(days=10), tick=False):
        people = [accepted(tomorrow, organiser, language=language) for language in ("uk", "pl", "en")]
        waiting = waitlisted(tomorrow, organiser)
        cancelled = accepted(tomorrow, organiser)
        registration_cancel(registration=cancelled)
        guest = guest_add(event=tomorrow, data=registration_data(language="en"), actor=organiser)
    with time_machine.travel(datetime(2031, 5, 19, 9, 59, tzinfo=KYIV), tick=False):
        assert reminders_send() == 0
    with time_machine.travel(datetime(2031, 5, 19, 10, 0, 1, tzinfo=KYIV), tick=False):
        assert reminders_send() == 4
        assert reminders_send() == 0  # a second worker or a restart sends no second one
    sent = {email.to: email for email in OutgoingEmail.objects.filter(kind="event_reminder")}
    assert set(sent) == {p.email for p in people} | {guest.email}
    assert waiting.email not in sent and cancelled.email not in sent
    assert "Завтра" in sent[people[0].email].subject
    assert "Вхід з двору" in sent[people[0].email].body_text
    assert "Jutro" in sent[people[1].email].subject
    assert "courtyard" in sent[people[2].email].body_html
    assert Reminder.objects.count() == 4


def test_nothing_after_the_start(tomorrow, organiser):
    with time_machine.travel(tomorrow.starts_at - timedelta(days=10), tick=False):
        accepted(tomorrow, organiser)
    with time_machine.travel(tomorrow.starts_at + timedelta(minutes=1), tick=False):
        assert reminders_send() == 0


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def _subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def test_the_reminder_reaches_the_mailbox_over_smtp(tomorrow, organiser, smtp):
    with time_machine.travel(tomorrow.starts_at - timedelta(days=10), tick=False):
        person = accepted(tomorrow, organiser, language="pl")
        deliver_waiting()
    before = len(smtp.messages)
    with time_machine.travel(datetime(2031, 5, 19, 10, 5, tzinfo=KYIV), tick=False):
        reminders_send()
        deliver_waiting()
        reminders_send()
        deliver_waiting()
    received = smtp.messages[before:]
    assert len(received) == 1
    assert received[0]["To"] == person.email
    assert _subject(received[0]).startswith("Jutro")
    assert OutgoingEmail.objects.get(kind="event_reminder").status == "sent"
    # With the ticket (checkin adds it through registrations.extensions): its link and its QR code.
    body = "".join(
        part.get_payload(decode=True).decode() for part in received[0].walk() if part.get_content_type() == "text/plain"
    )
    assert "#ticket" in body and "Twój bilet" in body
    assert [part.get_filename() for part in received[0].walk() if part.get_content_type() == "image/png"] == [
        "ticket.png"
    ]


# -- As scheduled background tasks: a killed worker or a re-run loses nothing and doubles nothing --

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = DATABASE_TASKS


def queued():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=before_the_day_task.module_path, status="READY")


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_neither_loses_nor_doubles_the_reminders(tomorrow, organiser, db_tasks):
    from django_tasks_db.models import DBTaskResult

    with time_machine.travel(tomorrow.starts_at - timedelta(days=10), tick=False):
        people = [accepted(tomorrow, organiser, language=language) for language in ("uk", "pl", "en")]
    with time_machine.travel(datetime(2031, 5, 19, 10, 5, tzinfo=KYIV), tick=True):
        assert ensure_before_the_day_scheduled() is True
        assert ensure_before_the_day_scheduled() is False
        (run,) = queued()
        # A worker takes the run, reminds the first person and is killed (no `finally`: no next run).
        DBTaskResult.objects.filter(pk=run.pk).update(status="RUNNING", started_at=timezone.now())
        assert _remind(people[0]) is True
        assert not queued().exists()
        # The deployment's migrate puts a run back (flush does not); a race queues a second one.
        schedule_before_the_day_after_migrate(using="default")
        assert not queued().exists()
        schedule_before_the_day_after_migrate(using="default", plan=[])
        before_the_day_task.using(run_after=timezone.now()).enqueue()
        assert queued().count() == 2
        run_worker()  # the new worker: both runs, one after the other
        sent = list(OutgoingEmail.objects.filter(kind="event_reminder").values_list("to", flat=True))
        assert sorted(sent) == sorted(p.email for p in people)
        # The chain goes on: one next run, ten minutes on.
        (next_run,) = queued()
        assert timezone.now() < next_run.run_after <= timezone.now() + timedelta(minutes=10)
    with time_machine.travel(datetime(2031, 5, 19, 10, 30, tzinfo=KYIV), tick=True):
        run_worker()
        assert OutgoingEmail.objects.filter(kind="event_reminder").count() == 3
        assert queued().count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_offer_gets_a_run_at_its_expiry_that_passes_the_seat_on(organiser, db_tasks):
    from civicmeet.registrations.models import OfferState, SeatOffer

    event = EventFactory(organisers=[organiser], capacity=1, offers_automatic=True, offer_hours=6)
    seat = accepted(event, organiser)
    first, second = waitlisted(event, organiser), waitlisted(event, organiser)
    registration_cancel(registration=seat)
    offer = SeatOffer.objects.get(registration=first)
    assert queued().filter(run_after=offer.expires_at).count() == 1
    with time_machine.travel(offer.expires_at + timedelta(seconds=1), tick=True):
        run_worker()
    assert SeatOffer.objects.get(registration=first).state == OfferState.EXPIRED
    assert SeatOffer.objects.get(registration=second).state == OfferState.PENDING
    assert OutgoingEmail.objects.filter(kind="seat_offer", to=second.email).count() == 1


def test_with_a_backend_that_cannot_defer_nothing_is_scheduled(db):
    assert ensure_before_the_day_scheduled() is False


@pytest.mark.django_db(transaction=True)
def test_the_command_does_what_is_due_and_schedules_the_task(tomorrow, organiser, db_tasks, capsys):
    with time_machine.travel(tomorrow.starts_at - timedelta(days=10), tick=False):
        accepted(tomorrow, organiser)
    with time_machine.travel(datetime(2031, 5, 19, 11, 0, tzinfo=KYIV), tick=True):
        call_command("before_the_day")
        out = capsys.readouterr().out
        assert "reminders sent: 1" in out and "scheduled the before-the-day task" in out
        call_command("before_the_day")
        out = capsys.readouterr().out
        assert "reminders sent: 0" in out and "scheduled" not in out
    assert queued().count() == 1
