"""The organisers' contact through the API: read with the event, changed with PATCH."""

from __future__ import annotations

import pytest

from civicmeet.events.models import Event, EventAction

pytestmark = pytest.mark.django_db

BASE = "/api/v1/manage/events"


def test_event_detail_has_the_contact(organiser_client, event):
    body = organiser_client.get(f"{BASE}/{event.slug}").json()
    assert (body["contact_email"], body["contact_phone"], body["contact_languages"]) == ("", "", [])


def test_patch_changes_the_contact_through_the_service(organiser_client, organiser, event):
    response = organiser_client.patch(
        f"{BASE}/{event.slug}",
        {
            "contact_email": "kontakt@zustricz.example.org",
            "contact_phone": "+48 600 123 456",
            "contact_languages": ["uk", "pl"],
            "capacity": 45,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["contact_email"] == "kontakt@zustricz.example.org"
    assert body["contact_phone"] == "+48600123456"
    assert body["contact_languages"] == ["pl", "uk"]
    assert body["capacity"] == 45
    event.refresh_from_db()
    assert event.contact_phone == "+48600123456"
    entries = event.log_entries.filter(action=EventAction.CHANGED)
    assert any("contact_email" in entry.changes for entry in entries)


def test_patch_refuses_a_wrong_contact_and_changes_nothing(organiser_client, event):
    response = organiser_client.patch(
        f"{BASE}/{event.slug}", {"capacity": 45, "contact_phone": "600 123 456", "contact_email": "not-an-email"}
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["detail"]}
    assert {"contact_phone", "contact_email"} <= fields
    event = Event.objects.get(pk=event.pk)
    assert (event.capacity, event.contact_phone, event.contact_email) == (40, "", "")


def test_patch_refuses_unknown_languages(organiser_client, event):
    response = organiser_client.patch(f"{BASE}/{event.slug}", {"contact_languages": ["de"]})
    assert response.status_code == 422


def test_outsiders_cannot_change_the_contact(outsider_client, event):
    response = outsider_client.patch(f"{BASE}/{event.slug}", {"contact_email": "outsider@example.org"})
    assert response.status_code == 404
    assert Event.objects.get(pk=event.pk).contact_email == ""


def test_create_takes_the_contact(organiser_client):
    body = {
        "slug": "warsztaty-2031",
        "title": {"pl": "Warsztaty"},
        "starts_at": "2031-10-01T10:00:00+02:00",
        "ends_at": "2031-10-01T16:00:00+02:00",
        "timezone": "Europe/Warsaw",
        "registration_opens_at": "2031-09-01T09:00:00+02:00",
        "registration_closes_at": "2031-09-26T23:59:00+02:00",
        "capacity": 20,
        "contact_email": "kontakt@zustricz.example.org",
        "contact_phone": "0048 600 123 456",
        "contact_languages": ["en", "uk"],
    }
    assert organiser_client.post("/api/v1/events", body).status_code == 201
    event = Event.objects.get(slug="warsztaty-2031")
    assert (event.contact_email, event.contact_phone, event.contact_languages) == (
        "kontakt@zustricz.example.org",
        "+48600123456",
        ["uk", "en"],
    )
    wrong = {**body, "slug": "warsztaty-2032", "contact_phone": "12"}
    response = organiser_client.post("/api/v1/events", wrong)
    assert response.status_code == 422
    assert not Event.objects.filter(slug="warsztaty-2032").exists()  # not created with a wrong contact
