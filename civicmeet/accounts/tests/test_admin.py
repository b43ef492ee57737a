"""The accounts admin: API tokens and teams are shown; revoking a token goes through the service."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicmeet.accounts import admin as accounts_admin
from civicmeet.accounts.models import ApiToken, Team, TeamMember, TeamRole
from civicmeet.core.tests.test_admin import admin_url, assert_writes_refused, edit_form_data
from civicmeet.events.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(organiser):
    ApiToken.issue(organiser)
    return ApiToken.objects.get(user=organiser)


@pytest.fixture
def revocations(monkeypatch):
    """The tokens the admin revoked through the service (which still does its work)."""
    revoked = []
    service = accounts_admin.api_token_revoke

    def revoke(*, token):
        revoked.append(token.pk)
        service(token=token)

    monkeypatch.setattr(accounts_admin, "api_token_revoke", revoke)
    return revoked


def test_token_changelist_and_view_page_show_whose_token_it_is(admin_client, token, organiser):
    listing = admin_client.get(admin_url(ApiToken, "changelist"))
    assert listing.status_code == 200
    assert organiser.email in listing.content.decode()
    page = admin_client.get(admin_url(token, "change", token.pk))
    assert page.status_code == 200
    assert organiser.email in page.content.decode()
    assert token.key_hash not in page.content.decode()
    assert 'name="_save"' not in page.content.decode()


def test_token_change_and_add_pages_change_no_token(admin_client, token, monkeypatch):
    data = edit_form_data(admin_client, token, monkeypatch)
    data.update(user=[str(UserFactory(email="someone@example.org").pk)], key_hash=["0" * 64])
    assert_writes_refused(admin_client, token, data, deletable=True)


def test_deleting_a_token_revokes_it_through_the_service(admin_client, token, revocations):
    assert admin_client.get(admin_url(token, "delete", token.pk)).status_code == 200
    response = admin_client.post(admin_url(token, "delete", token.pk), {"post": "yes"})
    assert response.status_code == 302
    assert revocations == [token.pk]
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_deleting_selected_tokens_revokes_each_through_the_service(admin_client, token, revocations):
    ApiToken.issue(UserFactory(email="other@example.org"))
    other = ApiToken.objects.exclude(pk=token.pk).get()
    selected = {"action": "delete_selected", "_selected_action": [token.pk, other.pk], "index": 0}
    assert admin_client.post(admin_url(ApiToken, "changelist"), selected).status_code == 200  # the confirmation
    assert ApiToken.objects.count() == 2
    admin_client.post(admin_url(ApiToken, "changelist"), {**selected, "post": "yes"})
    assert sorted(revocations) == sorted([token.pk, other.pk])
    assert not ApiToken.objects.exists()


def test_teams_and_members_are_shown_and_not_changed(admin_client, event, organiser, monkeypatch):
    team, member = event.team, TeamMember.objects.get(user=organiser)
    assert organiser.email in admin_client.get(admin_url(team, "change", team.pk)).content.decode()
    assert organiser.email in admin_client.get(admin_url(TeamMember, "changelist")).content.decode()
    assert admin_client.get(admin_url(member, "change", member.pk)).status_code == 200

    data = edit_form_data(admin_client, member, monkeypatch)
    data["role"] = [TeamRole.DESK]
    assert_writes_refused(admin_client, member, data)

    # The team's members inline: the last organiser can neither be turned into desk staff nor removed.
    data = edit_form_data(admin_client, team, monkeypatch)
    prefix = next(name for name in data if name.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    data.update({f"{prefix}-0-role": [TeamRole.DESK], f"{prefix}-0-DELETE": ["on"]})
    assert_writes_refused(admin_client, team, data)
    assert TeamMember.objects.filter(pk=member.pk, role=TeamRole.ORGANISER).exists()
    assert Team.objects.filter(pk=team.pk).exists()


def test_a_person_on_a_team_cannot_be_deleted_in_the_user_admin(client, organiser, event):
    from django.contrib.auth import get_user_model

    from civicmeet.events.tests.factories import UserFactory

    admin_user = get_user_model().objects.create_superuser("root@example.org", "root@example.org", "x" * 20)
    loner = UserFactory(email="loner@example.org")
    client.force_login(admin_user)
    delete_url = reverse("admin:auth_user_delete", args=[organiser.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:auth_user_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [organiser.pk, loner.pk], "post": "yes"})
    # A batch with someone on a team is refused as a whole (Django asks each row's permission).
    assert get_user_model().objects.filter(pk=organiser.pk).exists()
    assert event.team.members.filter(user=organiser).exists()
    assert get_user_model().objects.filter(pk=loner.pk).exists()
    client.post(changelist, {"action": "delete_selected", "_selected_action": [loner.pk], "post": "yes"})
    assert not get_user_model().objects.filter(pk=loner.pk).exists()
