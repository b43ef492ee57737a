"""Guests through the API: added by the organisers, accepted at once, outside the capacity."""

from __future__ import annotations

import pytest

from civicmeet.notifications.models import OutgoingEmail
from civicmeet.registrations.models import Registration, Role, State
from civicmeet.registrations.services import guest_add
from civicmeet.registrations.tests.factories import registration_data, submit

pytestmark = pytest.mark.django_db


def _url(event) -> str:
    return f"/api/v1/manage/events/{event.slug}/guests"


def _guest(**overrides) -> dict:
    body = {
        "first_name": "Jan",
        "last_name": "Nowak",
        "email": "jan.nowak@krakow.example.org",
        "organisation_name": "Urząd Miasta Krakowa",
        "organisation_type": "other",
        "organisation_role": "Pełnomocnik ds. cudzoziemców",
        "language": "pl",
        "dietary": "vegetarian",
    }
    body.update(overrides)
    return body


def test_add_a_guest_accepted_outside_the_capacity(organiser_client, api_client, event, run_on_commit):
    with run_on_commit(execute=True):
        response = organiser_client.post(_url(event), _guest())
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["role"], body["state"]) == ("guest", "accepted")
    assert (body["first_name"], body["organisation_name"], body["dietary"]) == (
        "Jan",
        "Urząd Miasta Krakowa",
        "vegetarian",
    )
    assert [(entry["action"], entry["to_state"], entry["actor"]) for entry in body["history"]] == [
        ("registrations.registration.guest_added", "accepted", "organiser")
    ]
    assert "token" not in body and "manage_url" not in body
    guest = Registration.objects.get(pk=body["id"])
    assert (guest.event_id, guest.role, guest.state, guest.language) == (event.pk, Role.GUEST, State.ACCEPTED, "pl")
    assert guest.consent_processing_at is None  # as on the guest page: nobody asked them
    assert OutgoingEmail.objects.filter(registration=guest, to=guest.email).exists()
    assert api_client.get(f"/api/v1/events/{event.slug}").json()["seats_left"] == event.capacity


def test_a_guest_is_added_even_when_every_seat_is_taken(organiser_client, organiser):
    from civicmeet.events.tests.factories import EventFactory
    from civicmeet.registrations.services import registration_decide

    event = EventFactory(organisers=[organiser], capacity=1)
    registration_decide(registration=submit(event), decision="accept", actor=organiser)
    assert organiser_client.post(_url(event), _guest()).status_code == 201


def test_only_the_required_fields_are_needed(organiser_client, event):
    body = {"first_name": "Jan", "last_name": "Nowak", "email": "jan@example.org", "language": "en"}
    response = organiser_client.post(_url(event), body)
    assert response.status_code == 201, response.content
    assert (response.json()["organisation_name"], response.json()["dietary"]) == ("", "none")


def test_an_email_already_registered_is_409(organiser_client, event):
    submit(event, email="jan.nowak@krakow.example.org")
    response = organiser_client.post(_url(event), _guest(email="Jan.Nowak@krakow.example.org"))
    assert response.status_code == 409
    assert response.json()["code"] == "already_registered"
    assert not Registration.objects.filter(role=Role.GUEST).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"dietary": "other", "dietary_details": " "}, "dietary_details", "required"),
        ({"email": "jan@"}, "email", "invalid_email"),
        ({"first_name": ""}, "first_name", "string_too_short"),
        ({"language": "de"}, "language", "enum"),
        ({"organisation_type": "ministry"}, "organisation_type", "enum"),
        ({"phone": "+48600123456"}, "phone", "extra_forbidden"),
        ({"role": "organiser"}, "role", "extra_forbidden"),
        ({"state": "submitted"}, "state", "extra_forbidden"),
    ],
)
def test_bad_guests_are_422_naming_the_field(organiser_client, event, overrides, field, code):
    response = organiser_client.post(_url(event), _guest(**overrides))
    assert response.status_code == 422, response.content
    assert (field, code) in [(error["field"], error["code"]) for error in response.json()["detail"]]
    assert not Registration.objects.filter(role=Role.GUEST).exists()


def test_list_gives_the_guests_only_oldest_first(organiser_client, organiser, event):
    submit(event)
    first = guest_add(event=event, data=registration_data(first_name="Pierwszy"), actor=organiser)
    second = guest_add(event=event, data=registration_data(first_name="Drugi"), actor=organiser)
    body = organiser_client.get(_url(event)).json()
    assert body["count"] == 2
    assert [(item["id"], item["role"]) for item in body["items"]] == [(first.pk, "guest"), (second.pk, "guest")]
    assert organiser_client.get(_url(event), {"limit": 1, "offset": 1}).json()["items"][0]["id"] == second.pk


def test_list_has_a_query_ceiling(organiser_client, organiser, event, django_assert_max_num_queries):
    for _number in range(10):
        guest_add(event=event, data=registration_data(), actor=organiser)
    with django_assert_max_num_queries(5):
        response = organiser_client.get(_url(event))
    assert response.json()["count"] == 10
