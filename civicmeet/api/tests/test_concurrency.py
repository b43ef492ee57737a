"""The decision endpoint under simultaneous requests: no overbooking, no 500, every answer JSON."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from civicmeet.accounts.models import ApiToken
from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.registrations.models import Registration, State
from civicmeet.registrations.tests.factories import submit

from .conftest import JSONClient

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 12


def test_simultaneous_accept_requests_never_overbook():
    organiser = UserFactory()
    token = ApiToken.issue(organiser)
    event = EventFactory(organisers=[organiser], capacity=5)
    registrations = [submit(event, organisation_name=f"Organisation {n}") for n in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def post(registration):
        client = JSONClient(token=token)
        url = f"/api/v1/events/{event.slug}/registrations/{registration.pk}/decision"
        try:
            barrier.wait(timeout=30)
            response = client.post(url, {"decision": "accept"})
            outcome = (response.status_code, response.json().get("code") or response.json().get("state"))
        except Exception as error:  # noqa: BLE001 - reported in the assertion below
            outcome = (0, repr(error))
        finally:
            connection.close()
        with lock:
            answers.append(outcome)

    threads = [threading.Thread(target=post, args=(registration,)) for registration in registrations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert Counter(answers) == {(200, "accepted"): 5, (409, "capacity"): THREADS - 5}, answers
    assert Registration.objects.filter(event=event, state=State.ACCEPTED).count() == 5
