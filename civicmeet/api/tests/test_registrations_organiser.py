from __future__ import annotations

import pytest
from django.core import mail

from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.registrations.models import ActorKind, LogEntry, State
from civicmeet.registrations.services import registration_cancel, registration_decide
from civicmeet.registrations.tests.factories import submit

from .conftest import JSONClient

pytestmark = pytest.mark.django_db


def _list_url(event):
    return f"/api/v1/events/{event.slug}/registrations"


def _decision_url(event, registration_id):
    return f"/api/v1/events/{event.slug}/registrations/{registration_id}/decision"


# -- List -------------------------------------------------------------------------------------------


def test_list_gives_the_event_registrations_with_a_total_count(organiser_client, event):
    first, second = submit(event), submit(event, phone="+48600123456")
    submit(EventFactory())  # another event's registration stays out
    response = organiser_client.get(_list_url(event))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [first.pk, second.pk]
    item = body["items"][1]
    assert item["email"] == second.email
    assert item["phone"] == "+48600123456"
    assert item["organisation_name"] == "Fundacja Zustricz"
    assert item["organisation_type"] == "migrant"
    assert item["state"] == "submitted"
    assert item["created_at"].endswith(("+01:00", "+02:00"))
    assert "token" not in item


def test_list_filters_by_state(organiser_client, event, organiser):
    accepted = submit(event)
    registration_decide(registration=accepted, decision="accept", actor=organiser)
    submit(event)
    body = organiser_client.get(_list_url(event), {"state": "accepted"}).json()
    assert body["count"] == 1
    assert [item["id"] for item in body["items"]] == [accepted.pk]


def test_list_refuses_an_unknown_state(organiser_client, event):
    response = organiser_client.get(_list_url(event), {"state": "vip"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "state"


def test_list_pages_with_a_default_of_50(organiser_client, event):
    registrations = [submit(event) for _n in range(53)]
    body = organiser_client.get(_list_url(event)).json()
    assert body["count"] == 53
    assert len(body["items"]) == 50
    body = organiser_client.get(_list_url(event), {"limit": 2, "offset": 51}).json()
    assert body["count"] == 53
    assert [item["id"] for item in body["items"]] == [r.pk for r in registrations[51:]]


def test_list_refuses_more_than_500_per_page(organiser_client, event):
    response = organiser_client.get(_list_url(event), {"limit": 501})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "limit"


@pytest.mark.parametrize("registrations", [1, 12])
def test_list_takes_the_same_number_of_queries_for_any_length(
    organiser_client, event, django_assert_max_num_queries, registrations
):
    for _n in range(registrations):
        submit(event)
    organiser_client.get(_list_url(event))  # last_used_at written; later requests only read
    # Token + user, event (permission), count, page.
    with django_assert_max_num_queries(4):
        body = organiser_client.get(_list_url(event)).json()
    assert body["count"] == registrations


def test_list_needs_a_token(api_client, event):
    assert api_client.get(_list_url(event)).status_code == 401


def test_list_of_another_team_event_is_404(outsider_client, event):
    submit(event)
    response = outsider_client.get(_list_url(event))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_desk_staff_cannot_list_registrations(event):
    from civicmeet.accounts.models import ApiToken, TeamMember, TeamRole

    desk = UserFactory(email="desk@example.org")
    TeamMember.objects.create(team=event.team, user=desk, role=TeamRole.DESK)
    assert JSONClient(token=ApiToken.issue(desk)).get(_list_url(event)).status_code == 404


# -- Decision ---------------------------------------------------------------------------------------


def test_accept_records_the_decision_and_tells_the_participant(organiser_client, event, organiser, run_on_commit):
    registration = submit(event)
    with run_on_commit(execute=True):
        response = organiser_client.post(
            _decision_url(event, registration.pk), {"decision": "accept", "message": "See you in Kraków!"}
        )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "accepted"
    assert response.json()["id"] == registration.pk
    entry = LogEntry.objects.filter(registration=registration).last()
    assert (entry.from_state, entry.to_state, entry.actor_kind, entry.actor, entry.message) == (
        State.SUBMITTED,
        State.ACCEPTED,
        ActorKind.ORGANISER,
        organiser,
        "See you in Kraków!",
    )
    assert "See you in Kraków!" in mail.outbox[-1].body


@pytest.mark.parametrize(("decision", "state"), [("waitlist", "waitlisted"), ("reject", "rejected")])
def test_waitlist_and_reject(organiser_client, event, decision, state):
    registration = submit(event)
    response = organiser_client.post(_decision_url(event, registration.pk), {"decision": decision})
    assert response.status_code == 200
    assert response.json()["state"] == state


def test_accept_refuses_when_full(organiser_client, organiser):
    event = EventFactory(organisers=[organiser], capacity=1)
    registration_decide(registration=submit(event), decision="accept", actor=organiser)
    late = submit(event)
    response = organiser_client.post(_decision_url(event, late.pk), {"decision": "accept"})
    assert response.status_code == 409
    assert response.json()["code"] == "capacity"
    assert response.json()["detail"]
    late.refresh_from_db()
    assert late.state == State.SUBMITTED


def test_accept_refuses_beyond_the_per_organisation_limit(organiser_client, organiser):
    event = EventFactory(organisers=[organiser], seats_per_organisation=1)
    registration_decide(registration=submit(event), decision="accept", actor=organiser)
    colleague = submit(event)  # the same organisation (factory default)
    other = submit(event, organisation_name="Stowarzyszenie Czulent", organisation_type="national_minority")
    response = organiser_client.post(_decision_url(event, colleague.pk), {"decision": "accept"})
    assert response.status_code == 409
    assert response.json()["code"] == "capacity"
    assert organiser_client.post(_decision_url(event, other.pk), {"decision": "accept"}).status_code == 200


def test_decision_refuses_a_transition_that_is_not_allowed(organiser_client, event):
    registration = submit(event)
    registration_cancel(registration=registration)
    response = organiser_client.post(_decision_url(event, registration.pk), {"decision": "accept"})
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "decision"),
        ({"decision": "maybe"}, "decision"),
        ({"decision": "accept", "message": "x" * 2001}, "message"),
        ({"decision": "accept", "mesage": "typo"}, "mesage"),
    ],
)
def test_decision_refuses_invalid_bodies_with_422(organiser_client, event, body, field):
    registration = submit(event)
    response = organiser_client.post(_decision_url(event, registration.pk), body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field
    registration.refresh_from_db()
    assert registration.state == State.SUBMITTED


def test_decision_on_another_event_registration_is_404(organiser_client, organiser, event):
    other = submit(EventFactory(organisers=[organiser]))
    assert organiser_client.post(_decision_url(event, other.pk), {"decision": "accept"}).status_code == 404
    other.refresh_from_db()
    assert other.state == State.SUBMITTED


@pytest.mark.parametrize("registration_id", ["999999", "0", "-3", str(2**70)])
def test_decision_on_an_unknown_registration_is_404(organiser_client, event, registration_id):
    submit(event)
    response = organiser_client.post(_decision_url(event, registration_id), {"decision": "accept"})
    assert response.status_code == 404


def test_decision_by_an_outsider_is_404(outsider_client, event):
    registration = submit(event)
    assert outsider_client.post(_decision_url(event, registration.pk), {"decision": "accept"}).status_code == 404
    registration.refresh_from_db()
    assert registration.state == State.SUBMITTED


def test_decision_needs_a_token(api_client, event):
    registration = submit(event)
    assert api_client.post(_decision_url(event, registration.pk), {"decision": "accept"}).status_code == 401


def test_decision_rejects_get(organiser_client, event):
    registration = submit(event)
    assert organiser_client.get(_decision_url(event, registration.pk)).status_code == 405
