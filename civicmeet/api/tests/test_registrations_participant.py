from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from civicmeet.events.services import questions_replace
from civicmeet.events.tests.factories import EventFactory
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.registrations.models import LogEntry, Registration, State
from civicmeet.registrations.services import registration_decide, registration_submit
from civicmeet.registrations.tests.factories import registration_data, submit

from .conftest import JSONClient

pytestmark = pytest.mark.django_db


def _url(event):
    return f"/api/v1/events/{event.slug}/registrations"


def _fields(response):
    return {error["field"] for error in response.json()["detail"]}


@pytest.fixture
def questions(event):
    return questions_replace(
        event=event,
        questions=[
            {
                "key": "topics",
                "kind": "multiple_choice",
                "label": {"pl": "Tematy", "en": "Topics"},
                "required": True,
                "options": [
                    {"key": "funding", "label": {"en": "Funding"}},
                    {"key": "officials", "label": {"en": "Officials"}},
                ],
            },
            {"key": "lunch", "kind": "yes_no", "label": {"en": "Staying for lunch?"}, "required": False},
        ],
    )


# -- Register ---------------------------------------------------------------------------------------


def test_register_creates_a_submitted_registration_and_emails_the_link(
    api_client, event, registration_body, run_on_commit
):
    with run_on_commit(execute=True):
        response = api_client.post(
            _url(event),
            registration_body(
                phone="+48 600 123 456",
                dietary="kosher",
                organisation_role="Koordynatorka",
                accessibility_needs="Wheelchair access",
                interpreting_needs="Ukrainian ↔ Polish",
                consent_listing=True,
            ),
        )
    assert response.status_code == 201, response.content
    body = response.json()
    registration = Registration.objects.get()
    assert body == {
        "id": registration.pk,
        "state": "submitted",
        "token": registration.token,
        "manage_url": f"{settings.SITE_URL}/uk/r/{registration.token}/",
        "safety_verdict": None,
        "safety_reason": None,
    }
    assert registration.phone == "+48600123456"
    assert registration.dietary == "kosher"
    assert registration.organisation.name == "Fundacja Zustricz"
    assert registration.organisation.type == "migrant"
    assert registration.consent_processing_at is not None
    assert registration.consent_listing is True
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["olena@example.org"]
    assert registration.token in mail.outbox[0].body


def test_register_stores_cleaned_answers_to_the_event_questions(api_client, event, questions, registration_body):
    response = api_client.post(
        _url(event), registration_body(answers={"topics": ["officials", "funding", "officials"], "lunch": "yes"})
    )
    assert response.status_code == 201
    assert Registration.objects.get().answers == {"topics": ["officials", "funding"], "lunch": True}


def test_register_needs_no_csrf_token(event, registration_body):
    response = JSONClient(enforce_csrf_checks=True).post(_url(event), registration_body())
    assert response.status_code == 201


def test_register_again_with_the_same_email_is_409_and_resends_the_link(
    api_client, event, registration_body, run_on_commit
):
    first = api_client.post(_url(event), registration_body()).json()
    with run_on_commit(execute=True):
        response = api_client.post(_url(event), registration_body(email="OLENA@example.org", first_name="Inna"))
    assert response.status_code == 409
    assert response.json()["code"] == "already_registered"
    assert Registration.objects.count() == 1
    assert OutgoingEmail.objects.filter(kind="registration_link").count() == 1
    assert first["token"] in mail.outbox[-1].body


def test_register_after_the_deadline_is_409(api_client, registration_body):
    event = EventFactory(registration_closes_at=timezone.now() - timedelta(minutes=1))
    response = api_client.post(_url(event), registration_body())
    assert response.status_code == 409
    assert response.json()["code"] == "registration_closed"
    assert not Registration.objects.exists()


def test_register_before_registration_opens_is_409(api_client, registration_body):
    event = EventFactory(registration_opens_at=timezone.now() + timedelta(days=1))
    assert api_client.post(_url(event), registration_body()).status_code == 409


def test_register_for_an_unpublished_event_is_404(api_client, registration_body):
    event = EventFactory(is_published=False)
    response = api_client.post(_url(event), registration_body())
    assert response.status_code == 404
    assert not Registration.objects.exists()


def test_register_for_an_unknown_event_is_404(api_client, registration_body):
    assert api_client.post("/api/v1/events/no-such-event/registrations", registration_body()).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"first_name": ""}, "first_name"),
        ({"first_name": "   "}, "first_name"),
        ({"last_name": "x" * 101}, "last_name"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "olena@" + "x" * 250 + ".org"}, "email"),
        ({"phone": "600 123 456"}, "phone"),
        ({"phone": "+48 1"}, "phone"),
        ({"organisation_name": ""}, "organisation_name"),
        ({"organisation_name": "x" * 201}, "organisation_name"),
        ({"organisation_type": "company"}, "organisation_type"),
        ({"language": "de"}, "language"),
        ({"dietary": "paleo"}, "dietary"),
        ({"dietary_details": "x" * 501}, "dietary_details"),
        ({"accessibility_needs": "x" * 1001}, "accessibility_needs"),
        ({"interpreting_needs": "x" * 501}, "interpreting_needs"),
        ({"organisation_role": "x" * 201}, "organisation_role"),
        ({"answers": ["funding"]}, "answers"),
        ({"answers": {"favourite_colour": "blue"}}, "answers.favourite_colour"),
        ({"consent_processing": False}, "consent_processing"),
        ({"consent_processing": "maybe"}, "consent_processing"),
        ({"consent_listing": "maybe"}, "consent_listing"),
        ({"first_name": "Ole\x00na"}, "first_name"),
        ({"nickname": "Ola"}, "nickname"),
    ],
)
def test_register_refuses_invalid_fields_with_422_naming_the_field(
    api_client, event, registration_body, overrides, field
):
    response = api_client.post(_url(event), registration_body(**overrides))
    assert response.status_code == 422, response.content
    assert field in _fields(response)
    assert not Registration.objects.exists()


@pytest.mark.parametrize("missing", ["first_name", "last_name", "email", "organisation_name", "language"])
def test_register_names_a_missing_required_field(api_client, event, registration_body, missing):
    body = registration_body()
    del body[missing]
    response = api_client.post(_url(event), body, headers={"Accept-Language": "en"})
    assert response.json()["detail"] == [{"field": missing, "message": "This field is required.", "code": "missing"}]


def test_register_checks_answers_against_the_questions(api_client, event, questions, registration_body):
    response = api_client.post(
        _url(event), registration_body(answers={"lunch": "perhaps"}), headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422
    messages = {error["field"]: error["message"] for error in response.json()["detail"]}
    assert messages == {"answers.topics": "This question needs an answer.", "answers.lunch": "Please answer yes or no."}


def test_register_reports_every_field_problem_at_once(api_client, event, questions, registration_body):
    response = api_client.post(_url(event), registration_body(phone="123", answers={}, consent_processing=False))
    assert _fields(response) == {"phone", "answers.topics", "consent_processing"}


def test_register_error_messages_follow_accept_language(api_client, event, registration_body):
    response = api_client.post(_url(event), registration_body(email="nope"), headers={"Accept-Language": "uk"})
    with translation.override("uk"):
        expected = gettext("Enter a valid email address.")
    assert expected != "Enter a valid email address."
    assert response.json()["detail"][0]["message"] == expected


# -- Rate limit -------------------------------------------------------------------------------------


@pytest.fixture
def tight_rate_limit():
    cache.clear()
    with override_settings(RATE_LIMITS_ENABLED=True, RATELIMIT_ENABLE=True, RATE_LIMIT_REGISTRATION="2/m"):
        yield
    cache.clear()


def test_register_is_rate_limited_with_a_json_429(api_client, event, registration_body, tight_rate_limit):
    assert api_client.post(_url(event), registration_body(email="a@example.org")).status_code == 201
    assert api_client.post(_url(event), "{garbage", raw=True).status_code == 400
    response = api_client.post(_url(event), registration_body(email="c@example.org"))
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["code"] == "rate_limited"
    assert Registration.objects.count() == 1


def test_register_is_not_limited_when_rate_limits_are_off(api_client, event, registration_body):
    cache.clear()
    with override_settings(RATE_LIMITS_ENABLED=False, RATE_LIMIT_REGISTRATION="1/m"):
        for n in range(3):
            assert api_client.post(_url(event), registration_body(email=f"p{n}@example.org")).status_code == 201


# -- Own registration -------------------------------------------------------------------------------


def test_participant_reads_own_registration_with_history(api_client, event, organiser):
    registration = submit(event, answers={})
    registration_decide(registration=registration, decision="waitlist", actor=organiser, message="Full for now.")
    response = api_client.get(f"/api/v1/registrations/{registration.token}")
    assert response.status_code == 200
    body = response.json()
    assert body["event_slug"] == event.slug
    assert body["state"] == "waitlisted"
    assert body["email"] == registration.email
    assert body["answers"] == {}
    assert body["manage_url"].endswith(f"/uk/r/{registration.token}/")
    assert [(h["from_state"], h["to_state"], h["actor"]) for h in body["history"]] == [
        ("", "submitted", "participant"),
        ("submitted", "waitlisted", "organiser"),
    ]
    assert body["history"][1]["message"] == "Full for now."
    assert body["history"][0]["at"].endswith(("+01:00", "+02:00"))
    assert organiser.email not in response.content.decode()


def test_participant_sees_answers_to_questions(api_client, event, questions):
    registration = registration_submit(
        event=event, data=registration_data(answers={"topics": ["funding"], "lunch": False})
    )
    body = api_client.get(f"/api/v1/registrations/{registration.token}").json()
    assert body["answers"] == {"topics": ["funding"], "lunch": False}


@pytest.mark.parametrize("token", ["no-such-token", "x" * 65, "bad%00token"])
def test_unknown_token_is_404(api_client, event, token):
    submit(event)
    assert api_client.get(f"/api/v1/registrations/{token}").status_code == 404
    assert api_client.post(f"/api/v1/registrations/{token}/cancel").status_code == 404


def test_participant_cancels_own_registration(api_client, event, run_on_commit):
    registration = submit(event)
    with run_on_commit(execute=True):
        response = api_client.post(f"/api/v1/registrations/{registration.token}/cancel")
    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"
    registration.refresh_from_db()
    assert registration.state == State.CANCELLED
    entry = LogEntry.objects.filter(registration=registration).last()
    assert (entry.to_state, entry.actor_kind) == (State.CANCELLED, "participant")
    assert mail.outbox


def test_cancelling_twice_is_409(api_client, event):
    registration = submit(event)
    api_client.post(f"/api/v1/registrations/{registration.token}/cancel")
    response = api_client.post(f"/api/v1/registrations/{registration.token}/cancel")
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"


def test_cancel_rejects_get(api_client, event):
    registration = submit(event)
    assert api_client.get(f"/api/v1/registrations/{registration.token}/cancel").status_code == 405
    registration.refresh_from_db()
    assert registration.state == State.SUBMITTED
