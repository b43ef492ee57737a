"""The bulk decision's preview when a selected person holds a pending seat offer themselves: that
seat is theirs already (services._seat_counts leaves a person's own offer out), so the preview must
not count it twice — and it must say what the decision itself then does."""

from __future__ import annotations

import pytest

from civicmeet.events.tests.factories import EventFactory
from civicmeet.registrations.models import OfferState, SeatOffer, State
from civicmeet.registrations.services import (
    registration_cancel,
    registration_decide_many,
    registration_decide_many_preview,
)

from .before_factories import accepted, waitlisted


@pytest.fixture
def offered(organiser):
    """Two seats: Anna seated, Borys's seat freed and offered to Chaja; Dmytro waits behind her."""
    event = EventFactory(organisers=[organiser], capacity=2, offers_automatic=True, offer_hours=24)
    anna = accepted(event, organiser, first_name="Anna", organisation_name="Fundacja Zustricz")
    borys = accepted(event, organiser, first_name="Borys", organisation_name="Stowarzyszenie Czulent")
    chaja = waitlisted(event, organiser, first_name="Chaja", organisation_name="Fundacja Dom Otwarty")
    dmytro = waitlisted(event, organiser, first_name="Dmytro", organisation_name="Fundacja Nasz Wybór")
    registration_cancel(registration=borys)
    assert SeatOffer.objects.get(registration=chaja).state == OfferState.PENDING
    return event, anna, chaja, dmytro


def _outcome(preview):
    return [(row.registration.first_name, row.changes) for row in preview.rows]


def test_accepting_the_person_with_the_offer_takes_the_seat_held_for_them(offered):
    event, _anna, chaja, _dmytro = offered
    preview = registration_decide_many_preview(event=event, registration_ids=[chaja.pk], decision="accept")
    assert preview.seats_left_now == 0  # Anna's seat and the one held for Chaja
    assert _outcome(preview) == [("Chaja", True)]
    assert preview.seats_left_after == 0


def test_only_the_person_with_the_offer_fits_when_others_are_selected_too(offered, organiser):
    event, _anna, chaja, dmytro = offered
    ids = [chaja.pk, dmytro.pk]
    preview = registration_decide_many_preview(event=event, registration_ids=ids, decision="accept")
    assert _outcome(preview) == [("Chaja", True), ("Dmytro", False)]
    assert "No seats left" in preview.rows[1].reason
    assert preview.seats_left_after == 0

    # The decision does what the preview said.
    result = registration_decide_many(event=event, registration_ids=ids, decision="accept", actor=organiser)
    assert [registration.first_name for registration in result.done] == ["Chaja"]
    assert [registration.first_name for registration, _reason in result.refused] == ["Dmytro"]


def test_the_offer_counts_once_against_the_per_organisation_limit(organiser):
    event = EventFactory(organisers=[organiser], capacity=3, seats_per_organisation=1, offers_automatic=True)
    accepted(event, organiser, first_name="Anna", organisation_name="Fundacja Zustricz")
    leaving = accepted(event, organiser, first_name="Borys", organisation_name="Stowarzyszenie Czulent")
    accepted(event, organiser, first_name="Olena", organisation_name="Fundacja Dom Otwarty")
    chaja = waitlisted(event, organiser, first_name="Chaja", organisation_name="Fundacja Nasz Wybór")
    registration_cancel(registration=leaving)
    assert SeatOffer.objects.get(registration=chaja).state == OfferState.PENDING

    preview = registration_decide_many_preview(event=event, registration_ids=[chaja.pk], decision="accept")
    assert _outcome(preview) == [("Chaja", True)]
    result = registration_decide_many(event=event, registration_ids=[chaja.pk], decision="accept", actor=organiser)
    assert [registration.state for registration in result.done] == [State.ACCEPTED]


def test_rejecting_the_person_with_the_offer_frees_the_seat_it_held(offered):
    event, _anna, chaja, _dmytro = offered
    preview = registration_decide_many_preview(event=event, registration_ids=[chaja.pk], decision="reject")
    assert _outcome(preview) == [("Chaja", True)]
    assert (preview.seats_left_now, preview.seats_left_after) == (0, 1)


def test_an_offer_to_someone_not_selected_still_holds_its_seat(offered):
    event, _anna, _chaja, dmytro = offered
    preview = registration_decide_many_preview(event=event, registration_ids=[dmytro.pk], decision="accept")
    assert _outcome(preview) == [("Dmytro", False)]
