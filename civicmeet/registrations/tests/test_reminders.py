"""The reminder the day before: at 10:00 in the event's time zone, once per person, in their language."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest
import time_machine

from civicmeet.events.tests.factories import EventFactory
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.notifications.tasks import deliver_waiting
from civicmeet.notifications.tests.smtp import SmtpServer
from civicmeet.registrations.models import Reminder
from civicmeet.registrations.reminders import reminder_due_at, reminders_send
from civicmeet.registrations.services import guest_add, registration_cancel

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
