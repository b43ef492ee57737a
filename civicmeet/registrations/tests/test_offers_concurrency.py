"""Offers under a race: never more accepted than seats, whatever the timing.

Real threads, each with its own connection, released together at a barrier (as in
test_concurrency.py): on SQLite the IMMEDIATE transactions queue on the database's write lock,
on PostgreSQL every path takes the event's row lock first.
"""

from __future__ import annotations

from collections import Counter

import pytest

from civicmeet.core.errors import DomainError
from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.registrations.models import OfferState, Registration, SeatOffer, State
from civicmeet.registrations.offers import offer_accept, offer_make, offers_fill
from civicmeet.registrations.services import registration_cancel, registration_decide

from .before_factories import accepted, waitlisted
from .test_concurrency import run_at_once

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def _outcome(call):
    def job():
        try:
            call()
        except DomainError as error:
            return type(error).__name__
        return "done"

    return job


def _seats_used(event) -> int:
    return Registration.objects.filter(event=event, state=State.ACCEPTED, role="participant").count()


def test_organisers_accepting_by_hand_cannot_take_a_seat_held_by_a_pending_offer():
    organiser = UserFactory()
    event = EventFactory(organisers=[organiser], capacity=3, offers_automatic=False)
    seated = [accepted(event, organiser, organisation_name=f"Org {n}") for n in range(3)]
    waiting = [waitlisted(event, organiser, organisation_name=f"Org W{n}") for n in range(8)]
    registration_cancel(registration=seated[0])
    offer = offer_make(registration=waiting[0], actor=organiser)

    jobs = [_outcome(lambda: offer_accept(offer=offer))]
    jobs += [
        _outcome(lambda r=r: registration_decide(registration=r, decision="accept", actor=organiser))
        for r in waiting[1:]
    ]
    jobs += [_outcome(lambda: offers_fill(event=event, actor=organiser)) for _ in range(3)]
    outcomes = run_at_once(jobs)

    assert outcomes[0] == "done", outcomes
    assert Counter(outcomes[1:8]) == {"CapacityError": 7}, outcomes
    assert _seats_used(event) == 3
    waiting[0].refresh_from_db()
    assert waiting[0].state == State.ACCEPTED
    assert SeatOffer.objects.filter(state=OfferState.PENDING).count() == 0


def test_two_people_accepting_their_offers_with_organisers_racing_for_the_same_seats():
    organiser = UserFactory()
    event = EventFactory(organisers=[organiser], capacity=4, offers_automatic=True)
    seated = [accepted(event, organiser, organisation_name=f"Org {n}") for n in range(4)]
    waiting = [waitlisted(event, organiser, organisation_name=f"Org W{n}") for n in range(10)]
    registration_cancel(registration=seated[0])
    registration_cancel(registration=seated[1])
    offers = list(SeatOffer.objects.filter(state=OfferState.PENDING).order_by("id"))
    assert [o.registration_id for o in offers] == [waiting[0].pk, waiting[1].pk]

    jobs = [_outcome(lambda o=o: offer_accept(offer=o)) for o in offers]
    jobs += [
        _outcome(lambda r=r: registration_decide(registration=r, decision="accept", actor=organiser))
        for r in waiting[2:]
    ]
    jobs += [_outcome(lambda: offer_accept(offer=offers[0])) for _ in range(2)]  # a double click
    outcomes = run_at_once(jobs)

    assert outcomes[:2] == ["done", "done"], outcomes
    assert Counter(outcomes[2:10]) == {"CapacityError": 8}, outcomes
    assert outcomes[10:] == ["done", "done"]
    assert _seats_used(event) == 4
    assert set(Registration.objects.filter(event=event, state=State.ACCEPTED).values_list("pk", flat=True)) == {
        seated[2].pk,
        seated[3].pk,
        waiting[0].pk,
        waiting[1].pk,
    }


def test_a_seat_freed_while_organisers_accept_is_given_once():
    """A cancellation (its automatic offer) and acceptances by hand at the same instant."""
    organiser = UserFactory()
    event = EventFactory(organisers=[organiser], capacity=2, offers_automatic=True)
    seated = [accepted(event, organiser, organisation_name=f"Org {n}") for n in range(2)]
    waiting = [waitlisted(event, organiser, organisation_name=f"Org W{n}") for n in range(8)]

    jobs = [_outcome(lambda: registration_cancel(registration=seated[0]))]
    jobs += [
        _outcome(lambda r=r: registration_decide(registration=r, decision="accept", actor=organiser))
        for r in waiting[1:]
    ]
    outcomes = run_at_once(jobs)

    assert outcomes[0] == "done", outcomes
    pending = SeatOffer.objects.filter(state=OfferState.PENDING).count()
    # Either someone accepted by hand got the seat first (no offer), or the offer holds it.
    assert _seats_used(event) + pending == 2, (outcomes, pending)
    assert Counter(outcomes[1:])["done"] == 1 - pending
