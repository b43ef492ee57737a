"""One registration for its organisers, with its history; and decisions that need a confirmation."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from civicmeet.eligibility import SafetyPolicy
from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.registrations.models import SafetyVerdict, State
from civicmeet.registrations.safety import SafetyInput
from civicmeet.registrations.services import registration_decide
from civicmeet.registrations.tests.factories import submit

pytestmark = pytest.mark.django_db


def _url(event, registration_id) -> str:
    return f"/api/v1/manage/events/{event.slug}/registrations/{registration_id}"


def test_detail_gives_the_registration_with_its_history(organiser_client, organiser, event):
    registration = submit(event, first_name="Olena", email="olena@example.org")
    registration_decide(registration=registration, decision="waitlist", actor=organiser, message="All seats are taken.")
    registration_decide(registration=registration, decision="accept", actor=organiser)
    response = organiser_client.get(_url(event, registration.pk))
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["email"], body["state"], body["event_slug"]) == (
        registration.pk,
        "olena@example.org",
        "accepted",
        event.slug,
    )
    history = [
        (entry["action"], entry["from_state"], entry["to_state"], entry["actor"], entry["message"])
        for entry in body["history"]
    ]
    assert history == [
        ("registrations.registration.submitted", "", "submitted", "participant", ""),
        ("registrations.registration.waitlisted", "submitted", "waitlisted", "organiser", "All seats are taken."),
        ("registrations.registration.accepted", "waitlisted", "accepted", "organiser", ""),
    ]
    assert body["history"][0]["at"].endswith(("+01:00", "+02:00"))  # the event's time zone
    assert body["safety_declaration"] is None and body["safety_reason"] is None


def test_history_names_no_organiser_and_the_detail_no_personal_link(organiser_client, organiser, event):
    colleague = UserFactory(email="colleague-secret@czulent.example.org", first_name="Rivka", last_name="Secretname")
    registration = submit(event)
    registration_decide(registration=registration, decision="reject", actor=colleague)
    text = organiser_client.get(_url(event, registration.pk)).content.decode()
    for secret in (colleague.email, "Secretname", "Rivka", organiser.email, registration.token):
        assert secret not in text
    body = json.loads(text)
    assert set(body["history"][-1]) == {"at", "action", "from_state", "to_state", "actor", "message"}
    assert "token" not in body and "manage_url" not in body


def test_detail_shows_the_stored_declaration_and_the_verdicts_reason(organiser_client, organiser):
    event = EventFactory(organisers=[organiser], safety_policy=SafetyPolicy().to_data())
    completed = event.local(event.starts_at).date() - timedelta(days=60)
    registration = submit(event, safety=SafetyInput(basis="vaccinated", date=completed), consent_health=True)
    body = organiser_client.get(_url(event, registration.pk)).json()
    assert body["safety_verdict"] == "meets"
    assert body["safety_declaration"] == {
        "basis": "vaccinated",
        "date": completed.isoformat(),
        "taken_at": None,
        "test_kind": None,
    }
    assert body["safety_reason"]


@pytest.mark.parametrize("registration_id", ["999999", "0", "9223372036854775808"])
def test_an_unknown_registration_is_404(organiser_client, event, registration_id):
    assert organiser_client.get(_url(event, registration_id)).status_code == 404


def test_a_registration_of_another_event_is_404_through_ours(organiser_client, organiser, event, outsider):
    other = EventFactory(organisers=[outsider, organiser])
    registration = submit(other)
    assert organiser_client.get(_url(event, registration.pk)).status_code == 404
    assert organiser_client.get(_url(other, registration.pk)).status_code == 200


def test_detail_has_a_query_ceiling(organiser_client, organiser, event, django_assert_max_num_queries):
    registration = submit(event)
    for decision in ("waitlist", "accept"):
        registration_decide(registration=registration, decision=decision, actor=organiser)
    with django_assert_max_num_queries(6):
        response = organiser_client.get(_url(event, registration.pk))
    assert len(response.json()["history"]) == 3


# -- Decisions that need an explicit yes ----------------------------------------------------------


@pytest.fixture
def failing(organiser):
    """A registration whose declaration does not meet the event's safety rule."""
    event = EventFactory(organisers=[organiser], safety_policy=SafetyPolicy().to_data())
    taken_at = event.starts_at - timedelta(hours=100)
    registration = submit(
        event, safety=SafetyInput(basis="tested", taken_at=taken_at, test_kind="pcr"), consent_health=True
    )
    assert registration.safety_verdict == SafetyVerdict.DOES_NOT_MEET
    return registration


def test_accepting_a_declaration_that_does_not_meet_the_rule_needs_confirm(organiser_client, failing):
    url = f"/api/v1/events/{failing.event.slug}/registrations/{failing.pk}/decision"
    response = organiser_client.post(url, {"decision": "accept"})
    assert response.status_code == 409
    assert response.json()["code"] == "confirmation_required"
    failing.refresh_from_db()
    assert failing.state == State.SUBMITTED

    response = organiser_client.post(url, {"decision": "accept", "confirm": True})
    assert response.status_code == 200
    assert response.json()["state"] == "accepted"
