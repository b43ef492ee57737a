"""Simultaneous decisions never overbook: real threads, real transactions, one moment.

Each thread has its own database connection (and closes it), all start together at a barrier,
and the seat checks in `registration_decide` must hold under that race on SQLite (IMMEDIATE
transactions) and PostgreSQL (row lock on the event).
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.registrations.models import LogEntry, Registration, State
from civicmeet.registrations.services import (
    AlreadyRegisteredError,
    CapacityError,
    registration_decide,
    registration_submit,
)

from .factories import registration_data, submit

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 16


def run_at_once(jobs) -> list[str]:
    """Run each job in its own thread, all released at the same moment; return their outcomes."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str | None] = [None] * len(jobs)

    def work(index, job):
        try:
            barrier.wait(timeout=30)
            outcomes[index] = job()
        except Exception as error:  # noqa: BLE001 - every outcome is reported, none lost
            outcomes[index] = f"{type(error).__name__}: {error}"
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return outcomes


def accept(registration, actor):
    def job():
        try:
            registration_decide(registration=registration, decision="accept", actor=actor)
        except CapacityError:
            return "full"
        return "accepted"

    return job


def test_simultaneous_acceptances_never_exceed_capacity():
    organiser = UserFactory()
    event = EventFactory(organisers=[organiser], capacity=5)
    # Every person from a different organisation, so only the capacity limits.
    registrations = [submit(event, organisation_name=f"Organisation {n}") for n in range(THREADS)]

    outcomes = run_at_once([accept(registration, organiser) for registration in registrations])

    assert Counter(outcomes) == {"accepted": 5, "full": THREADS - 5}, outcomes
    states = Counter(Registration.objects.filter(event=event).values_list("state", flat=True))
    assert states == {State.ACCEPTED: 5, State.SUBMITTED: THREADS - 5}
    assert LogEntry.objects.filter(registration__event=event, to_state=State.ACCEPTED).count() == 5


def test_simultaneous_acceptances_never_exceed_the_per_organisation_limit():
    organiser = UserFactory()
    event = EventFactory(organisers=[organiser], capacity=100, seats_per_organisation=2)
    organisations = [f"Organisation {n}" for n in range(4)]
    registrations = [submit(event, organisation_name=organisations[n % 4]) for n in range(THREADS)]

    outcomes = run_at_once([accept(registration, organiser) for registration in registrations])

    assert Counter(outcomes) == {"accepted": 8, "full": THREADS - 8}, outcomes
    accepted = Registration.objects.filter(event=event, state=State.ACCEPTED)
    per_organisation = Counter(accepted.values_list("organisation__name", flat=True))
    assert per_organisation == dict.fromkeys(organisations, 2)
    assert Registration.objects.filter(event=event).count() == THREADS


def test_both_limits_hold_together_under_a_race():
    organiser = UserFactory()
    event = EventFactory(organisers=[organiser], capacity=3, seats_per_organisation=1)
    organisations = [f"Organisation {n}" for n in range(8)]
    registrations = [submit(event, organisation_name=organisations[n % 8]) for n in range(THREADS)]

    outcomes = run_at_once([accept(registration, organiser) for registration in registrations])

    assert Counter(outcomes) == {"accepted": 3, "full": THREADS - 3}, outcomes
    accepted = Registration.objects.filter(event=event, state=State.ACCEPTED)
    assert accepted.count() == 3
    assert accepted.values("organisation").distinct().count() == 3


def test_the_same_person_submitting_at_once_is_registered_once():
    event = EventFactory()

    def register():
        try:
            registration_submit(event=event, data=registration_data(email="olena@example.org"))
        except AlreadyRegisteredError:
            return "already"
        return "registered"

    outcomes = run_at_once([register for _n in range(8)])

    assert Counter(outcomes) == {"registered": 1, "already": 7}, outcomes
    assert Registration.objects.filter(event=event).count() == 1
