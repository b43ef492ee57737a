"""The last week's read-only API: the answers to "Are you still coming?" and the waiting list's offers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civicmeet.api.urls import api
from civicmeet.events.services import event_update
from civicmeet.events.tests.factories import EventFactory
from civicmeet.registrations.models import Reconfirmation, SeatOffer
from civicmeet.registrations.offers import offer_accept, offer_decline, offer_make, waitlist_move
from civicmeet.registrations.reconfirmation import reconfirmation_answer, reconfirmations_send
from civicmeet.registrations.services import registration_cancel
from civicmeet.registrations.tests.before_factories import accepted, waitlisted

pytestmark = pytest.mark.django_db


def _url(event, what: str) -> str:
    return f"/api/v1/manage/events/{event.slug}/{what}"


def _at(text: str, moment: datetime) -> bool:
    """The API's time (ISO 8601, to the millisecond) is this moment."""
    return abs(datetime.fromisoformat(text) - moment) < timedelta(milliseconds=1)


def _rows_by_name(body) -> dict[str, dict]:
    return {item["name"]: item for item in body["items"]}


# -- Reconfirmations ----------------------------------------------------------------------------


@pytest.fixture
def asked(organiser):
    """Asked 20 days before a start 14 days ahead (so, already): one yes, one no, one silent,
    one accepted after the question went out, one who cancelled without answering."""
    event = EventFactory(organisers=[organiser], reconfirm_days_before=20)
    people = {
        name: accepted(event, organiser, first_name=first, last_name=name)
        for first, name in [("Anna", "Adamska"), ("Borys", "Бондар"), ("Chaja", "כהן"), ("Dmytro", "Dudko")]
    }
    assert reconfirmations_send() == 4
    reconfirmation_answer(reconfirmation=Reconfirmation.objects.get(registration=people["Adamska"]), answer="yes")
    reconfirmation_answer(reconfirmation=Reconfirmation.objects.get(registration=people["Бондар"]), answer="no")
    registration_cancel(registration=people["Dudko"])
    people["Ewa"] = accepted(event, organiser, first_name="Ewa", last_name="Ędzik")
    waitlisted(event, organiser, first_name="Fatima", last_name="Farah")
    return event, people


def test_reconfirmations_say_who_answered_yes_no_or_not_yet_and_when(organiser_client, asked):
    event, people = asked
    response = organiser_client.get(_url(event, "reconfirmations"))

    assert response.status_code == 200
    body = response.json()
    assert body["days_before"] == 20
    assert datetime.fromisoformat(body["due_at"]) == event.starts_at - timedelta(days=20)
    assert body["counts"] == {"yes": 1, "no": 1, "unanswered": 1, "not_asked": 1}
    assert body["count"] == 4
    # In surname order; the one who cancelled without answering and the wait-listed are not here.
    assert [item["name"] for item in body["items"]] == ["Anna Adamska", "Ewa Ędzik", "Borys Бондар", "Chaja כהן"]
    rows = _rows_by_name(body)
    anna = rows["Anna Adamska"]
    assert (anna["status"], anna["state"]) == ("yes", "accepted")
    answered = Reconfirmation.objects.get(registration=people["Adamska"])
    assert _at(anna["answered_at"], answered.answered_at)
    assert _at(anna["asked_at"], answered.created_at)
    assert anna["answered_at"].endswith(("+01:00", "+02:00"))  # the event's zone (Europe/Warsaw)
    assert (rows["Borys Бондар"]["status"], rows["Borys Бондар"]["state"]) == ("no", "cancelled")
    chaja = rows["Chaja כהן"]
    assert (chaja["status"], chaja["answered_at"]) == ("unanswered", None)
    assert chaja["asked_at"] is not None
    ewa = rows["Ewa Ędzik"]
    assert (ewa["status"], ewa["asked_at"], ewa["answered_at"]) == ("not_asked", None, None)
    assert ewa["organisation"] == "Fundacja Zustricz"
    assert ewa["registration_id"] == people["Ewa"].pk


@pytest.mark.parametrize(
    ("status", "names"),
    [("yes", ["Anna Adamska"]), ("no", ["Borys Бондар"]), ("unanswered", ["Chaja כהן"]), ("not_asked", ["Ewa Ędzik"])],
)
def test_reconfirmations_filtered_by_answer_keep_the_whole_events_counts(organiser_client, asked, status, names):
    event, _people = asked
    body = organiser_client.get(_url(event, "reconfirmations"), {"status": status}).json()
    assert [item["name"] for item in body["items"]] == names
    assert body["count"] == 1
    assert body["counts"] == {"yes": 1, "no": 1, "unanswered": 1, "not_asked": 1}


def test_reconfirmations_refuse_an_unknown_answer(organiser_client, asked):
    event, _people = asked
    response = organiser_client.get(_url(event, "reconfirmations"), {"status": "maybe"})
    assert response.status_code == 422


def test_reconfirmations_are_paged(organiser_client, asked):
    event, _people = asked
    first = organiser_client.get(_url(event, "reconfirmations"), {"limit": 3}).json()
    second = organiser_client.get(_url(event, "reconfirmations"), {"limit": 3, "offset": 3}).json()
    assert first["count"] == second["count"] == 4
    assert [item["name"] for item in first["items"] + second["items"]] == [
        "Anna Adamska",
        "Ewa Ędzik",
        "Borys Бондар",
        "Chaja כהן",
    ]
    assert organiser_client.get(_url(event, "reconfirmations"), {"limit": 501}).status_code == 422


def test_an_event_that_does_not_ask_lists_everyone_as_not_asked(organiser_client, organiser):
    event = EventFactory(organisers=[organiser])
    accepted(event, organiser, first_name="Anna", last_name="Adamska")
    body = organiser_client.get(_url(event, "reconfirmations")).json()
    assert (body["days_before"], body["due_at"]) == (None, None)
    assert body["counts"] == {"yes": 0, "no": 0, "unanswered": 0, "not_asked": 1}


def test_reconfirmations_cost_the_same_queries_for_more_people(organiser_client, organiser, asked):
    event, _people = asked
    organiser_client.get(_url(event, "reconfirmations"))  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert organiser_client.get(_url(event, "reconfirmations")).status_code == 200
    more = [accepted(event, organiser, last_name=f"Zieliński{n}") for n in range(6)]
    assert reconfirmations_send() == 7  # the six and Ewa
    for registration in more[:3]:
        reconfirmation_answer(reconfirmation=Reconfirmation.objects.get(registration=registration), answer="yes")
    with CaptureQueriesContext(connection) as many:
        body = organiser_client.get(_url(event, "reconfirmations")).json()
    assert body["count"] == 10
    assert len(many) == len(few) <= 8


# -- Waiting-list offers ------------------------------------------------------------------------


@pytest.fixture
def offers(organiser):
    """Two seats; a waiting list of four in an order an organiser changed; one offer that ran out
    (not yet closed by the task), one declined, one accepted and one waiting for an answer."""
    event = EventFactory(organisers=[organiser], capacity=2, offer_hours=24, offers_automatic=False)
    anna, borys = (accepted(event, organiser, first_name=name, last_name="Seated") for name in ("Anna", "Borys"))
    waiting = {
        name: waitlisted(event, organiser, first_name=name, last_name="Waiting")
        for name in ("Chaja", "Dmytro", "Ewa", "Fatima")
    }
    waitlist_move(event=event, registration=waiting["Fatima"], direction="up", actor=organiser)
    registration_cancel(registration=anna)
    ran_out = offer_make(registration=waiting["Chaja"], actor=organiser, now=timezone.now() - timedelta(hours=30))
    declined = offer_make(registration=waiting["Dmytro"], actor=organiser)
    offer_decline(offer=declined)
    taken = offer_make(registration=waiting["Fatima"], actor=None)
    offer_accept(offer=taken)
    registration_cancel(registration=borys)
    pending = offer_make(registration=waiting["Ewa"], actor=organiser)
    return event, waiting, {"ran_out": ran_out, "declined": declined, "taken": taken, "pending": pending}


def test_seat_offers_show_the_waiting_list_in_order_with_every_offer_and_its_expiry(
    organiser_client, organiser, offers
):
    event, waiting, made = offers
    response = organiser_client.get(_url(event, "seat-offers"))

    assert response.status_code == 200
    body = response.json()
    assert (body["offer_hours"], body["offers_automatic"]) == (24, False)
    assert body["seats_free"] == 0  # Fatima took one seat, Ewa's offer holds the other
    assert body["counts"] == {"waitlisted": 3, "pending": 1, "accepted": 1, "declined": 1, "expired": 1}
    assert body["count"] == 4
    assert [(item["name"], item["place"], item["state"]) for item in body["items"]] == [
        ("Chaja Waiting", 1, "waitlisted"),
        ("Dmytro Waiting", 2, "waitlisted"),
        ("Ewa Waiting", 3, "waitlisted"),
        ("Fatima Waiting", None, "accepted"),  # took the seat offered: no longer on the list
    ]
    rows = _rows_by_name(body)
    chaja = rows["Chaja Waiting"]["offers"]
    # Still "pending" in the database until the expiry task runs; ran out all the same.
    assert SeatOffer.objects.get(pk=made["ran_out"].pk).state == "pending"
    assert [(offer["state"], offer["holds_seat"]) for offer in chaja] == [("expired", False)]
    assert [offer["state"] for offer in rows["Dmytro Waiting"]["offers"]] == ["declined"]
    assert rows["Dmytro Waiting"]["offers"][0]["answered_at"] is not None
    ewa = rows["Ewa Waiting"]["offers"][0]
    assert (ewa["state"], ewa["holds_seat"], ewa["answered_at"]) == ("pending", True, None)
    assert _at(ewa["expires_at"], made["pending"].expires_at)
    open_for = datetime.fromisoformat(ewa["expires_at"]) - datetime.fromisoformat(ewa["offered_at"])
    assert abs(open_for - timedelta(hours=24)) < timedelta(seconds=5)
    assert ewa["offered_by"] == organiser.email
    fatima = rows["Fatima Waiting"]["offers"][0]
    assert (fatima["state"], fatima["holds_seat"], fatima["offered_by"]) == ("accepted", False, None)
    assert rows["Fatima Waiting"]["registration_id"] == waiting["Fatima"].pk


def test_seat_offers_are_paged_with_the_places_kept(organiser_client, offers):
    event, _waiting, _made = offers
    second = organiser_client.get(_url(event, "seat-offers"), {"limit": 2, "offset": 2}).json()
    assert second["count"] == 4
    assert [(item["name"], item["place"]) for item in second["items"]] == [
        ("Ewa Waiting", 3),
        ("Fatima Waiting", None),
    ]


def test_seat_offers_cost_the_same_queries_for_more_people(organiser_client, organiser, offers):
    event, _waiting, _made = offers
    organiser_client.get(_url(event, "seat-offers"))  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert organiser_client.get(_url(event, "seat-offers")).status_code == 200
    event = event_update(event=event, data={"capacity": 20})
    for n in range(4):
        person = waitlisted(event, organiser, first_name=f"Person{n}", last_name="Later")
        # More offers too: each ran out, and the first person has a second one, waiting.
        offer_make(registration=person, actor=organiser, now=timezone.now() - timedelta(hours=30))
        if n == 0:
            offer_make(registration=person, actor=organiser)
    with CaptureQueriesContext(connection) as many:
        body = organiser_client.get(_url(event, "seat-offers")).json()
    assert body["count"] == 8
    assert len(many) == len(few) <= 10


# -- Who may read them ------------------------------------------------------------------------


@pytest.mark.parametrize("what", ["reconfirmations", "seat-offers"])
def test_desk_staff_and_outsiders_get_404_and_anonymous_401(
    what, event, desk_client, outsider_client, api_client, organiser_client
):
    assert organiser_client.get(_url(event, what)).status_code == 200
    assert desk_client.get(_url(event, what)).status_code == 404
    assert outsider_client.get(_url(event, what)).status_code == 404
    assert api_client.get(_url(event, what)).status_code == 401
    assert organiser_client.get(f"/api/v1/manage/events/no-such-event/{what}").status_code == 404
    assert organiser_client.get(f"/api/v1/manage/events/NOT%20A%20SLUG/{what}").status_code == 404


@pytest.mark.parametrize("what", ["reconfirmations", "seat-offers"])
def test_the_endpoints_only_read(what, organiser_client, event):
    assert organiser_client.post(_url(event, what), {}).status_code == 405


def test_the_openapi_schema_describes_both_lists():
    schema = api.get_openapi_schema()
    paths = schema["paths"]
    reconfirmations = paths["/api/v1/manage/events/{slug}/reconfirmations"]
    offers = paths["/api/v1/manage/events/{slug}/seat-offers"]
    assert set(reconfirmations) == {"get"} and set(offers) == {"get"}
    for operation in (reconfirmations["get"], offers["get"]):
        assert operation["tags"] == ["organisers: before the day"]
        assert {200, 401, 404, 422} <= set(operation["responses"])
        assert operation["security"]
        assert {parameter["name"] for parameter in operation["parameters"]} >= {"slug", "limit", "offset"}
    status = next(p for p in reconfirmations["get"]["parameters"] if p["name"] == "status")
    components = schema["components"]["schemas"]
    assert set(components["ReconfirmationStatus"]["enum"]) == {"yes", "no", "unanswered", "not_asked"}
    assert status["schema"]
    row = components["SeatOfferOut"]["properties"]
    assert {"state", "expires_at", "holds_seat", "offered_by"} <= set(row)
