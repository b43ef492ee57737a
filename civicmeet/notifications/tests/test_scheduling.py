"""Reply-To, messages held until a moment (`not_before`) and withdrawn before they go out, through
a real SMTP server on loopback."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from civicmeet.core.errors import ConflictError
from civicmeet.notifications.models import EmailStatus, OutgoingEmail
from civicmeet.notifications.services import email_queue, email_retry, email_withdraw
from civicmeet.notifications.tasks import deliver, deliver_pending, deliver_waiting

from .test_delivery import smtp  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def _message(**fields) -> OutgoingEmail:
    values = {
        "kind": "test",
        "to": "olena@example.org",
        "language": "uk",
        "subject": "Тема",
        "body_text": "Текст",
        **fields,
    }
    return OutgoingEmail(**values)


def test_reply_to_becomes_the_messages_reply_to_header(smtp, run_on_commit):  # noqa: F811
    with run_on_commit(execute=True):
        email = email_queue(_message(), reply_to="kontakt@zustricz.example.org")
    assert OutgoingEmail.objects.get(pk=email.pk).reply_to == "kontakt@zustricz.example.org"
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["Reply-To"] == "kontakt@zustricz.example.org"


def test_without_reply_to_there_is_no_reply_to_header(smtp, run_on_commit):  # noqa: F811
    with run_on_commit(execute=True):
        email_queue(_message())
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["Reply-To"] is None


def test_a_held_message_is_not_sent_before_its_moment_by_any_sender(smtp, run_on_commit):  # noqa: F811
    moment = timezone.now() + timedelta(seconds=30)
    with run_on_commit(execute=True):
        email = email_queue(_message(), not_before=moment)
    # The after-commit run, a direct delivery, the sweep and the cron command all leave it waiting.
    assert deliver(email.pk) is False
    assert deliver_waiting() == 0
    assert deliver_pending() == (0, 0)
    call_command("send_pending_emails", stdout=io.StringIO())
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 0)
    assert smtp.messages == []

    with time_machine.travel(moment + timedelta(seconds=1)):
        assert deliver_waiting() == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert len(smtp.messages) == 1


def test_a_held_message_is_sent_by_the_sweep_once_due(smtp, run_on_commit):  # noqa: F811
    moment = timezone.now() + timedelta(seconds=30)
    with run_on_commit(execute=True):
        email_queue(_message(), not_before=moment)
    with time_machine.travel(moment + timedelta(minutes=3)):
        assert deliver_pending() == (1, 0)
    assert len(smtp.messages) == 1


def test_a_withdrawn_message_is_never_sent(smtp, run_on_commit):  # noqa: F811
    moment = timezone.now() + timedelta(seconds=30)
    with run_on_commit(execute=True):
        email = email_queue(_message(), not_before=moment)
    withdrawn = email_withdraw(email=email)
    assert withdrawn.status == EmailStatus.WITHDRAWN
    assert withdrawn.withdrawn_at is not None
    with time_machine.travel(moment + timedelta(minutes=10)):
        assert deliver(email.pk) is False
        assert deliver_waiting() == 0
        assert deliver_pending() == (0, 0)
    assert smtp.messages == []
    stored = OutgoingEmail.objects.get(pk=email.pk)
    assert (stored.status, stored.attempts, stored.sent_at) == (EmailStatus.WITHDRAWN, 0, None)


def test_a_sent_message_cannot_be_withdrawn(smtp, run_on_commit):  # noqa: F811
    with run_on_commit(execute=True):
        email = email_queue(_message())
    assert len(smtp.messages) == 1
    with pytest.raises(ConflictError) as refused:
        email_withdraw(email=email)
    assert refused.value.code == "email_sent"
    assert OutgoingEmail.objects.get(pk=email.pk).status == EmailStatus.SENT


def test_a_message_being_sent_cannot_be_withdrawn():
    email = email_queue(_message(status=EmailStatus.SENDING, claimed_at=timezone.now()))
    with pytest.raises(ConflictError):
        email_withdraw(email=email)


def test_a_withdrawn_message_cannot_be_withdrawn_again_nor_retried(run_on_commit):
    with run_on_commit(execute=False):
        email = email_queue(_message(), not_before=timezone.now() + timedelta(seconds=30))
    email_withdraw(email=email)
    with pytest.raises(ConflictError) as again:
        email_withdraw(email=email)
    assert again.value.code == "email_withdrawn"
    with pytest.raises(ConflictError):
        email_retry(email=email)


def test_a_failed_message_can_be_withdrawn(smtp, run_on_commit):  # noqa: F811
    smtp.stop()
    with run_on_commit(execute=True):
        email = email_queue(_message())
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    email_withdraw(email=email)
    smtp.start()
    assert deliver_pending() == (0, 0)
    assert smtp.messages == []


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_sends_a_held_message_at_its_moment(smtp, settings):  # noqa: F811
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    moment = timezone.now() + timedelta(seconds=30)
    email = email_queue(_message(), not_before=moment)  # transaction=True: on_commit runs at once
    run = DBTaskResult.objects.filter(status="READY").get()
    assert run.run_after is not None and run.run_after >= moment - timedelta(seconds=1)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert smtp.messages == []
    with time_machine.travel(moment + timedelta(seconds=1), tick=True):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert len(smtp.messages) == 1
