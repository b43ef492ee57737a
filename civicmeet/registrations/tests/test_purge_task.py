"""The nightly purge task with the database backend: it runs, purges, and queues tomorrow's run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from civicmeet.registrations.models import DataPurge, HealthDeclaration
from civicmeet.registrations.tasks import (
    ensure_purge_scheduled,
    next_purge_at,
    purge_personal_data_task,
    schedule_after_migrate,
)

from .factories import submit
from .test_privacy import meets, safety_event

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = DATABASE_TASKS


def queued():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=purge_personal_data_task.module_path, status="READY")


def finished():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=purge_personal_data_task.module_path).exclude(status="READY")


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_task_purges_then_queues_itself_for_the_next_night(organiser, db_tasks):
    event = safety_event(organiser)
    submit(event, safety=meets(event), consent_health=True)
    assert ensure_purge_scheduled() is True
    assert queued().count() == 1

    # Before the retention period has passed: the run purges nothing and queues the next one.
    run_worker()
    assert HealthDeclaration.objects.count() == 1
    (tomorrow,) = queued()
    assert tomorrow.run_after == next_purge_at()
    assert tomorrow.run_after > timezone.now() + timedelta(hours=3)

    # A worker running before then leaves the queued run alone.
    run_worker()
    assert list(queued()) == [tomorrow]

    due = event.ends_at + timedelta(days=14, hours=1)
    with time_machine.travel(due, tick=True):
        run_worker()
        assert HealthDeclaration.objects.count() == 0
        assert DataPurge.objects.get().count == 1
        (next_run,) = queued()
        assert next_run.run_after == next_purge_at()
        assert next_run.run_after > timezone.now()
    assert set(finished().values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert finished().count() == 2


@pytest.mark.django_db(transaction=True)
def test_ensure_purge_scheduled_queues_exactly_one_run(db_tasks):
    assert ensure_purge_scheduled() is True
    assert ensure_purge_scheduled() is False
    call_command("purge_personal_data")
    assert queued().count() == 1


@pytest.mark.django_db(transaction=True)
def test_migrate_schedules_the_purge_but_flush_does_not(db_tasks):
    schedule_after_migrate(using="default")  # flush sends post_migrate without a plan
    assert queued().count() == 0
    schedule_after_migrate(using="default", plan=[])
    assert queued().count() == 1
    schedule_after_migrate(using="default", plan=[])
    assert queued().count() == 1


@pytest.mark.django_db(transaction=True)
def test_command_schedules_the_next_night_when_nothing_is_queued(db_tasks, capsys):
    call_command("purge_personal_data")
    assert "scheduled the nightly purge task" in capsys.readouterr().out
    (run,) = queued()
    assert run.run_after == next_purge_at()


@pytest.mark.django_db
def test_nothing_is_scheduled_with_a_backend_that_cannot_defer(organiser):
    from django_tasks_db.models import DBTaskResult

    event = safety_event(organiser)
    submit(event, safety=meets(event), consent_health=True)
    assert ensure_purge_scheduled() is False
    with time_machine.travel(event.ends_at + timedelta(days=15), tick=False):
        result = purge_personal_data_task.enqueue()  # the immediate backend runs it now
    assert result.return_value["health_declarations"][0]["count"] == 1
    assert not DBTaskResult.objects.exists()


def test_next_purge_is_at_night_on_the_following_day(settings):
    settings.TIME_ZONE = "Europe/Warsaw"
    moment = datetime(2021, 10, 30, 23, 0, tzinfo=UTC)  # 01:00 on the 31st in Warsaw
    # The night of the DST change: 03:30 on 1 November, Warsaw winter time (UTC+1).
    assert next_purge_at(moment).isoformat() == "2021-11-01T03:30:00+01:00"
