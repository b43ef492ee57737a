"""The outbox is sent in batches: one waiting task run serves a burst, over one mail connection."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from civicmeet.notifications.models import EmailStatus, OutgoingEmail
from civicmeet.notifications.tasks import _claim_pending, deliver_waiting, send_waiting_emails
from civicmeet.registrations.tests.factories import submit

from .test_delivery import smtp  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _waiting_runs() -> int:
    return DBTaskResult.objects.filter(task_path=send_waiting_emails.module_path, status="READY").count()


def test_a_burst_of_registrations_queues_one_run_that_sends_everything_over_one_connection(
    event,
    smtp,  # noqa: F811
    database_tasks,
):
    for _ in range(12):
        submit(event)  # transaction=True: each commit asks for sending at once
    assert _waiting_runs() == 1
    assert OutgoingEmail.objects.filter(status=EmailStatus.PENDING).count() == 12

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 12
    assert len(smtp.messages) == 12
    assert smtp.sessions == 1
    assert DBTaskResult.objects.filter(task_path=send_waiting_emails.module_path).count() == 1


def test_a_message_committed_while_a_run_is_going_gets_a_run_of_its_own(event, database_tasks):
    submit(event)
    run = DBTaskResult.objects.get(task_path=send_waiting_emails.module_path)
    run.status = "RUNNING"  # the worker took it: it may have looked at the outbox already
    run.save(update_fields=["status"])
    submit(event)
    assert _waiting_runs() == 1


def test_a_long_outbox_is_sent_in_turns_leaving_room_for_other_work(event, database_tasks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for _ in range(12):
        submit(event)
    DBTaskResult.objects.all().delete()
    assert deliver_waiting(batch=5, at_most=10) == 10
    assert OutgoingEmail.objects.filter(status=EmailStatus.PENDING).count() == 2
    assert _waiting_runs() == 1  # the rest gets the next run


def test_two_senders_never_take_the_same_message(event, database_tasks):
    for _ in range(6):
        submit(event)
    first, second = _claim_pending(4), _claim_pending(4)
    assert len(first) == 4 and len(second) == 2
    assert not {email.pk for email in first} & {email.pk for email in second}
    assert OutgoingEmail.objects.filter(status=EmailStatus.SENDING, attempts=1).count() == 6


def test_a_failure_in_the_middle_of_a_batch_does_not_stop_the_others(
    event,
    smtp,  # noqa: F811
    database_tasks,
):
    for _ in range(5):
        submit(event)
    DBTaskResult.objects.all().delete()
    refused = OutgoingEmail.objects.order_by("id")[2]
    refused.attachments = [{"filename": "broken.ics"}]  # no content: the message cannot be built
    refused.save(update_fields=["attachments"])
    assert deliver_waiting() == 4
    refused.refresh_from_db()
    assert refused.status == EmailStatus.FAILED
    assert len(smtp.messages) == 4
