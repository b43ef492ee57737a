from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from civicmeet.accounts.models import TeamMember, TeamRole
from civicmeet.events.models import Event
from civicmeet.events.tests.factories import EventFactory
from civicmeet.registrations.services import guest_add, registration_decide
from civicmeet.registrations.tests.factories import registration_data, submit

pytestmark = pytest.mark.django_db

SAFETY_POLICY = {
    "vaccinated_after_days": 14,
    "recovered_within_months": 6,
    "tested_within_hours": 48,
    "test_kinds": ["antigen", "pcr"],
}


def _new_event(**overrides):
    body = {
        "slug": "spotkanie-sieciujace-2021",
        "title": {
            "pl": "Spotkanie sieciujące organizacji mniejszości oraz migranckich",
            "en": "Networking meeting of minority and migrant organisations",
        },
        "starts_at": "2031-10-09T10:00:00+02:00",
        "ends_at": "2031-10-09T16:00:00+02:00",
        "timezone": "Europe/Warsaw",
        "registration_opens_at": "2031-09-01T00:00:00+02:00",
        "registration_closes_at": "2031-10-06T23:59:00+02:00",
        "capacity": 40,
        "seats_per_organisation": 2,
        "safety_policy": SAFETY_POLICY,
    }
    body.update(overrides)
    return body


def _fields(response):
    return {error["field"] for error in response.json()["detail"]}


# -- List and detail ------------------------------------------------------------------------------


def test_list_shows_published_events_only_with_total_count(api_client, event):
    EventFactory(is_published=False)
    response = api_client.get("/api/v1/events")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [item["slug"] for item in body["items"]] == [event.slug]


def test_list_pages_with_limit_and_offset(api_client):
    start = timezone.now() + timedelta(days=10)
    slugs = [EventFactory(starts_at=start + timedelta(days=n)).slug for n in range(3)]
    body = api_client.get("/api/v1/events", {"limit": 2, "offset": 1}).json()
    assert body["count"] == 3
    assert [item["slug"] for item in body["items"]] == slugs[1:3]


@pytest.mark.parametrize("query", [{"limit": 501}, {"limit": 0}, {"offset": -1}, {"limit": "many"}])
def test_list_refuses_bad_paging(api_client, query):
    response = api_client.get("/api/v1/events", query)
    assert response.status_code == 422
    assert _fields(response) == set(query)


def test_list_has_a_query_ceiling(api_client, django_assert_max_num_queries):
    for _n in range(5):
        EventFactory()
    with django_assert_max_num_queries(2):
        response = api_client.get("/api/v1/events")
    assert response.json()["count"] == 5


def test_detail_gives_every_field_with_times_in_the_event_time_zone(api_client, event):
    response = api_client.get(f"/api/v1/events/{event.slug}")
    assert response.status_code == 200
    body = response.json()
    warsaw = ZoneInfo("Europe/Warsaw")
    for name in ("starts_at", "ends_at", "registration_closes_at"):
        moment = datetime.fromisoformat(body[name])
        assert moment.utcoffset() == getattr(event, name).astimezone(warsaw).utcoffset()
        assert moment == getattr(event, name)
    assert body["starts_at"].endswith(("+01:00", "+02:00"))
    assert body["title"] == event.title
    assert body["timezone"] == "Europe/Warsaw"
    assert body["registration_open"] is True
    assert body["capacity"] == 40
    assert body["seats_left"] == 40
    assert body["seats_per_organisation"] is None
    assert body["safety_policy"] is None
    assert body["is_published"] is True
    assert body["url"] == f"{settings.SITE_URL}/pl/e/{event.slug}/"


def test_detail_url_uses_the_event_fallback_language(api_client):
    event = EventFactory(fallback_language="en")
    assert api_client.get(f"/api/v1/events/{event.slug}").json()["url"].endswith(f"/en/e/{event.slug}/")


def test_detail_times_in_another_time_zone_carry_its_offset(api_client):
    event = EventFactory(timezone="America/New_York")
    body = api_client.get(f"/api/v1/events/{event.slug}").json()
    expected = event.starts_at.astimezone(ZoneInfo("America/New_York")).utcoffset()
    assert datetime.fromisoformat(body["starts_at"]).utcoffset() == expected


def test_seats_left_counts_accepted_participants_but_not_guests(api_client, event, organiser):
    registration_decide(registration=submit(event), decision="accept", actor=organiser)
    registration_decide(registration=submit(event), decision="waitlist", actor=organiser)
    guest_add(event=event, data=registration_data(), actor=organiser)
    assert api_client.get(f"/api/v1/events/{event.slug}").json()["seats_left"] == 39


def test_detail_says_when_registration_is_closed(api_client):
    event = EventFactory(registration_closes_at=timezone.now() - timedelta(hours=1))
    assert api_client.get(f"/api/v1/events/{event.slug}").json()["registration_open"] is False


@pytest.mark.parametrize("slug", ["no-such-event", "bad%00slug", "x" * 300])
def test_detail_of_unknown_event_is_404(api_client, slug):
    response = api_client.get(f"/api/v1/events/{slug}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_detail_of_unpublished_event_is_404(api_client):
    event = EventFactory(is_published=False)
    assert api_client.get(f"/api/v1/events/{event.slug}").status_code == 404


# -- Create ---------------------------------------------------------------------------------------


def test_create_makes_an_unpublished_event_with_the_creator_on_its_team(organiser_client, organiser):
    response = organiser_client.post("/api/v1/events", _new_event())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "spotkanie-sieciujace-2021"
    assert body["is_published"] is False
    assert body["starts_at"] == "2031-10-09T10:00:00+02:00"
    assert body["seats_left"] == 40
    assert body["safety_policy"] == SAFETY_POLICY
    event = Event.objects.get(slug="spotkanie-sieciujace-2021")
    assert event.title["en"] == "Networking meeting of minority and migrant organisations"
    assert event.seats_per_organisation == 2
    assert event.safety_policy == SAFETY_POLICY
    assert TeamMember.objects.filter(team=event.team, user=organiser, role=TeamRole.ORGANISER).exists()


def test_create_returns_times_in_the_event_time_zone_whatever_offset_was_sent(organiser_client):
    response = organiser_client.post(
        "/api/v1/events",
        _new_event(starts_at="2031-10-09T08:00:00Z", ends_at="2031-10-09T14:00:00+00:00"),
    )
    assert response.status_code == 201
    assert response.json()["starts_at"] == "2031-10-09T10:00:00+02:00"
    assert response.json()["ends_at"] == "2031-10-09T16:00:00+02:00"


def test_create_accepts_no_limit_and_no_policy_and_the_optional_texts(organiser_client):
    body = _new_event(
        seats_per_organisation=None,
        safety_policy=None,
        description={"pl": "Opis", "uk": "Опис"},
        venue={"pl": "Kraków, ul. Długa 1"},
        fallback_language="uk",
    )
    response = organiser_client.post("/api/v1/events", body)
    assert response.status_code == 201
    event = Event.objects.get(slug=body["slug"])
    assert event.seats_per_organisation is None
    assert event.safety_policy is None
    assert event.description == {"pl": "Opis", "uk": "Опис"}
    assert event.fallback_language == "uk"
    assert response.json()["url"].endswith(f"/uk/e/{event.slug}/")


def test_create_requires_a_token(api_client):
    assert api_client.post("/api/v1/events", _new_event()).status_code == 401
    assert not Event.objects.exists()


def test_create_refuses_a_taken_slug_with_409(organiser_client, event):
    response = organiser_client.post("/api/v1/events", _new_event(slug=event.slug))
    assert response.status_code == 409
    assert response.json()["code"] == "slug_taken"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"slug": "not a slug!"}, "slug"),
        ({"slug": "x" * 81}, "slug"),
        ({"title": {}}, "title"),
        ({"title": {"pl": "  "}}, "title"),
        ({"title": {"de": "Treffen"}}, "title"),
        ({"title": "Spotkanie"}, "title"),
        ({"title": {"pl": 5}}, "title.pl"),
        ({"starts_at": "2031-10-09T10:00:00"}, "starts_at"),
        ({"starts_at": "next Tuesday"}, "starts_at"),
        ({"ends_at": "2031-10-09T09:00:00+02:00"}, "ends_at"),
        ({"registration_closes_at": "2031-08-01T00:00:00+02:00"}, "registration_closes_at"),
        ({"timezone": "Europe/Atlantis"}, "timezone"),
        ({"capacity": -1}, "capacity"),
        ({"capacity": 10**12}, "capacity"),
        ({"capacity": "forty"}, "capacity"),
        ({"seats_per_organisation": 0}, "seats_per_organisation"),
        ({"safety_policy": "strict"}, "safety_policy"),
        ({"fallback_language": "de"}, "fallback_language"),
        ({"is_secret": True}, "is_secret"),
    ],
)
def test_create_refuses_invalid_fields_with_422_naming_the_field(organiser_client, overrides, field):
    response = organiser_client.post("/api/v1/events", _new_event(**overrides))
    assert response.status_code == 422, response.content
    assert field in _fields(response)
    assert all(error["message"] for error in response.json()["detail"])
    assert not Event.objects.exists()


def test_create_lists_every_missing_field(organiser_client):
    response = organiser_client.post("/api/v1/events", {})
    assert response.status_code == 422
    assert _fields(response) == {
        "slug",
        "title",
        "starts_at",
        "ends_at",
        "timezone",
        "registration_opens_at",
        "registration_closes_at",
        "capacity",
    }


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "This field is required."), ("pl", "To pole jest wymagane."), ("uk", "Це поле обов’язкове.")],
)
def test_field_errors_are_in_the_request_language(organiser_client, language, message):
    response = organiser_client.post("/api/v1/events", {}, headers={"Accept-Language": language})
    assert response.json()["detail"][0]["message"] == message


def test_service_errors_are_in_the_request_language(organiser_client, event):
    response = organiser_client.post(
        "/api/v1/events", _new_event(timezone="Europe/Atlantis"), headers={"Accept-Language": "en"}
    )
    assert response.json()["detail"] == [{"field": "timezone", "message": "Unknown time zone.", "code": "invalid"}]


def test_created_event_keeps_registrations_closed_until_published(organiser_client):
    body = _new_event(
        registration_opens_at=(timezone.now() - timedelta(days=1)).isoformat(),
    )
    assert organiser_client.post("/api/v1/events", body).json()["registration_open"] is False
