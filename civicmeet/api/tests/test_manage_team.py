"""An event's team through the API: list, add or change a member, remove one; never without an organiser."""

from __future__ import annotations

import pytest

from civicmeet.accounts.models import ApiToken
from civicmeet.events.selectors import team_member_list
from civicmeet.events.tests.factories import EventFactory, OrganisationFactory, UserFactory

from .conftest import JSONClient

pytestmark = pytest.mark.django_db


def _url(event, suffix: str = "") -> str:
    return f"/api/v1/manage/events/{event.slug}/team{suffix}"


def _team(event) -> list[tuple[str, str, str | None]]:
    return sorted(
        (member.user.email, member.role, member.organisation.name if member.organisation else None)
        for member in team_member_list(event=event)
    )


def _member(event, user):
    return next(member for member in team_member_list(event=event) if member.user == user)


@pytest.fixture
def colleague(db):
    return UserFactory(email="oksana@czulent.example.org")


def test_list_gives_each_member_with_role_and_organisation(organiser_client, organiser, event, desk):
    response = organiser_client.get(_url(event))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["items"] == [
        {
            "id": _member(event, organiser).pk,
            "email": organiser.email,
            "role": "organiser",
            "role_label": "Organiser",
            "organisation": None,
        },
        {
            "id": _member(event, desk).pk,
            "email": desk.email,
            "role": "desk",
            "role_label": "Desk staff",
            "organisation": None,
        },
    ]


def test_list_gives_organisers_first_then_desk_staff_each_by_email(organiser_client, organiser, event, desk):
    from civicmeet.events.services import team_member_add

    team_member_add(event=event, email=UserFactory(email="zofia@example.org").email, role="organiser", actor=organiser)
    items = organiser_client.get(_url(event)).json()["items"]
    assert [(item["email"], item["role"]) for item in items] == [
        (organiser.email, "organiser"),
        ("zofia@example.org", "organiser"),
        (desk.email, "desk"),
    ]


def test_list_has_a_query_ceiling(organiser_client, organiser, event, django_assert_max_num_queries):
    from civicmeet.events.services import team_member_add

    organisation = OrganisationFactory()
    event.co_organisers.add(organisation)
    for _number in range(8):
        user = UserFactory()
        team_member_add(event=event, email=user.email, role="desk", organisation=organisation, actor=organiser)
    with django_assert_max_num_queries(4):
        response = organiser_client.get(_url(event))
    assert response.json()["count"] == 9


def test_add_an_existing_account_as_desk_staff(organiser_client, event, colleague):
    response = organiser_client.post(_url(event), {"email": "Oksana@Czulent.example.org", "role": "desk"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["email"], body["role"], body["organisation"]) == (colleague.email, "desk", None)
    assert body["id"] == _member(event, colleague).pk
    assert ("oksana@czulent.example.org", "desk", None) in _team(event)
    # Desk staff are on the team, but have no organiser access.
    desk_client = JSONClient(token=ApiToken.issue(colleague))
    assert desk_client.get(f"/api/v1/manage/events/{event.slug}").status_code == 404


def test_add_an_organiser_gives_them_the_event(organiser_client, event, colleague):
    assert organiser_client.post(_url(event), {"email": colleague.email, "role": "organiser"}).status_code == 201
    colleague_client = JSONClient(token=ApiToken.issue(colleague))
    assert colleague_client.get(f"/api/v1/manage/events/{event.slug}").status_code == 200


def test_adding_someone_already_on_the_team_changes_their_role_with_200(organiser_client, event, desk):
    member_id = _member(event, desk).pk
    response = organiser_client.post(_url(event), {"email": desk.email, "role": "organiser"})
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["role"]) == (member_id, "organiser")
    assert (desk.email, "organiser", None) in _team(event)


def test_a_member_can_work_for_a_co_organising_organisation(organiser_client, event, colleague):
    event.co_organisers.add(OrganisationFactory(name="Żydowskie Stowarzyszenie Czulent"))
    response = organiser_client.post(
        _url(event), {"email": colleague.email, "role": "organiser", "organisation": "żydowskie stowarzyszenie czulent"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["organisation"] == "Żydowskie Stowarzyszenie Czulent"
    assert (colleague.email, "organiser", "Żydowskie Stowarzyszenie Czulent") in _team(event)
    assert organiser_client.get(_url(event)).json()["items"][-1]["organisation"] == "Żydowskie Stowarzyszenie Czulent"

    # Sent again without an organisation: they no longer work for one.
    response = organiser_client.post(_url(event), {"email": colleague.email, "role": "organiser"})
    assert (response.status_code, response.json()["organisation"]) == (200, None)
    assert (colleague.email, "organiser", None) in _team(event)


def test_an_organisation_that_does_not_co_organise_the_event_is_422(organiser_client, event, colleague):
    OrganisationFactory(name="Fundacja Obca")
    response = organiser_client.post(
        _url(event), {"email": colleague.email, "role": "desk", "organisation": "Fundacja Obca"}
    )
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["detail"]] == [("organisation", "not_a_co_organiser")]
    assert colleague.email not in {email for email, _role, _org in _team(event)}


def test_an_email_without_an_account_is_422_and_creates_none(organiser_client, event):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.count()
    response = organiser_client.post(_url(event), {"email": "nobody@example.org", "role": "desk"})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "field": "email",
            "message": "There is no account with this email address. Ask an administrator to create it.",
            "code": "unknown_account",
        }
    ]
    assert get_user_model().objects.count() == users


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"email": "not-an-email", "role": "desk"}, "email", "invalid_email"),
        ({"email": "a@example.org", "role": "admin"}, "role", "enum"),
        ({"email": "a@example.org"}, "role", "missing"),
        ({"role": "desk"}, "email", "missing"),
        ({"email": "a@example.org", "role": "desk", "password": "x"}, "password", "extra_forbidden"),
    ],
)
def test_bad_bodies_are_422_naming_the_field(organiser_client, event, body, field, code):
    before = _team(event)
    response = organiser_client.post(_url(event), body)
    assert response.status_code == 422
    assert (field, code) in [(e["field"], e["code"]) for e in response.json()["detail"]]
    assert _team(event) == before


def test_the_last_organiser_cannot_become_desk_staff(organiser_client, organiser, event):
    response = organiser_client.post(_url(event), {"email": organiser.email, "role": "desk"})
    assert response.status_code == 409
    assert response.json() == {"detail": "An event needs at least one organiser.", "code": "last_organiser"}
    assert _team(event) == [(organiser.email, "organiser", None)]


def test_remove_a_member(organiser_client, event, desk):
    response = organiser_client.delete(_url(event, f"/{_member(event, desk).pk}"))
    assert response.status_code == 204
    assert response.content == b""
    assert desk.email not in {email for email, _role, _org in _team(event)}


def test_the_last_organiser_cannot_be_removed(organiser_client, organiser, event):
    response = organiser_client.delete(_url(event, f"/{_member(event, organiser).pk}"))
    assert response.status_code == 409
    assert response.json()["code"] == "last_organiser"
    assert _team(event) == [(organiser.email, "organiser", None)]


def test_an_organiser_may_leave_when_another_remains(organiser_client, organiser, event, colleague):
    organiser_client.post(_url(event), {"email": colleague.email, "role": "organiser"})
    response = organiser_client.delete(_url(event, f"/{_member(event, organiser).pk}"))
    assert response.status_code == 204
    assert organiser_client.get(f"/api/v1/manage/events/{event.slug}").status_code == 404


@pytest.mark.parametrize("member_id", ["0", "999999", "9223372036854775808", "-1", "x"])
def test_an_unknown_member_is_404(organiser_client, event, member_id):
    response = organiser_client.delete(_url(event, f"/{member_id}"))
    assert response.status_code in (404, 422)
    if member_id.lstrip("-").isdigit():
        assert response.status_code == 404


def test_a_member_of_another_events_team_is_not_found_through_ours(organiser_client, organiser, event, outsider):
    other = EventFactory(organisers=[outsider, organiser])
    member = _member(other, outsider)
    response = organiser_client.delete(_url(event, f"/{member.pk}"))
    assert response.status_code == 404
    assert outsider.email in {email for email, _role, _org in _team(other)}
