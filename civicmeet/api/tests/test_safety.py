"""The safety rule in the API: the public check, the event's policy, declarations with registrations."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone, translation

from civicmeet.eligibility import SafetyPolicy, add_months
from civicmeet.events.safety_text import verdict_reason_text
from civicmeet.events.tests.factories import EventFactory
from civicmeet.registrations.models import HealthDeclaration, Registration
from civicmeet.registrations.safety import SafetyInput, safety_check

from .test_events import _new_event

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def safe_event(organiser):
    """Starts at 10:00 in Warsaw ten days from today, with the invitation's rule."""
    start = datetime.combine(timezone.localdate(timezone=WARSAW) + timedelta(days=10), time(10), tzinfo=WARSAW)
    return EventFactory(
        organisers=[organiser],
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        registration_closes_at=start - timedelta(hours=12),
        safety_policy=SafetyPolicy().to_data(),
    )


def _check_url(event_or_slug):
    slug = getattr(event_or_slug, "slug", event_or_slug)
    return f"/api/v1/events/{slug}/safety-check"


def _start_date(event):
    return timezone.localtime(event.starts_at, WARSAW).date()


def _errors(response):
    return {error["field"]: error["code"] for error in response.json()["detail"]}


# -- POST /events/{slug}/safety-check ------------------------------------------------------------------


def test_vaccinated_exactly_14_days_before_the_start_meets(api_client, safe_event):
    completed = _start_date(safe_event) - timedelta(days=14)
    response = api_client.post(_check_url(safe_event), {"basis": "vaccinated", "date": completed.isoformat()})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["verdict"] == "meets"
    assert body["reason_code"] == "vaccinated_valid"
    assert body["valid_from"] == f"{completed + timedelta(days=14)}T00:00:00+{body['valid_from'][-5:]}"
    assert body["valid_until"] is None
    assert not Registration.objects.exists()


def test_vaccinated_13_days_before_the_start_does_not_meet(api_client, safe_event):
    completed = _start_date(safe_event) - timedelta(days=13)
    body = api_client.post(_check_url(safe_event), {"basis": "vaccinated", "date": completed.isoformat()}).json()
    assert (body["verdict"], body["reason_code"]) == ("does_not_meet", "vaccinated_too_early")
    assert body["valid_from"].startswith((completed + timedelta(days=14)).isoformat())


def test_recovered_meets_until_six_months_after_the_first_positive_test(api_client, safe_event):
    first_positive = _start_date(safe_event) - timedelta(days=60)
    body = api_client.post(_check_url(safe_event), {"basis": "recovered", "date": first_positive.isoformat()}).json()
    assert (body["verdict"], body["reason_code"]) == ("meets", "recovered_valid")
    assert body["valid_from"].startswith(first_positive.isoformat())
    assert body["valid_until"].startswith(f"{add_months(first_positive, 6).isoformat()}T23:59:59.999")


def test_tested_with_a_time_is_valid_for_48_hours(api_client, safe_event):
    taken = timezone.localtime(safe_event.starts_at, WARSAW) - timedelta(hours=30)
    body = api_client.post(
        _check_url(safe_event), {"basis": "tested", "taken_at": taken.isoformat(), "test_kind": "pcr"}
    ).json()
    assert (body["verdict"], body["reason_code"]) == ("meets", "tested_valid")
    assert datetime.fromisoformat(body["valid_from"]) == taken
    assert datetime.fromisoformat(body["valid_until"]) == taken + timedelta(hours=48)


def test_tested_without_a_time_is_to_be_checked(api_client, safe_event):
    body = api_client.post(_check_url(safe_event), {"basis": "tested"}).json()
    assert (body["verdict"], body["reason_code"]) == ("to_be_checked", "test_pending")
    assert body["valid_from"] is None and body["valid_until"] is None


def test_reason_is_in_the_request_language(api_client, safe_event):
    completed = _start_date(safe_event) - timedelta(days=20)
    response = api_client.post(
        _check_url(safe_event),
        {"basis": "vaccinated", "date": completed.isoformat()},
        headers={"Accept-Language": "pl"},
    )
    verdict = safety_check(event=safe_event, safety=SafetyInput(basis="vaccinated", date=completed))
    with translation.override("pl"):
        expected = verdict_reason_text(verdict, safe_event.safety, safe_event.tz)
    assert response.json()["reason"] == expected


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"basis": "vaccinated_twice", "date": "2021-06-01"}, "basis", "literal_error"),
        ({}, "basis", "missing"),
        ({"basis": "vaccinated"}, "date", "required"),
        ({"basis": "recovered", "date": None}, "date", "required"),
        ({"basis": "recovered", "date": "01.06.2021"}, "date", "invalid"),
        ({"basis": "tested", "date": "2021-06-01"}, "date", "unexpected"),
        ({"basis": "tested", "taken_at": "2021-10-08T09:00:00"}, "taken_at", "naive"),
        ({"basis": "tested", "taken_at": "tomorrow morning"}, "taken_at", "invalid"),
        (
            {"basis": "tested", "taken_at": "2021-10-08T09:00:00+02:00", "test_kind": "saliva"},
            "test_kind",
            "literal_error",
        ),
        ({"basis": "vaccinated", "date": "2019-06-01"}, "date", "out_of_range"),
        ({"basis": "vaccinated", "date": "2021-06-01", "certificate": "ABC"}, "certificate", "extra_forbidden"),
    ],
)
def test_malformed_declarations_are_refused_with_422_naming_the_field(api_client, safe_event, body, field, code):
    response = api_client.post(_check_url(safe_event), body)
    assert response.status_code == 422, response.content
    assert _errors(response) == {field: code}


def test_a_date_in_the_future_is_refused(api_client, safe_event):
    tomorrow = timezone.localdate(timezone=WARSAW) + timedelta(days=1)
    response = api_client.post(_check_url(safe_event), {"basis": "recovered", "date": tomorrow.isoformat()})
    assert response.status_code == 422
    assert _errors(response) == {"date": "out_of_range"}


def test_check_is_404_for_unknown_and_unpublished_events(api_client, safe_event):
    assert api_client.post(_check_url("no-such-event"), {"basis": "tested"}).status_code == 404
    safe_event.is_published = False
    safe_event.save()
    response = api_client.post(_check_url(safe_event), {"basis": "tested"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_check_for_an_event_without_rule_is_409(api_client, event):
    response = api_client.post(_check_url(event), {"basis": "tested"})
    assert response.status_code == 409
    assert response.json()["code"] == "no_safety_rule"


def test_check_rejects_get(api_client, safe_event):
    assert api_client.get(_check_url(safe_event)).status_code == 405


def test_check_has_its_own_rate_limit_shared_with_the_form(api_client, client, safe_event):
    """The live check is asked at every change of a field: its own budget, not the registrations'."""
    cache.clear()
    try:
        with override_settings(
            RATE_LIMITS_ENABLED=True,
            RATELIMIT_ENABLE=True,
            RATE_LIMIT_SAFETY_CHECK="3/m",
            RATE_LIMIT_REGISTRATION="1/m",
        ):
            statuses = [api_client.post(_check_url(safe_event), {"basis": "tested"}).status_code for _n in range(2)]
            form = client.post(f"/en/e/{safe_event.slug}/safety-check/", {"safety_basis": "bring_test"}).status_code
            statuses.append(api_client.post(_check_url(safe_event), {"basis": "tested"}).status_code)
    finally:
        cache.clear()
    assert (statuses, form) == ([200, 200, 429], 200)


# -- safety_policy on events ----------------------------------------------------------------------------


def test_created_event_stores_the_policy_with_defaults_filled_in(organiser_client, api_client):
    response = organiser_client.post(
        "/api/v1/events", _new_event(safety_policy={"tested_within_hours": 24, "test_kinds": ["pcr", "pcr"]})
    )
    assert response.status_code == 201, response.content
    expected = {
        "vaccinated_after_days": 14,
        "recovered_within_months": 6,
        "tested_within_hours": 24,
        "test_kinds": ["pcr"],
    }
    assert response.json()["safety_policy"] == expected
    from civicmeet.events.models import Event

    event = Event.objects.get()
    assert event.safety_policy == expected
    event.is_published = True
    event.save()
    assert api_client.get(f"/api/v1/events/{event.slug}").json()["safety_policy"] == expected


def test_created_event_without_policy_has_none(organiser_client):
    response = organiser_client.post("/api/v1/events", _new_event(safety_policy=None))
    assert response.status_code == 201
    assert response.json()["safety_policy"] is None


@pytest.mark.parametrize(
    ("policy", "field"),
    [
        ({"tested_within_hours": 0}, "safety_policy.tested_within_hours"),
        ({"vaccinated_after_days": 400}, "safety_policy.vaccinated_after_days"),
        ({"recovered_within_months": -1}, "safety_policy.recovered_within_months"),
        ({"test_kinds": []}, "safety_policy.test_kinds"),
        ({"test_kinds": ["saliva"]}, "safety_policy.test_kinds"),
        ({"tested_within_hours": "two days"}, "safety_policy.tested_within_hours"),
        ({"test_within_hours": 48}, "safety_policy.test_within_hours"),
        ("strict", "safety_policy"),
    ],
)
def test_invalid_policy_is_refused_with_422_naming_the_parameter(organiser_client, policy, field):
    response = organiser_client.post("/api/v1/events", _new_event(safety_policy=policy))
    assert response.status_code == 422, response.content
    assert set(_errors(response)) == {field}


def test_policy_range_message_gives_the_bounds(organiser_client):
    response = organiser_client.post("/api/v1/events", _new_event(safety_policy={"tested_within_hours": 721}))
    assert response.json()["detail"][0]["message"] == "Enter a whole number from 1 to 720."


# -- Registering with a declaration ----------------------------------------------------------------------


def _register(api_client, event, registration_body, **overrides):
    return api_client.post(f"/api/v1/events/{event.slug}/registrations", registration_body(**overrides))


def test_registration_with_a_declaration_returns_its_verdict(api_client, safe_event, registration_body):
    completed = _start_date(safe_event) - timedelta(days=13)
    response = _register(
        api_client,
        safe_event,
        registration_body,
        safety={"basis": "vaccinated", "date": completed.isoformat()},
        consent_health=True,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["safety_verdict"] == "does_not_meet"
    assert "the rule is met only from" in body["safety_reason"]
    registration = Registration.objects.get()
    assert registration.consent_health_at is not None
    assert (registration.health_declaration.basis, registration.health_declaration.date) == ("vaccinated", completed)


def test_registration_with_a_declaration_needs_the_health_consent(api_client, safe_event, registration_body):
    response = _register(api_client, safe_event, registration_body, safety={"basis": "recovered", "date": "2021-06-01"})
    assert response.status_code == 422
    assert _errors(response) == {"consent_health": "required"}
    assert not Registration.objects.exists()


def test_registration_declaration_errors_name_the_nested_field(api_client, safe_event, registration_body):
    response = _register(
        api_client,
        safe_event,
        registration_body,
        safety={"basis": "tested", "taken_at": "2021-10-08T09:00:00"},
        consent_health=True,
    )
    assert response.status_code == 422
    assert _errors(response) == {"safety.taken_at": "naive"}
    response = _register(api_client, safe_event, registration_body, safety={"basis": "healthy"}, consent_health=True)
    assert _errors(response) == {"safety.basis": "literal_error"}


def test_registration_bringing_a_test_stores_nothing_and_needs_no_consent(api_client, safe_event, registration_body):
    response = _register(api_client, safe_event, registration_body, safety={"basis": "tested", "test_kind": "pcr"})
    assert response.status_code == 201, response.content
    assert response.json()["safety_verdict"] == "to_be_checked"
    assert "checked at the door" in response.json()["safety_reason"]
    assert not HealthDeclaration.objects.exists()
    assert Registration.objects.get().consent_health_at is None


def test_registration_for_an_event_without_rule_ignores_a_declaration(api_client, event, registration_body):
    response = _register(
        api_client, event, registration_body, safety={"basis": "vaccinated", "date": "2021-06-01"}, consent_health=True
    )
    assert response.status_code == 201
    assert (response.json()["safety_verdict"], response.json()["safety_reason"]) == (None, None)
    assert not HealthDeclaration.objects.exists()
    assert Registration.objects.get().consent_health_at is None


def test_own_registration_shows_the_declaration_and_verdict(api_client, safe_event, registration_body):
    taken = timezone.localtime(safe_event.starts_at, WARSAW) - timedelta(hours=6)
    token = _register(
        api_client,
        safe_event,
        registration_body,
        safety={"basis": "tested", "taken_at": taken.astimezone(ZoneInfo("UTC")).isoformat(), "test_kind": "antigen"},
        consent_health=True,
    ).json()["token"]
    body = api_client.get(f"/api/v1/registrations/{token}").json()
    assert body["safety_verdict"] == "meets"
    assert body["safety_declaration"] == {
        "basis": "tested",
        "date": None,
        "taken_at": taken.isoformat(),
        "test_kind": "antigen",
    }
    assert "until" in body["safety_reason"]


def test_own_registration_without_rule_has_no_safety_data(api_client, event, registration_body):
    token = _register(api_client, event, registration_body).json()["token"]
    body = api_client.get(f"/api/v1/registrations/{token}").json()
    assert (body["safety_verdict"], body["safety_declaration"], body["safety_reason"]) == (None, None, None)


def test_organiser_list_shows_each_verdict(organiser_client, api_client, safe_event, registration_body):
    _register(api_client, safe_event, registration_body)
    items = organiser_client.get(f"/api/v1/events/{safe_event.slug}/registrations").json()["items"]
    assert [item["safety_verdict"] for item in items] == ["to_be_checked"]
    assert "safety_declaration" not in items[0]


def test_openapi_documents_the_safety_check(api_client):
    schema = api_client.get("/api/v1/openapi.json").json()
    assert "/api/v1/events/{slug}/safety-check" in schema["paths"]
