"""The check-in API: the participant's ticket, check-ins by other desks and scripts, the counters."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from civicmeet.accounts.models import ApiToken
from civicmeet.api.tests.conftest import JSONClient
from civicmeet.api.urls import api
from civicmeet.checkin.models import CheckIn, CheckInRequest, Source
from civicmeet.checkin.tickets import ticket_code
from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.registrations.services import registration_decide
from civicmeet.registrations.tests.factories import submit

from .factories import accepted, desk_member

pytestmark = pytest.mark.django_db


def checkins_url(event) -> str:
    return f"/api/v1/manage/events/{event.slug}/checkins"


@pytest.fixture
def organiser_client(organiser):
    return JSONClient(token=ApiToken.issue(organiser))


@pytest.fixture
def desk_client(event):
    return JSONClient(token=ApiToken.issue(desk_member(event, first_name="Bohdan", last_name="Desk")))


# -- The participant's ticket --------------------------------------------------------------------


def test_the_participant_reads_their_ticket_by_their_token(event, organiser):
    registration = accepted(event, organiser)

    response = JSONClient().get(f"/api/v1/registrations/{registration.token}/ticket")

    assert response.status_code == 200
    assert response.json() == {"code": ticket_code(registration), "event": event.slug, "valid": True}


@pytest.mark.parametrize("decision", [None, "waitlist", "reject"])
def test_no_ticket_unless_accepted(event, organiser, decision):
    registration = submit(event)
    if decision:
        registration_decide(registration=registration, decision=decision, actor=organiser)

    response = JSONClient().get(f"/api/v1/registrations/{registration.token}/ticket")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_unknown_token_has_no_ticket():
    assert JSONClient().get("/api/v1/registrations/not-a-token/ticket").status_code == 404


# -- Checking in ---------------------------------------------------------------------------------


def test_first_check_in_is_201_later_ones_200_already_and_a_retry_the_first_answer(
    event, organiser, desk_client, organiser_client
):
    registration = accepted(event, organiser, first_name="Олена", last_name="Коваленко")
    code = ticket_code(registration)

    first = desk_client.post(checkins_url(event), {"code": code, "client_id": "d-1", "basis": "tested"})
    retry = desk_client.post(checkins_url(event), {"code": code, "client_id": "d-1", "basis": "tested"})
    later = organiser_client.post(checkins_url(event), {"code": code, "client_id": "o-1"})

    assert first.status_code == 201
    body = first.json()
    assert body["already"] is False
    assert (body["registration_id"], body["name"], body["organisation"]) == (
        registration.pk,
        "Олена Коваленко",
        "Fundacja Zustricz",
    )
    assert body["checked_in_by"] == "Bohdan Desk" and body["verdict"] == ""
    assert (retry.status_code, retry.json()) == (201, body)
    assert later.status_code == 200
    assert later.json() == {**body, "already": True}  # the first check-in's time and person
    checkin = CheckIn.objects.get()
    assert (checkin.source, checkin.basis) == (Source.API, "tested")
    assert CheckInRequest.objects.count() == 2


@pytest.mark.parametrize(
    ("make_code", "reason"),
    [
        (lambda event, organiser: "CM1.forged.signature", "tampered"),
        (lambda event, organiser: "\x00\x01 anything at all ☃" * 10, "tampered"),
        (
            lambda event, organiser: ticket_code(accepted(EventFactory(organisers=[organiser]), organiser)),
            "other_event",
        ),
    ],
)
def test_a_ticket_not_valid_here_is_409_with_its_reason(event, organiser, desk_client, make_code, reason):
    response = desk_client.post(checkins_url(event), {"code": make_code(event, organiser), "client_id": "x"})

    assert response.status_code == 409
    body = response.json()
    assert body["reason"] == reason and body["code"] == "ticket_refused"
    assert body["message"] == body["detail"] and body["message"]
    assert not CheckIn.objects.exists() and not CheckInRequest.objects.exists()


def test_a_cancelled_or_replaced_ticket_is_409(event, organiser, desk_client):
    cancelled = accepted(event, organiser)
    cancelled_code = ticket_code(cancelled)
    registration_decide(registration=cancelled, decision="waitlist", actor=organiser)
    replaced = accepted(event, organiser)
    replaced_code = ticket_code(replaced)
    replaced = registration_decide(registration=replaced, decision="waitlist", actor=organiser)
    registration_decide(registration=replaced, decision="accept", actor=organiser)

    reasons = [
        desk_client.post(checkins_url(event), {"code": code, "client_id": f"c-{n}"}).json()["reason"]
        for n, code in enumerate([cancelled_code, replaced_code])
    ]

    assert reasons == ["not_accepted", "replaced"]


@pytest.mark.parametrize(
    "body",
    [
        {"client_id": "x"},
        {"code": "CM1.a.b"},
        {"code": "CM1.a.b", "client_id": ""},
        {"code": "CM1.a.b", "client_id": "x" * 101},
        {"code": "CM1.a.b", "client_id": "x", "basis": "a photo of the certificate"},
        {"code": "CM1.a.b", "client_id": "x", "name": "unexpected"},
        {"code": 42, "client_id": "x"},
    ],
)
def test_a_malformed_body_is_422(event, desk_client, body):
    response = desk_client.post(checkins_url(event), body)

    assert response.status_code == 422, response.content
    assert not CheckInRequest.objects.exists()


def test_a_client_id_that_is_not_plain_ascii_is_refused_with_a_message(event, organiser, desk_client):
    code = ticket_code(accepted(event, organiser))

    response = desk_client.post(checkins_url(event), {"code": code, "client_id": "żółw"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["code"] == "client_id_invalid"


def test_only_the_events_organisers_and_desk_check_in(event, organiser):
    code = ticket_code(accepted(event, organiser))
    other_event = EventFactory(organisers=[UserFactory()])
    desk_elsewhere = JSONClient(token=ApiToken.issue(desk_member(other_event)))
    outsider = JSONClient(token=ApiToken.issue(UserFactory()))

    for client in (JSONClient(), JSONClient(token="not-a-token")):
        assert client.post(checkins_url(event), {"code": code, "client_id": "a"}).status_code == 401
        assert client.get(checkins_url(event)).status_code == 401
    for client in (desk_elsewhere, outsider):
        assert client.post(checkins_url(event), {"code": code, "client_id": "b"}).status_code == 404
        assert client.get(checkins_url(event)).status_code == 404
    assert (
        JSONClient(token=ApiToken.issue(organiser)).get("/api/v1/manage/events/no-such-event/checkins").status_code
        == 404
    )
    assert not CheckIn.objects.exists()


def test_the_list_has_the_counters_and_every_check_in(organiser, django_assert_max_num_queries):
    event = EventFactory(organisers=[organiser], capacity=30)
    client = JSONClient(token=ApiToken.issue(organiser))
    people = [accepted(event, organiser, organisation_name=f"Organisation {n}") for n in range(6)]
    for n, person in enumerate(people[:4]):
        assert client.post(checkins_url(event), {"code": ticket_code(person), "client_id": f"l-{n}"}).status_code == 201

    with django_assert_max_num_queries(6):
        response = client.get(checkins_url(event))

    assert response.status_code == 200
    body = response.json()
    assert (body["present"], body["accepted"], body["seats"]) == (4, 6, 30)
    assert sum(count for _hour, count in body["per_hour"]) == 4
    assert [row["registration_id"] for row in body["checkins"]] == [person.pk for person in people[:4]]
    row = body["checkins"][0]
    assert set(row) == {
        "registration_id",
        "name",
        "organisation",
        "role",
        "checked_in_at",
        "checked_in_by",
        "basis",
        "verdict",
        "source",
    }
    assert "email" not in str(body)


def test_the_desk_member_reads_the_list_without_what_people_showed(event, organiser, desk_client, organiser_client):
    person = accepted(event, organiser)
    accepted(event, organiser)
    desk_client.post(checkins_url(event), {"code": ticket_code(person), "client_id": "d", "basis": "recovered"})

    for_desk = desk_client.get(checkins_url(event))
    for_organiser = organiser_client.get(checkins_url(event))

    assert for_desk.status_code == 200
    body = for_desk.json()
    assert (body["present"], body["accepted"]) == (1, 2)
    (row,) = body["checkins"]
    assert row["registration_id"] == person.pk and (row["basis"], row["verdict"]) == (None, None)
    (row,) = for_organiser.json()["checkins"]
    assert (row["basis"], row["verdict"]) == ("recovered", "")


def test_the_operations_are_in_the_openapi_schema():
    paths = api.get_openapi_schema()["paths"]

    assert "get" in paths["/api/v1/registrations/{token}/ticket"]
    operations = paths["/api/v1/manage/events/{slug}/checkins"]
    assert {"get", "post"} <= set(operations)
    assert {200, 201, 409} <= set(operations["post"]["responses"])


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.text(max_size=300), client_id=st.text(min_size=1, max_size=120))
def test_whatever_a_scan_sends_the_answer_is_never_a_server_error(event, desk_client, code, client_id):
    response = desk_client.post(checkins_url(event), {"code": code, "client_id": client_id})

    assert response.status_code in (409, 422), response.content
    assert not CheckIn.objects.exists()
