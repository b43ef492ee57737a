"""Garbage in never gives a 500; the schema and the docs are served."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from civicmeet.events.models import Event
from civicmeet.registrations.models import Registration
from civicmeet.registrations.tests.factories import submit

pytestmark = pytest.mark.django_db

GARBAGE = [
    b"{",
    b"not json at all",
    b"\xff\xfe\x00\x00",
    b"[]",
    b"null",
    b"42",
    b'"a string"',
    b'{"first_name": NaN}',
    b'{"capacity": Infinity}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"title": {"pl": "\\ud800"}, "first_name": "\\ud800"}',
    b'{"first_name": "\\u0000", "title": {"pl": "a\\u0000"}}',
    b'{"capacity": 1e400, "answers": {"q": 1e400}}',
    b'{"capacity": 123456789012345678901234567890}',
    b'{"answers": {"\\u0000": "x"}, "safety_policy": {"a": "\\u0000"}}',
    b"",
]


@pytest.fixture
def post_urls(event):
    registration = submit(event)
    return [
        "/api/v1/events",
        f"/api/v1/events/{event.slug}/registrations",
        f"/api/v1/events/{event.slug}/registrations/{registration.pk}/decision",
    ]


@pytest.mark.parametrize("body", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_bodies_get_a_json_4xx(organiser_client, post_urls, body):
    for url in post_urls:
        response = organiser_client.post(url, body, raw=True)
        assert 400 <= response.status_code < 500, (url, response.status_code)
        assert response["Content-Type"].startswith("application/json")
        assert "detail" in response.json()
    assert Event.objects.count() == 1
    assert Registration.objects.count() == 1


def test_malformed_json_is_400(api_client, event):
    response = api_client.post(f"/api/v1/events/{event.slug}/registrations", "{", raw=True)
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_oversized_body_is_413(api_client, event, registration_body):
    body = registration_body(accessibility_needs="x" * 900, interpreting_needs="y" * 400)
    response = api_client.post(f"/api/v1/events/{event.slug}/registrations", body)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not Registration.objects.exists()


def test_null_characters_are_refused_per_field(api_client, event, registration_body):
    response = api_client.post(
        f"/api/v1/events/{event.slug}/registrations", registration_body(last_name="K\x00", answers={"q": "\x00"})
    )
    assert response.status_code == 422
    assert {error["field"] for error in response.json()["detail"]} == {"last_name", "answers"}


def test_html_is_stored_and_returned_as_plain_text(api_client, event, registration_body):
    script = "<script>alert(1)</script>"
    response = api_client.post(f"/api/v1/events/{event.slug}/registrations", registration_body(last_name=script))
    token = response.json()["token"]
    body = api_client.get(f"/api/v1/registrations/{token}")
    assert body["Content-Type"].startswith("application/json")
    assert body.json()["last_name"] == script


# -- OpenAPI and docs --------------------------------------------------------------------------------


def test_openapi_schema_lists_every_endpoint(api_client):
    response = api_client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    assert set(paths["/api/v1/events"]) == {"get", "post"}
    assert set(paths["/api/v1/events/{slug}"]) == {"get"}
    assert set(paths["/api/v1/events/{slug}/registrations"]) == {"get", "post"}
    assert set(paths["/api/v1/registrations/{token}"]) == {"get"}
    assert set(paths["/api/v1/registrations/{token}/cancel"]) == {"post"}
    assert set(paths["/api/v1/events/{slug}/registrations/{registration_id}/decision"]) == {"post"}
    assert any(scheme.get("scheme") == "bearer" for scheme in schema["components"]["securitySchemes"].values())
    assert "security" in paths["/api/v1/events"]["post"]
    assert "security" not in paths["/api/v1/events"]["get"]
    assert {"409", "422"} <= set(paths["/api/v1/events/{slug}/registrations"]["post"]["responses"])


def test_interactive_docs_are_served(api_client):
    response = api_client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def _event_body(**overrides):
    body = {
        "slug": "nowe-spotkanie",
        "title": {"pl": "Nowe spotkanie"},
        "starts_at": "2031-10-09T10:00:00+02:00",
        "ends_at": "2031-10-09T16:00:00+02:00",
        "timezone": "Europe/Warsaw",
        "registration_opens_at": "2031-09-01T00:00:00+02:00",
        "registration_closes_at": "2031-10-06T23:59:00+02:00",
        "capacity": 40,
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    "policy",
    [
        b'{"limit": 1e400}',
        b'{"limit": -1e400}',
        b'{"note": "\\ud800"}',
        b'{"\\u0000": 1}',
    ],
)
def test_safety_policy_that_no_database_could_store_is_refused(organiser_client, policy):
    body = json.dumps(_event_body()).encode()[:-1] + b', "safety_policy": ' + policy + b"}"
    response = organiser_client.post("/api/v1/events", body, raw=True)
    assert 400 <= response.status_code < 500
    assert not Event.objects.exists()


def test_deeply_nested_safety_policy_is_refused_naming_the_field(organiser_client):
    policy: dict = {"leaf": True}
    for _n in range(50):
        policy = {"nested": policy}
    response = organiser_client.post("/api/v1/events", _event_body(safety_policy=policy))
    assert response.status_code == 422
    assert {error["field"] for error in response.json()["detail"]} == {"safety_policy.nested"}
    assert not Event.objects.exists()
