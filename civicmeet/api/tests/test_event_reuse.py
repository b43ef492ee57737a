"""A burst of registrations reads the event once per process, and never an outdated one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from civicmeet.events.services import event_unpublish, event_update, questions_replace

from .conftest import JSONClient

pytestmark = pytest.mark.django_db


def _register(client, event, number: int, **extra):
    return client.post(
        f"/api/v1/events/{event.slug}/registrations",
        {
            "first_name": "Olena",
            "last_name": "Kowalenko",
            "email": f"olena.{number}@example.org",
            "organisation_name": "Fundacja Zustricz",
            "organisation_type": "migrant",
            "language": "uk",
            "consent_processing": True,
            **extra,
        },
    )


def test_later_registrations_do_not_read_the_event_again(event, django_assert_num_queries):
    client = JSONClient()
    assert _register(client, event, 1).status_code == 201
    # One read (is the organisation known), then one short transaction (a savepoint inside the
    # test's own) that only writes the registration, its history row and its email (the unique
    # index, not a query, says whether the email is taken; the test settings send emails after
    # the commit).
    with django_assert_num_queries(6) as captured:
        assert _register(client, event, 2).status_code == 201
    reads = [query["sql"] for query in captured.captured_queries if query["sql"].startswith("SELECT")]
    assert len(reads) == 1
    assert not [sql for sql in reads if "events_" in sql]


def test_new_questions_apply_to_the_next_registration(event, run_on_commit):
    client = JSONClient()
    assert _register(client, event, 1).status_code == 201
    with run_on_commit(execute=True):
        questions_replace(
            event=event,
            questions=[{"key": "topics", "kind": "text", "label": {"en": "Topics"}, "required": True}],
        )
    response = _register(client, event, 2)
    assert response.status_code == 422
    assert {error["field"] for error in response.json()["detail"]} == {"answers.topics"}


def test_a_changed_event_is_read_again(event, run_on_commit):
    client = JSONClient()
    assert _register(client, event, 1).status_code == 201
    with run_on_commit(execute=True):
        event_update(
            event=event,
            data={
                "registration_opens_at": timezone.now() - timedelta(days=2),
                "registration_closes_at": timezone.now() - timedelta(minutes=1),
            },
        )
    assert _register(client, event, 2).status_code == 409


def test_an_unpublished_event_takes_no_more_registrations(event, run_on_commit):
    client = JSONClient()
    assert _register(client, event, 1).status_code == 201
    with run_on_commit(execute=True):
        event_unpublish(event=event)
    assert _register(client, event, 2).status_code == 404
