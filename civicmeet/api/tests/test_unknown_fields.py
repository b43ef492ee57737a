"""An unknown field in any request body, at any depth, is a 422 naming it: never silently ignored.

The request schemas are read from the OpenAPI schema, so an endpoint or a nested object added
later is checked without anyone remembering to list it here.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from django.utils import translation

from civicmeet.api.urls import api
from civicmeet.events.models import Event
from civicmeet.events.selectors import team_member_list
from civicmeet.registrations.tests.factories import submit

from .test_events import _new_event

pytestmark = pytest.mark.django_db

UNKNOWN = "zz_no_such_field"


@cache
def _schema() -> dict[str, Any]:
    return api.get_openapi_schema()


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    components = _schema()["components"]["schemas"]
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(schema["allOf"][0])
    return schema


def _alternatives(schema: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(schema)
    if "anyOf" in schema:
        return [_resolve(option) for option in schema["anyOf"] if option.get("type") != "null"]
    return [schema]


def _objects(schema: dict[str, Any], where: tuple = ()):
    """(place, object schema) for every object with named fields in a request body; a place is the
    path to it, 0 standing for a list's first item."""
    for option in _alternatives(schema):
        if option.get("type") == "array" and "items" in option:
            yield from _objects(option["items"], (*where, 0))
        elif "properties" in option:
            yield where, option
            for name, field in option["properties"].items():
                yield from _objects(field, (*where, name))


def _request_bodies() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation["requestBody"]["content"]["application/json"]["schema"])
        for path, operations in _schema()["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    ]


CASES = sorted(
    {
        (method, path, ".".join(str(part) for part in where))
        for method, path, body in _request_bodies()
        for where, _object in _objects(body)
    }
)


def _body_with_unknown_at(place: str) -> Any:
    body: Any = {UNKNOWN: 1}
    for part in reversed(place.split(".") if place else []):
        body = [body] if part == "0" else {part: body}
    return body


@pytest.fixture
def real_ids(organiser, event, organiser_token):
    registration = submit(event)
    member = team_member_list(event=event)[0]
    return {
        "{slug}": event.slug,
        "{registration_id}": str(registration.pk),
        "{member_id}": str(member.pk),
        "{token}": registration.token,
    }


def test_the_cases_cover_every_body_and_the_nested_objects_we_know_of():
    assert {(method, path) for method, path, _place in CASES} == {
        (method, path) for method, path, _body in _request_bodies()
    }
    for expected in [
        ("POST", "/api/v1/events", ""),
        ("POST", "/api/v1/events", "safety_policy"),
        ("PATCH", "/api/v1/manage/events/{slug}", "safety_policy"),
        ("POST", "/api/v1/events/{slug}/registrations", "safety"),
        ("PUT", "/api/v1/manage/events/{slug}/questions", "questions.0"),
        ("PUT", "/api/v1/manage/events/{slug}/questions", "questions.0.options.0"),
        ("POST", "/api/v1/manage/events/{slug}/team", ""),
        ("POST", "/api/v1/manage/events/{slug}/guests", ""),
        ("POST", "/api/v1/events/{slug}/registrations/{registration_id}/decision", ""),
    ]:
        assert expected in CASES


def test_every_request_object_forbids_unknown_fields_in_the_schema():
    open_objects = [
        f"{method} {path} {'.'.join(map(str, where)) or '(body)'}"
        for method, path, body in _request_bodies()
        for where, schema in _objects(body)
        if schema.get("additionalProperties") is not False
    ]
    assert open_objects == []


@pytest.mark.parametrize(("method", "path", "place"), CASES, ids=[f"{m} {p} {w or '(body)'}" for m, p, w in CASES])
def test_an_unknown_field_is_422_naming_it(organiser_client, real_ids, method, path, place):
    url = path
    for name, value in real_ids.items():
        url = url.replace(name, value)
    events_before = list(Event.objects.values_list("pk", "updated_at"))
    response = organiser_client.send(method, url, _body_with_unknown_at(place))
    assert response.status_code == 422, response.content
    field = f"{place}.{UNKNOWN}" if place else UNKNOWN
    assert {"field": field, "message": "There is no such field.", "code": "extra_forbidden"} in response.json()[
        "detail"
    ]
    assert list(Event.objects.values_list("pk", "updated_at")) == events_before


@pytest.mark.parametrize("language", ["en", "pl", "uk"])
def test_published_in_a_new_event_is_refused_in_the_request_language(organiser_client, language):
    with translation.override(language):
        message = translation.gettext("There is no such field.")
    assert (message == "There is no such field.") == (language == "en")
    response = organiser_client.post(
        "/api/v1/events", _new_event(published=True), headers={"Accept-Language": language}
    )
    assert response.status_code == 422
    assert response.json() == {"detail": [{"field": "published", "message": message, "code": "extra_forbidden"}]}
    assert not Event.objects.exists()


def test_published_in_a_patch_is_refused_and_publishes_nothing(organiser_client, organiser):
    from civicmeet.events.tests.factories import EventFactory

    event = EventFactory(organisers=[organiser], is_published=False)
    response = organiser_client.patch(f"/api/v1/manage/events/{event.slug}", {"published": True, "capacity": 10})
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["detail"]] == ["published"]
    event.refresh_from_db()
    assert (event.is_published, event.capacity) == (False, 40)
