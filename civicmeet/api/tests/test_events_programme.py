"""The programme an event is part of, in the event object of the public and the organisers' API."""

from __future__ import annotations

import pytest
from django.conf import settings

from civicmeet.events.models import Event
from civicmeet.events.services import event_update
from civicmeet.events.tests.factories import EventFactory
from civicmeet.programmes.services import programme_save

pytestmark = pytest.mark.django_db

NAME = {"pl": "Aktywni Obywatele – Fundusz Krajowy", "en": "Active Citizens – National Fund"}


@pytest.fixture
def active_citizens():
    return programme_save(slug="aktywni-obywatele", data={"name": NAME})


def test_the_event_names_its_programme(api_client, event, active_citizens):
    assert api_client.get(f"/api/v1/events/{event.slug}").json()["programme"] is None
    event_update(event=event, data={"programme": active_citizens})
    programme = api_client.get(f"/api/v1/events/{event.slug}").json()["programme"]
    assert programme == {
        "slug": "aktywni-obywatele",
        "name": NAME,
        "url": f"{settings.SITE_URL}/pl/programmes/aktywni-obywatele/",
    }


def test_the_list_names_each_events_programme_in_a_constant_number_of_queries(
    api_client, active_citizens, django_assert_max_num_queries
):
    for _n in range(4):
        EventFactory(programme=active_citizens)
    EventFactory()
    with django_assert_max_num_queries(2):
        items = api_client.get("/api/v1/events").json()["items"]
    assert sorted(item["programme"]["slug"] if item["programme"] else "" for item in items) == [
        "",
        *["aktywni-obywatele"] * 4,
    ]


def test_the_organisers_event_names_its_programme(organiser_client, event, active_citizens):
    event_update(event=event, data={"programme": active_citizens})
    assert organiser_client.get(f"/api/v1/manage/events/{event.slug}").json()["programme"]["slug"] == (
        "aktywni-obywatele"
    )
    items = organiser_client.get("/api/v1/manage/events").json()["items"]
    assert [item["programme"]["name"]["en"] for item in items if item["slug"] == event.slug] == [NAME["en"]]


def test_the_schema_describes_the_programme(api_client):
    schema = api_client.get("/api/v1/openapi.json").json()
    assert "programme" in schema["components"]["schemas"]["EventOut"]["properties"]
    assert set(schema["components"]["schemas"]["EventProgrammeOut"]["properties"]) == {"slug", "name", "url"}


# -- Choosing it through the API ------------------------------------------------------------------


def test_an_event_is_created_in_a_programme_by_its_slug(organiser_client, active_citizens):
    from .test_events import _new_event

    response = organiser_client.post("/api/v1/events", _new_event(programme="aktywni-obywatele"))
    assert response.status_code == 201, response.json()
    assert response.json()["programme"]["slug"] == "aktywni-obywatele"
    assert Event.objects.get(slug="spotkanie-sieciujace-2021").programme == active_citizens


@pytest.mark.parametrize(
    ("value", "code"), [("fundusz-nieznany", "unknown"), ("Not a slug!", "string_pattern_mismatch")]
)
def test_an_unknown_programme_is_refused_naming_the_field(organiser_client, active_citizens, value, code):
    from .test_events import _new_event

    response = organiser_client.post("/api/v1/events", _new_event(programme=value))
    assert response.status_code == 422
    assert [(error["field"], error["code"]) for error in response.json()["detail"]] == [("programme", code)]
    assert not Event.objects.filter(slug="spotkanie-sieciujace-2021").exists()


def test_patch_puts_the_event_in_a_programme_and_null_takes_it_out(organiser_client, event, active_citizens):
    path = f"/api/v1/manage/events/{event.slug}"
    response = organiser_client.patch(path, {"programme": "aktywni-obywatele"})
    assert response.status_code == 200, response.json()
    assert response.json()["programme"]["slug"] == "aktywni-obywatele"
    event.refresh_from_db()
    assert event.programme == active_citizens
    assert organiser_client.patch(path, {"capacity": 30}).json()["programme"] is not None  # left as it is
    assert organiser_client.patch(path, {"programme": None}).json()["programme"] is None
    event.refresh_from_db()
    assert event.programme is None
    refused = organiser_client.patch(path, {"programme": "fundusz-nieznany"})
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "programme"
