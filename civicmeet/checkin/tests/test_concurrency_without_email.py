"""Walk-ins without an email at several desks at the same instant (real threads, on SQLite and
PostgreSQL): the partial one-per-email index lets any number of them in, the seat rule still holds,
and the same email at two desks at once is still one registration."""

from __future__ import annotations

from collections import Counter

import pytest

from civicmeet.checkin.models import CheckIn
from civicmeet.checkin.services import walk_in
from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.registrations.models import Registration, State
from civicmeet.registrations.services import AlreadyRegisteredError, CapacityError
from civicmeet.registrations.tests.factories import registration_data
from civicmeet.registrations.tests.test_concurrency import run_at_once

from .factories import accepted, desk_member

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

DESKS = 6


def arrive(event, desk, n: int, email: str = ""):
    def job():
        data = registration_data(email=email, first_name=f"Person {n}", organisation_name=f"Organisation {n}")
        try:
            walk_in(event=event, data=data, actor=desk, client_id=f"walk-{n}")
        except CapacityError:
            return "full"
        except AlreadyRegisteredError:
            return "already"
        return "in"

    return job


def test_walk_ins_without_an_email_at_once_are_all_registered():
    organiser = UserFactory()
    event = EventFactory(organisers=[organiser], capacity=40)
    desks = [desk_member(event) for _n in range(DESKS)]

    outcomes = run_at_once([arrive(event, desk, n) for n, desk in enumerate(desks)])

    assert Counter(outcomes) == {"in": DESKS}, outcomes
    assert Registration.objects.filter(event=event, email="", state=State.ACCEPTED).count() == DESKS
    assert CheckIn.objects.filter(event=event).count() == DESKS


def test_walk_ins_without_an_email_at_once_never_overbook_the_last_seats():
    organiser = UserFactory()
    event = EventFactory(organisers=[organiser], capacity=3)
    accepted(event, organiser)
    desks = [desk_member(event) for _n in range(DESKS)]

    outcomes = run_at_once([arrive(event, desk, n) for n, desk in enumerate(desks)])

    assert Counter(outcomes) == {"in": 2, "full": DESKS - 2}, outcomes
    assert Registration.objects.filter(event=event, state=State.ACCEPTED).count() == 3


def test_the_same_email_at_two_desks_at_once_is_one_registration():
    organiser = UserFactory()
    event = EventFactory(organisers=[organiser], capacity=40)
    desks = [desk_member(event) for _n in range(DESKS)]

    outcomes = run_at_once(
        [
            arrive(event, desk, n, email="Dawid@Example.org" if n % 2 else "dawid@example.org")
            for n, desk in enumerate(desks)
        ]
    )

    assert Counter(outcomes) == {"in": 1, "already": DESKS - 1}, outcomes
    assert Registration.objects.filter(event=event).count() == 1
