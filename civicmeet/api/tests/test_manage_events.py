"""The organisers' events: list, one, change, publish and unpublish (/api/v1/manage/events)."""

from __future__ import annotations

import re
from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from civicmeet.accounts.models import ApiToken
from civicmeet.api.urls import api
from civicmeet.eligibility import SafetyPolicy
from civicmeet.events.models import Event
from civicmeet.events.services import event_unpublish
from civicmeet.events.tests.factories import EventFactory, OrganisationFactory, UserFactory
from civicmeet.registrations.models import SafetyVerdict
from civicmeet.registrations.safety import SafetyInput
from civicmeet.registrations.services import guest_add, registration_decide
from civicmeet.registrations.tests.factories import registration_data, submit

from .conftest import JSONClient

pytestmark = pytest.mark.django_db

BASE = "/api/v1/manage/events"


def _url(event, suffix: str = "") -> str:
    return f"{BASE}/{event.slug}{suffix}"


def _manage_operations() -> list[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return sorted(
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/api/v1/manage/")
        for method in operations
    )


def _concrete(path: str, slug: str) -> str:
    return re.sub(r"\{\w+\}", "1", path.replace("{slug}", slug))


# -- Who may --------------------------------------------------------------------------------------


def test_the_organisers_api_has_the_endpoints_of_the_issue():
    assert set(_manage_operations()) == {
        ("GET", "/api/v1/manage/events"),
        ("GET", "/api/v1/manage/events/{slug}"),
        ("PATCH", "/api/v1/manage/events/{slug}"),
        ("POST", "/api/v1/manage/events/{slug}/publish"),
        ("POST", "/api/v1/manage/events/{slug}/unpublish"),
        ("GET", "/api/v1/manage/events/{slug}/questions"),
        ("PUT", "/api/v1/manage/events/{slug}/questions"),
        ("GET", "/api/v1/manage/events/{slug}/team"),
        ("POST", "/api/v1/manage/events/{slug}/team"),
        ("DELETE", "/api/v1/manage/events/{slug}/team/{member_id}"),
        ("GET", "/api/v1/manage/events/{slug}/guests"),
        ("POST", "/api/v1/manage/events/{slug}/guests"),
        ("GET", "/api/v1/manage/events/{slug}/registrations/{registration_id}"),
        ("GET", "/api/v1/manage/events/{slug}/history"),
        # The day (issue 11): organisers and the event's desk staff (civicmeet/checkin/tests/test_api.py).
        ("GET", "/api/v1/manage/events/{slug}/checkins"),
        ("POST", "/api/v1/manage/events/{slug}/checkins"),
        # The last week, read-only, organisers only (civicmeet/api/tests/test_before.py).
        ("GET", "/api/v1/manage/events/{slug}/reconfirmations"),
        ("GET", "/api/v1/manage/events/{slug}/seat-offers"),
    }


def test_every_operation_has_a_summary_and_a_description():
    paths = api.get_openapi_schema()["paths"]
    missing = [
        f"{method.upper()} {path}"
        for path, operations in paths.items()
        for method, operation in operations.items()
        if not operation.get("summary") or not operation.get("description")
    ]
    assert missing == []


@pytest.mark.parametrize(("method", "path"), _manage_operations())
def test_without_a_token_every_endpoint_is_401(api_client, event, method, path):
    before = Event.objects.values_list("updated_at", flat=True).get(pk=event.pk)
    response = api_client.send(method, _concrete(path, event.slug), {})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert Event.objects.values_list("updated_at", flat=True).get(pk=event.pk) == before


# Valid bodies: the body is checked before the event is looked up (a bad one is 422 for any event).
VALID_BODIES = {
    ("PATCH", "/api/v1/manage/events/{slug}"): {"capacity": 1},
    ("PUT", "/api/v1/manage/events/{slug}/questions"): {"questions": []},
    ("POST", "/api/v1/manage/events/{slug}/team"): {"email": "outsider@example.org", "role": "organiser"},
    ("POST", "/api/v1/manage/events/{slug}/checkins"): {"code": "CM1.not-a-ticket.x", "client_id": "desk-1"},
    ("POST", "/api/v1/manage/events/{slug}/guests"): {
        "first_name": "Jan",
        "last_name": "Urzędnik",
        "email": "jan@krakow.example.org",
        "language": "pl",
    },
}


@pytest.mark.parametrize(("method", "path"), [op for op in _manage_operations() if "{slug}" in op[1]])
def test_an_event_one_does_not_organise_is_404_exactly_like_an_unknown_one(
    outsider_client, desk_client, event, desk, method, path
):
    from civicmeet.events.selectors import team_member_list

    # Real ids of this event (its desk member, a registration), so only the event decides.
    member = next(member for member in team_member_list(event=event) if member.user == desk)
    registration = submit(event)
    body = VALID_BODIES.get((method, path), {})
    before = Event.objects.values_list("updated_at", "is_published").get(pk=event.pk)

    def concrete(slug):
        return (
            path.replace("{slug}", slug)
            .replace("{member_id}", str(member.pk))
            .replace("{registration_id}", str(registration.pk))
        )

    unknown = outsider_client.send(method, concrete("no-such-event"), body)
    assert unknown.status_code == 404
    # The desk staff may check people in (and see who is in): only the outsider is refused there.
    clients = (outsider_client,) if path.endswith("/checkins") else (outsider_client, desk_client)
    for client in clients:
        response = client.send(method, concrete(event.slug), body)
        assert response.status_code == 404
        assert response.json() == unknown.json() == {"detail": "Not found.", "code": "not_found"}
    assert Event.objects.values_list("updated_at", "is_published").get(pk=event.pk) == before


# -- List -----------------------------------------------------------------------------------------


def test_list_shows_ones_own_events_published_or_not(organiser_client, organiser, event, outsider):
    draft = EventFactory(organisers=[organiser], is_published=False, starts_at=event.starts_at + timedelta(days=30))
    response = organiser_client.get(BASE)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["slug"] for item in body["items"]] == [draft.slug, event.slug]  # the latest start first
    assert [item["is_published"] for item in body["items"]] == [False, True]


def test_list_of_desk_staff_and_of_an_organiser_without_events_is_empty(desk_client):
    newcomer = JSONClient(token=ApiToken.issue(UserFactory()))
    for client in (desk_client, newcomer):
        assert client.get(BASE).json() == {"count": 0, "items": []}


def test_list_pages_with_limit_and_offset(organiser_client, organiser):
    start = timezone.now() + timedelta(days=20)
    slugs = [EventFactory(organisers=[organiser], starts_at=start + timedelta(days=n)).slug for n in range(4)]
    body = organiser_client.get(BASE, {"limit": 2, "offset": 1}).json()
    assert body["count"] == 4
    assert [item["slug"] for item in body["items"]] == [slugs[2], slugs[1]]


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 501}, {"offset": -1}])
def test_list_refuses_bad_paging(organiser_client, query):
    response = organiser_client.get(BASE, query)
    assert response.status_code == 422
    assert {error["field"] for error in response.json()["detail"]} == set(query)


def test_list_counts_registrations_per_state_and_seats_of_participants_only(organiser_client, organiser, event):
    accepted = submit(event)
    registration_decide(registration=accepted, decision="accept", actor=organiser)
    registration_decide(registration=submit(event), decision="waitlist", actor=organiser)
    submit(event)
    guest_add(event=event, data=registration_data(), actor=organiser)
    item = organiser_client.get(BASE).json()["items"][0]
    assert item["registration_counts"] == {
        "submitted": 1,
        "accepted": 2,  # the participant and the guest
        "waitlisted": 1,
        "rejected": 0,
        "cancelled": 0,
    }
    assert item["seats_left"] == event.capacity - 1


def test_list_has_a_query_ceiling(organiser_client, organiser, django_assert_max_num_queries):
    for number in range(6):
        event = EventFactory(organisers=[organiser])
        event.co_organisers.add(OrganisationFactory(), OrganisationFactory())
        submit(event)
        if number % 2:
            event_unpublish(event=event, actor=organiser)
    with django_assert_max_num_queries(5):
        response = organiser_client.get(BASE)
    assert response.json()["count"] == 6
    assert all(len(item["co_organisers"]) == 2 for item in response.json()["items"])


# -- One event ------------------------------------------------------------------------------------


def test_detail_of_an_unpublished_event_gives_every_field_of_the_create_body(organiser_client, organiser):
    event = EventFactory(organisers=[organiser], is_published=False, fallback_language="uk", seats_per_organisation=2)
    event.co_organisers.add(OrganisationFactory(name="Fundacja Zustricz"), OrganisationFactory(name="Czulent"))
    response = organiser_client.get(_url(event))
    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == event.slug
    assert body["is_published"] is False
    assert body["registration_open"] is False
    assert body["fallback_language"] == "uk"
    assert body["seats_per_organisation"] == 2
    assert body["co_organisers"] == ["Czulent", "Fundacja Zustricz"]
    assert body["title"] == event.title
    assert body["url"].endswith(f"/uk/e/{event.slug}/")


def test_staff_see_every_event_as_the_web_pages_do(event):
    staff = UserFactory(email="admin@example.org", is_staff=True)
    assert JSONClient(token=ApiToken.issue(staff)).get(_url(event)).status_code == 200


# -- Change ---------------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent(organiser_client, event):
    title = dict(event.title)
    response = organiser_client.patch(_url(event), {"capacity": 55, "venue": {"en": "Kraków, Józefińska 14"}})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["capacity"] == 55
    assert body["seats_left"] == 55
    assert body["venue"] == {"en": "Kraków, Józefińska 14"}
    assert body["title"] == title
    event.refresh_from_db()
    assert event.capacity == 55
    assert event.title == title
    assert event.venue == {"en": "Kraków, Józefińska 14"}


def test_patch_takes_times_with_any_offset_and_answers_in_the_event_zone(organiser_client, event):
    starts = (event.starts_at + timedelta(days=1)).replace(microsecond=0)
    response = organiser_client.patch(
        _url(event),
        {"starts_at": starts.astimezone(UTC).isoformat(), "ends_at": (starts + timedelta(hours=3)).isoformat()},
    )
    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert event.starts_at == starts
    assert response.json()["starts_at"] == event.local(starts).isoformat()


def test_patch_null_means_none_where_a_field_has_one(organiser_client, organiser):
    event = EventFactory(
        organisers=[organiser], seats_per_organisation=3, safety_policy=SafetyPolicy().to_data(), venue={"pl": "Kraków"}
    )
    response = organiser_client.patch(
        _url(event), {"seats_per_organisation": None, "safety_policy": None, "venue": None, "description": {}}
    )
    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert (event.seats_per_organisation, event.safety_policy, event.venue, event.description) == (None, None, {}, {})


@pytest.mark.parametrize("field", ["title", "starts_at", "timezone", "capacity", "fallback_language", "slug"])
def test_patch_refuses_null_for_a_field_without_a_none(organiser_client, event, field):
    response = organiser_client.patch(_url(event), {field: None})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": field, "message": "This field cannot be null.", "code": "null_not_allowed"}
    ]


def test_patch_null_message_is_in_the_request_language(organiser_client, event):
    english = organiser_client.patch(_url(event), {"capacity": None}).json()["detail"][0]["message"]
    polish = organiser_client.patch(_url(event), {"capacity": None}, headers={"Accept-Language": "pl"})
    assert polish.json()["detail"][0]["message"] not in ("", english)


def test_patch_replaces_the_safety_rule_as_a_whole(organiser_client, organiser):
    event = EventFactory(organisers=[organiser], safety_policy={**SafetyPolicy().to_data(), "tested_within_hours": 24})
    response = organiser_client.patch(_url(event), {"safety_policy": {"vaccinated_after_days": 7}})
    assert response.status_code == 200
    assert response.json()["safety_policy"] == {**SafetyPolicy().to_data(), "vaccinated_after_days": 7}
    event.refresh_from_db()
    assert event.safety_policy["tested_within_hours"] == SafetyPolicy().tested_within_hours


def test_patch_of_the_safety_rule_recomputes_verdicts(organiser_client, organiser):
    event = EventFactory(organisers=[organiser], safety_policy=SafetyPolicy().to_data())
    completed = event.local(event.starts_at).date() - timedelta(days=10)
    registration = submit(event, safety=SafetyInput(basis="vaccinated", date=completed), consent_health=True)
    assert registration.safety_verdict == SafetyVerdict.DOES_NOT_MEET  # 14 days are needed
    response = organiser_client.patch(_url(event), {"safety_policy": {"vaccinated_after_days": 7}})
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.safety_verdict == SafetyVerdict.MEETS


def test_patch_with_the_current_slug_is_accepted_and_another_is_refused(organiser_client, event):
    slug = event.slug
    assert organiser_client.patch(_url(event), {"slug": event.slug, "capacity": 41}).status_code == 200
    response = organiser_client.patch(_url(event), {"slug": "a-new-address", "capacity": 42})
    assert response.status_code == 422
    assert [(error["field"], error["code"]) for error in response.json()["detail"]] == [("slug", "read_only")]
    event.refresh_from_db()
    assert (event.slug, event.capacity) == (slug, 41)
    assert not Event.objects.filter(slug="a-new-address").exists()


def test_patch_of_an_inconsistent_event_is_422_and_changes_nothing(organiser_client, event):
    before = Event.objects.values().get(pk=event.pk)
    response = organiser_client.patch(_url(event), {"ends_at": (event.starts_at - timedelta(hours=1)).isoformat()})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "ends_at", "message": "The event cannot end before it starts.", "code": "invalid"}
    ]
    assert Event.objects.values().get(pk=event.pk) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": {}}, "title"),
        ({"title": {"de": "Treffen"}}, "title"),
        ({"capacity": -1}, "capacity"),
        ({"seats_per_organisation": 0}, "seats_per_organisation"),
        ({"timezone": "Europe/Atlantis"}, "timezone"),
        ({"starts_at": "2031-10-09T10:00:00"}, "starts_at"),
        ({"safety_policy": {"tested_within_hours": 0}}, "safety_policy.tested_within_hours"),
        ({"fallback_language": "de"}, "fallback_language"),
        ({"is_published": True}, "is_published"),
    ],
)
def test_patch_refuses_bad_values_naming_the_field(organiser_client, event, body, field):
    before = Event.objects.values().get(pk=event.pk)
    response = organiser_client.patch(_url(event), body)
    assert response.status_code == 422, response.content
    assert field in {error["field"] for error in response.json()["detail"]}
    assert Event.objects.values().get(pk=event.pk) == before


def test_an_empty_patch_changes_nothing(organiser_client, event):
    before = Event.objects.values().get(pk=event.pk)
    response = organiser_client.patch(_url(event), {})
    assert response.status_code == 200
    assert response.json()["slug"] == event.slug
    assert Event.objects.values().get(pk=event.pk) == before


def test_patch_body_has_every_field_of_the_create_body():
    from civicmeet.api.schemas import EventIn
    from civicmeet.api.schemas_manage import EventPatchIn

    assert set(EventPatchIn.model_fields) == set(EventIn.model_fields)


def test_a_patch_changes_the_public_page_at_once(organiser_client, api_client, event):
    assert api_client.get(f"/api/v1/events/{event.slug}").json()["capacity"] == 40
    organiser_client.patch(_url(event), {"capacity": 12})
    assert api_client.get(f"/api/v1/events/{event.slug}").json()["capacity"] == 12


# -- Publish and unpublish ------------------------------------------------------------------------


def test_publish_and_unpublish(organiser_client, api_client, organiser):
    event = EventFactory(organisers=[organiser], is_published=False)
    assert api_client.get(f"/api/v1/events/{event.slug}").status_code == 404
    response = organiser_client.post(_url(event, "/publish"))
    assert response.status_code == 200
    assert response.json()["is_published"] is True
    assert response.json()["registration_open"] is True
    assert api_client.get(f"/api/v1/events/{event.slug}").status_code == 200

    response = organiser_client.post(_url(event, "/unpublish"))
    assert response.status_code == 200
    assert response.json()["is_published"] is False
    assert api_client.get(f"/api/v1/events/{event.slug}").status_code == 404
    event.refresh_from_db()
    assert event.is_published is False


def test_publishing_a_published_event_changes_nothing_visible(organiser_client, event):
    response = organiser_client.post(_url(event, "/publish"))
    assert response.status_code == 200
    assert response.json()["is_published"] is True


def test_publish_refused_by_the_service_is_409_with_its_reason(organiser_client, organiser):
    from civicmeet.core.errors import DomainError
    from civicmeet.events.services import event_publish

    event = EventFactory(organisers=[organiser], is_published=False, title={})
    with pytest.raises(DomainError) as refusal:
        event_publish(event=Event.objects.get(pk=event.pk), actor=organiser)
    response = organiser_client.post(_url(event, "/publish"))
    assert response.status_code == 409
    # The service's own code when it gives one, else the API's.
    code = refusal.value.code if refusal.value.code != DomainError.code else "not_publishable"
    assert response.json() == {"detail": "Give the event a title before publishing it.", "code": code}
    event.refresh_from_db()
    assert event.is_published is False


def test_publish_takes_no_body_fields(organiser_client, organiser):
    event = EventFactory(organisers=[organiser], is_published=False)
    response = organiser_client.post(_url(event, "/publish"), {"is_published": False})
    # No body is read: the event is published (an unread body cannot be "ignored silently").
    assert response.status_code == 200
    assert response.json()["is_published"] is True


# -- Every change names its actor -----------------------------------------------------------------


@pytest.fixture
def recorded(monkeypatch):
    """The services the API calls, wrapped to record the `actor` they are given."""
    from civicmeet.api import manage

    calls: dict[str, object] = {}

    def wrap(name):
        original = getattr(manage, name)

        def recording(**kwargs):
            calls[name] = kwargs.get("actor")
            return original(**kwargs)

        monkeypatch.setattr(manage, name, recording)

    for name in (
        "event_update",
        "event_publish",
        "event_unpublish",
        "questions_replace",
        "team_member_add",
        "team_member_remove",
        "guest_add",
    ):
        wrap(name)
    return calls


def test_every_change_passes_the_tokens_user_as_the_actor(organiser_client, organiser, event, desk, recorded):
    from civicmeet.events.selectors import team_member_list

    desk_member = next(member for member in team_member_list(event=event) if member.user == desk)
    requests = [
        ("patch", "", {"capacity": 30}),
        ("post", "/unpublish", None),
        ("post", "/publish", None),
        ("put", "/questions", {"questions": []}),
        ("post", "/team", {"email": desk.email, "role": "desk"}),
        ("delete", f"/team/{desk_member.pk}", None),
        (
            "post",
            "/guests",
            {"first_name": "Jan", "last_name": "Urzędnik", "email": "jan@krakow.example.org", "language": "pl"},
        ),
    ]
    for method, suffix, body in requests:
        response = (
            getattr(organiser_client, method)(_url(event, suffix))
            if body is None
            else getattr(organiser_client, method)(_url(event, suffix), body)
        )
        assert response.status_code < 300, (method, suffix, response.content)
    assert recorded == dict.fromkeys(
        (
            "event_update",
            "event_unpublish",
            "event_publish",
            "questions_replace",
            "team_member_add",
            "team_member_remove",
            "guest_add",
        ),
        organiser,
    )


# -- Moments at the ends of the calendar ----------------------------------------------------------

EXTREME_MOMENTS = ["9999-12-31T23:00:00-12:00", "0001-01-01T00:30:00+14:00", "0001-01-01T00:00:00+00:00"]


@pytest.mark.parametrize("value", EXTREME_MOMENTS)
@pytest.mark.parametrize("field", ["starts_at", "ends_at", "registration_opens_at", "registration_closes_at"])
def test_moments_no_time_zone_can_convert_are_422_not_500(organiser_client, event, field, value):
    """Valid ISO 8601 that overflows Python's calendar once converted to UTC or the event's zone."""
    from .test_events import _new_event

    for response in (
        organiser_client.patch(_url(event), {field: value}),
        organiser_client.post("/api/v1/events", _new_event(slug="extreme", **{field: value})),
    ):
        assert response.status_code == 422, response.content
        assert response.json()["detail"] == [
            {"field": field, "message": "Enter a valid date/time.", "code": "out_of_range"}
        ]
    assert not Event.objects.filter(slug="extreme").exists()


@pytest.mark.parametrize("value", EXTREME_MOMENTS[:2])
def test_a_test_taken_at_such_a_moment_is_422_not_500(api_client, organiser, registration_body, value):
    event = EventFactory(organisers=[organiser], safety_policy=SafetyPolicy().to_data())
    safety = {"basis": "tested", "taken_at": value, "test_kind": "pcr"}
    check = api_client.post(f"/api/v1/events/{event.slug}/safety-check", safety)
    register = api_client.post(
        f"/api/v1/events/{event.slug}/registrations", registration_body(safety=safety, consent_health=True)
    )
    assert (check.status_code, register.status_code) == (422, 422)
    assert ("taken_at", "out_of_range") in [(e["field"], e["code"]) for e in check.json()["detail"]]
    assert ("safety.taken_at", "out_of_range") in [(e["field"], e["code"]) for e in register.json()["detail"]]


def test_history_lists_who_changed_what_newest_first(organiser_client, organiser, event):
    from civicmeet.events.services import event_publish, event_update

    event_update(event=event, data={"capacity": 30}, actor=organiser)
    event_publish(event=event, actor=organiser)  # already published: no row
    event_update(event=event, data={"is_free": True}, actor=organiser)  # claims start unticked
    response = organiser_client.get(f"/api/v1/manage/events/{event.slug}/history?limit=1")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    (latest,) = body["items"]
    assert latest["action"] == "events.event.changed"
    assert latest["actor"] == organiser.email
    assert latest["changes"] == {"is_free": [False, True]}
    assert latest["at"].endswith(("+01:00", "+02:00"))  # the event's zone (Europe/Warsaw)
