"""Delivery through a real SMTP server on loopback, including an outage and its recovery."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
from django.core.management import call_command

from civicmeet.notifications.models import EmailStatus, OutgoingEmail
from civicmeet.notifications.tasks import deliver, deliver_pending
from civicmeet.registrations.services import registration_decide
from civicmeet.registrations.tests.factories import submit

from .smtp import SmtpServer

pytestmark = pytest.mark.django_db


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


def _text_body(message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text part")


def test_confirmation_is_delivered_over_smtp_in_the_participants_language(event, smtp, run_on_commit):
    with run_on_commit(execute=True):
        registration = submit(event, language="uk", email="mariia@example.org")
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "mariia@example.org"
    assert message["Content-Language"] == "uk"
    assert "Мережева зустріч" in _subject(message)
    assert registration.token in _text_body(message)
    assert OutgoingEmail.objects.get().status == EmailStatus.SENT


def test_accepted_email_arrives_with_ics_attachment(event, organiser, smtp, run_on_commit):
    registration = submit(event, language="pl")
    with run_on_commit(execute=True):
        registration_decide(registration=registration, decision="accept", actor=organiser)
    message = smtp.messages[-1]
    attachments = [part for part in message.walk() if part.get_filename()]
    # The calendar file, and the ticket's QR code (checkin, issue 11).
    assert [part.get_content_type() for part in attachments] == ["text/calendar", "image/png"]
    assert b"BEGIN:VCALENDAR" in attachments[0].get_payload(decode=True)


def test_outage_keeps_messages_and_delivers_them_once_smtp_is_back(event, organiser, smtp, run_on_commit, settings):
    settings.EMAIL_MAX_ATTEMPTS = 5
    smtp.stop()
    with run_on_commit(execute=True):
        registrations = [submit(event, language="en") for _ in range(3)]
    with run_on_commit(execute=True):
        for registration in registrations:
            registration_decide(registration=registration, decision="waitlist", actor=organiser)
    emails = OutgoingEmail.objects.all()
    assert emails.count() == 6
    assert set(emails.values_list("status", flat=True)) == {EmailStatus.FAILED}
    assert all(e.attempts == 1 and "Error" in e.last_error for e in emails)
    assert smtp.messages == []

    smtp.start()
    assert deliver_pending() == (6, 0)
    assert len(smtp.messages) == 6
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {EmailStatus.SENT}
    # Nothing is sent twice.
    assert deliver_pending() == (0, 0)
    for email in OutgoingEmail.objects.all():
        assert deliver(email.pk) is False
    assert len(smtp.messages) == 6


def test_gives_up_after_max_attempts_and_says_so(event, smtp, run_on_commit, settings):
    settings.EMAIL_MAX_ATTEMPTS = 2
    smtp.stop()
    with run_on_commit(execute=True):
        submit(event)
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 1)
    deliver_pending()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.GAVE_UP, 2)
    smtp.start()
    assert deliver_pending() == (0, 0)
    assert smtp.messages == []


def test_send_pending_emails_command_reports(event, smtp, run_on_commit, capsys):
    smtp.stop()
    with run_on_commit(execute=True):
        submit(event)
    smtp.start()
    call_command("send_pending_emails")
    assert "sent 1, still failing 0" in capsys.readouterr().out
    assert len(smtp.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_failed_message_is_retried_later_by_the_database_worker(event, smtp, settings):
    """With django-tasks-db the retry is a deferred task; the worker sends it once it is due."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.EMAIL_RETRY_DELAY_SECONDS = 30
    smtp.stop()
    submit(event)  # transaction=True: on_commit runs at once, enqueueing into the database
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    email = OutgoingEmail.objects.get()
    assert (email.status, email.attempts) == (EmailStatus.FAILED, 1)
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after is not None and retry.run_after > timezone.now()

    smtp.start()
    with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=True):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert len(smtp.messages) == 1


def test_plain_text_is_not_html_escaped_but_html_part_is(event, run_on_commit):
    from django.core import mail

    with run_on_commit(execute=True):
        submit(event, first_name="Мар'яна <b>", language="uk")
    message = mail.outbox[-1]
    assert "Мар'яна <b>" in message.body
    html = message.alternatives[0].content
    assert "Мар&#x27;яна &lt;b&gt;" in html and "<b>" not in html


@pytest.mark.django_db(transaction=True)
def test_the_outbox_sweep_sends_a_message_left_without_a_task_and_keeps_itself_scheduled(event, smtp, settings):
    """A web worker killed between the commit and the enqueue leaves a pending message behind."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from civicmeet.notifications.tasks import sweep_outbox_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    submit(event)
    # Simulate the crash: the message row exists, its sending task was never queued.
    DBTaskResult.objects.all().delete()
    assert OutgoingEmail.objects.get().status == EmailStatus.PENDING
    sweep_outbox_task.enqueue()
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=True):
        call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "1", verbosity=0)
    assert OutgoingEmail.objects.get().status == EmailStatus.SENT
    assert len(smtp.messages) == 1
    waiting = DBTaskResult.objects.filter(task_path=sweep_outbox_task.module_path, status="READY")
    assert waiting.count() == 1 and waiting.get().run_after > timezone.now()
