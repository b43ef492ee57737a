"""Waiting-list offers: a freed seat goes to the next on the list, and never more accepted than seats."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from civicmeet.events.tests.factories import EventFactory
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.registrations.models import LogEntry, OfferState, Registration, SeatOffer, State
from civicmeet.registrations.offers import (
    OfferError,
    offer_accept,
    offer_by_token,
    offer_decline,
    offer_make,
    offers_expire,
    offers_fill,
    waitlist,
    waitlist_move,
)
from civicmeet.registrations.services import CapacityError, registration_cancel, registration_decide

from .before_factories import accepted, offer_token, waitlisted


@pytest.fixture
def full_event(organiser):
    """Two seats, both taken, three people on the waiting list (in the order they registered)."""
    event = EventFactory(organisers=[organiser], capacity=2, offers_automatic=True, offer_hours=24)
    seated = [accepted(event, organiser, first_name=name) for name in ("Anna", "Borys")]
    waiting = [waitlisted(event, organiser, first_name=name) for name in ("Chaja", "Dmytro", "Ewa")]
    return event, seated, waiting


def _offers(registration):
    return list(SeatOffer.objects.filter(registration=registration).values_list("state", flat=True))


def test_a_cancellation_offers_the_seat_to_the_first_on_the_waiting_list(full_event):
    event, seated, waiting = full_event
    registration_cancel(registration=seated[0])
    assert _offers(waiting[0]) == [OfferState.PENDING]
    assert _offers(waiting[1]) == []
    email = OutgoingEmail.objects.filter(kind="seat_offer").get()
    assert email.to == waiting[0].email and email.language == "uk"
    assert LogEntry.objects.filter(registration=waiting[0], action="registrations.offer.made").exists()


def test_accepting_the_offer_admits_them_once_even_when_clicked_twice(full_event):
    event, seated, waiting = full_event
    registration_cancel(registration=seated[0])
    offer = offer_by_token(offer_token(waiting[0]))
    assert offer_accept(offer=offer).changed is True
    assert offer_accept(offer=offer).changed is False
    waiting[0].refresh_from_db()
    assert waiting[0].state == State.ACCEPTED
    assert OutgoingEmail.objects.filter(kind="registration_accepted", to=waiting[0].email).count() == 1
    assert Registration.objects.filter(event=event, state=State.ACCEPTED).count() == 2


def test_a_pending_offer_holds_its_seat_against_an_organiser_accepting_by_hand(full_event, organiser):
    event, seated, waiting = full_event
    registration_cancel(registration=seated[0])
    with pytest.raises(CapacityError):
        registration_decide(registration=waiting[1], decision="accept", actor=organiser)
    # The one the seat is offered to can still be accepted by hand: it is their seat.
    registration_decide(registration=waiting[0], decision="accept", actor=organiser)
    offer = SeatOffer.objects.get(registration=waiting[0])
    assert offer_accept(offer=offer).changed is False  # already theirs
    assert Registration.objects.filter(event=event, state=State.ACCEPTED).count() == 2


def test_an_expired_offer_goes_to_the_next_and_cannot_be_accepted(full_event):
    event, seated, waiting = full_event
    registration_cancel(registration=seated[0])
    offer = offer_by_token(offer_token(waiting[0]))
    later = timezone.now() + timedelta(hours=25)
    with time_machine.travel(later, tick=False):
        with pytest.raises(OfferError):
            offer_accept(offer=offer)
        assert offers_expire() == 1
        assert offers_expire() == 0  # a second run finds nothing
    assert _offers(waiting[0]) == [OfferState.EXPIRED]
    assert _offers(waiting[1]) == [OfferState.PENDING]
    with pytest.raises(OfferError):
        offer_accept(offer=offer)


def test_a_declined_offer_goes_to_the_next_who_stays_on_the_list(full_event):
    event, seated, waiting = full_event
    registration_cancel(registration=seated[0])
    offer = offer_by_token(offer_token(waiting[0]))
    assert offer_decline(offer=offer).changed is True
    assert offer_decline(offer=offer).changed is False
    waiting[0].refresh_from_db()
    assert waiting[0].state == State.WAITLISTED
    assert _offers(waiting[1]) == [OfferState.PENDING]
    with pytest.raises(OfferError):
        offer_accept(offer=offer)


def test_on_the_organisers_click_nothing_is_offered_until_they_click(organiser):
    event = EventFactory(organisers=[organiser], capacity=1, offers_automatic=False)
    seat = accepted(event, organiser)
    first, second = waitlisted(event, organiser), waitlisted(event, organiser)
    registration_cancel(registration=seat)
    assert SeatOffer.objects.count() == 0
    offer = offer_make(registration=second, actor=organiser)
    assert offer.offered_by == organiser
    # The one seat is held by that offer: no second offer, by click or automatically.
    with pytest.raises(OfferError):
        offer_make(registration=first, actor=organiser)
    assert offers_fill(event=event) == []
    offer_decline(offer=offer)
    assert SeatOffer.objects.filter(registration=first).count() == 0  # not automatic
    assert [o.registration for o in offers_fill(event=event, actor=organiser)] == [first]


def test_moving_someone_off_a_seat_offers_it_to_the_waiting_list_not_to_them(organiser):
    event = EventFactory(organisers=[organiser], capacity=1, offers_automatic=True)
    lonely = accepted(event, organiser)
    registration_decide(registration=lonely, decision="waitlist", actor=organiser)
    assert SeatOffer.objects.count() == 0  # nobody else waits; not offered back to the same person
    registration_decide(registration=lonely, decision="accept", actor=organiser)

    other = waitlisted(event, organiser)
    registration_decide(registration=lonely, decision="waitlist", actor=organiser)
    assert [offer.registration for offer in SeatOffer.objects.all()] == [other]


def test_the_waiting_list_order_can_be_changed_and_is_followed(full_event, organiser):
    event, seated, waiting = full_event
    assert list(waitlist(event)) == waiting
    waitlist_move(event=event, registration=waiting[2], direction="up", actor=organiser)
    waitlist_move(event=event, registration=waiting[2], direction="up", actor=organiser)
    assert list(waitlist(event)) == [waiting[2], waiting[0], waiting[1]]
    waitlist_move(event=event, registration=waiting[2], direction="up", actor=organiser)  # already first
    assert list(waitlist(event)) == [waiting[2], waiting[0], waiting[1]]
    registration_cancel(registration=seated[1])
    assert _offers(waiting[2]) == [OfferState.PENDING]
    assert _offers(waiting[0]) == []


def test_the_bulk_preview_counts_seats_held_by_offers(full_event, organiser):
    from civicmeet.registrations.services import registration_decide_many_preview

    event, seated, waiting = full_event
    registration_cancel(registration=seated[0])
    preview = registration_decide_many_preview(event=event, registration_ids=[waiting[1].pk], decision="accept")
    assert preview.seats_left_now == 0
    assert preview.changing == []


# -- The pages: the participant's offer link, the organisers' page and its buttons -----------------


def test_the_offer_link_shows_a_page_and_only_the_post_answers(client, full_event):
    event, seated, waiting = full_event
    registration_cancel(registration=seated[0])
    url = reverse("registrations:offer", kwargs={"token": offer_token(waiting[0])})
    for _ in range(2):  # a mail scanner, then the person
        response = client.get(url)
        assert response.status_code == 200
        assert b'value="accept"' in response.content
    waiting[0].refresh_from_db()
    assert waiting[0].state == State.WAITLISTED
    assert client.post(url, {"action": "accept"}).status_code == 302
    waiting[0].refresh_from_db()
    assert waiting[0].state == State.ACCEPTED
    page = client.get(url)
    assert b'data-offer="accepted"' in page.content and b'value="accept"' not in page.content
    assert client.post(url, {"action": "decline"}).status_code == 302  # too late: a message, no error
    assert SeatOffer.objects.get(registration=waiting[0]).state == OfferState.ACCEPTED
    assert client.get(reverse("registrations:offer", kwargs={"token": "nope"})).status_code == 404


def _manage(name, event, **kwargs):
    return reverse(f"registrations:{name}", kwargs={"slug": event.slug, **kwargs})


def test_the_organisers_page_needs_the_events_team(client, full_event, outsider):
    event, seated, waiting = full_event
    page = _manage("before_the_day", event)
    assert client.get(page).status_code == 302  # to the login
    client.force_login(outsider)
    assert client.get(page).status_code == 404
    assert client.post(_manage("offer_make", event, pk=waiting[0].pk)).status_code == 404
    assert client.post(_manage("waitlist_move", event, pk=waiting[0].pk), {"direction": "up"}).status_code == 404
    assert client.post(_manage("offers_fill", event)).status_code == 404
    assert SeatOffer.objects.count() == 0


def test_the_organisers_page_lists_the_waiting_list_in_order_with_its_offers(
    client, full_event, organiser, django_assert_max_num_queries
):
    event, seated, waiting = full_event
    registration_cancel(registration=seated[0])
    client.force_login(organiser)
    with django_assert_max_num_queries(20):
        response = client.get(_manage("before_the_day", event))
    text = response.content.decode()
    positions = [text.index(f'data-registration="{r.pk}"') for r in waiting]
    assert positions == sorted(positions)
    assert "Held by offers waiting for an answer: 1. Free: 0." in text
    assert client.post(_manage("before_the_day", event)).status_code == 405
    assert client.get(_manage("offers_fill", event)).status_code == 405
    # More people on the list cost no more queries.
    for n in range(5):
        waitlisted(event, organiser, first_name=f"Extra{n}")
    with django_assert_max_num_queries(20):
        client.get(_manage("before_the_day", event))


def test_the_organisers_buttons_move_and_offer(client, organiser):
    event = EventFactory(organisers=[organiser], capacity=1, offers_automatic=False)
    seat = accepted(event, organiser)
    first, second = waitlisted(event, organiser), waitlisted(event, organiser)
    registration_cancel(registration=seat)
    client.force_login(organiser)
    response = client.post(_manage("waitlist_move", event, pk=second.pk), {"direction": "up"})
    assert response.status_code == 302 and response["Location"].endswith("#waiting-list")
    assert list(waitlist(event)) == [second, first]
    client.post(_manage("offers_fill", event))
    assert SeatOffer.objects.get().registration == second
    response = client.post(_manage("offer_make", event, pk=first.pk), follow=True)
    assert "No seats left" in response.content.decode()  # the one seat is held by the offer
    assert SeatOffer.objects.count() == 1


def test_the_event_form_saves_the_before_the_day_settings(client, organiser, event):
    from civicmeet.events.tests.test_views_manage import event_post_data

    client.force_login(organiser)
    data = event_post_data(slug=None, reconfirm_days_before="3", offer_hours="12", offers_automatic="on")
    response = client.post(reverse("events:edit", kwargs={"slug": event.slug}), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.reconfirm_days_before, event.offer_hours, event.offers_automatic) == (3, 12, True)
    data = event_post_data(slug=None, reconfirm_days_before="0", offer_hours="")
    response = client.post(reverse("events:edit", kwargs={"slug": event.slug}), data)
    assert response.status_code == 200
    assert "reconfirm_days_before" in response.context["form"].errors
    event.refresh_from_db()
    assert event.reconfirm_days_before == 3


def test_the_personal_page_says_a_seat_is_offered(client, full_event):
    event, seated, waiting = full_event
    personal = reverse("registrations:personal", kwargs={"token": waiting[0].token})
    assert b'data-offer="pending"' not in client.get(personal).content
    registration_cancel(registration=seated[0])
    assert b'data-offer="pending"' in client.get(personal).content
    offer_accept(offer=SeatOffer.objects.get(registration=waiting[0]))
    assert b'data-offer="pending"' not in client.get(personal).content
