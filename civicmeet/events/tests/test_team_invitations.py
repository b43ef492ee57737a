"""The team by invitation: an organiser invites an email address; the person follows the one-time
link from the email, sets a name and a password (or signs in) and is on the team."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from civicmeet.accounts import services as account_services
from civicmeet.accounts.models import InvitationStatus, TeamInvitation, TeamMember, TeamRole, hash_token
from civicmeet.core.errors import DomainError
from civicmeet.events.models import EventAction, EventLogEntry
from civicmeet.events.team_invitations import team_invitation_send, team_invitation_withdraw
from civicmeet.events.tests.factories import UserFactory
from civicmeet.notifications.models import OutgoingEmail

pytestmark = pytest.mark.django_db

PASSWORD = "Zustricz-Krakow-2031"


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def invite(client, event, email="zofia@czulent.example.org", role="desk", language="en"):
    return client.post(
        url("events:team", slug=event.slug), {"action": "invite", "email": email, "role": role, "language": language}
    )


def link_of(email: OutgoingEmail) -> str:
    """The invitation's link as the email gives it, as a path (the test client's address)."""
    found = re.search(r"https?://[^/\s]+(/\S+/accounts/invitation/[^/\s]+/)", email.body_text)
    assert found, email.body_text
    assert found.group(1) in email.body_html
    return found.group(1)


def token_of(link: str) -> str:
    return link.rstrip("/").rsplit("/", 1)[1]


def test_invitation_end_to_end_new_account(client, organiser, event, run_on_commit):
    client.force_login(organiser)
    with run_on_commit(execute=True):
        response = invite(client, event, language="uk")
    assert response.status_code == 302
    email = OutgoingEmail.objects.get(kind="team_invitation")
    assert email.to == "zofia@czulent.example.org"
    assert email.language == "uk"
    assert "Мережева зустріч" in email.subject  # the event's title in the email's language
    assert email.reply_to == organiser.email
    link = link_of(email)
    assert link.startswith("/uk/")
    token = token_of(link)
    invitation = TeamInvitation.objects.get()
    # The token is never stored in clear: only its hash.
    assert invitation.token_hash == hash_token(token)
    assert token not in str(TeamInvitation.objects.values().get())

    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "strict-origin"
    assert 'name="password1"' in page.content.decode()
    response = client.post(link, {"name": "Zofia Nowak", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == url("registrations:event_list", language="uk")

    user = get_user_model().objects.get(email="zofia@czulent.example.org")
    assert user.get_full_name() == "Zofia Nowak"
    assert user.check_password(PASSWORD)
    assert TeamMember.objects.get(team=event.team, user=user).role == TeamRole.DESK
    assert int(client.session["_auth_user_id"]) == user.pk  # signed in
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    actions = list(EventLogEntry.objects.filter(event=event).order_by("id").values_list("action", "actor"))
    assert actions[-2:] == [(EventAction.MEMBER_INVITED, organiser.pk), (EventAction.INVITATION_ACCEPTED, user.pk)]


def test_an_organiser_lands_on_the_event(client, organiser, event):
    client.force_login(organiser)
    invite(client, event, email="jan@example.org", role="organiser")
    link = link_of(OutgoingEmail.objects.get())
    client.logout()
    response = client.post(link, {"name": "Jan", "password1": PASSWORD, "password2": PASSWORD})
    assert response["Location"] == url("events:edit", slug=event.slug)
    assert client.get(response["Location"]).status_code == 200  # the new organiser sees the event


def test_the_password_validators_apply_and_nothing_changes(client, organiser, event):
    client.force_login(organiser)
    invite(client, event)
    link = link_of(OutgoingEmail.objects.get())
    client.logout()
    response = client.post(link, {"name": "Zofia", "password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    response = client.post(link, {"name": "Zofia", "password1": PASSWORD, "password2": PASSWORD + "x"})
    assert "password2" in response.context["form"].errors
    assert response.context["form"]["name"].value() == "Zofia"
    assert not get_user_model().objects.filter(email="zofia@czulent.example.org").exists()
    assert TeamInvitation.objects.get().status == InvitationStatus.PENDING


def test_an_existing_account_signs_in_and_accepts(client, organiser, event):
    colleague = UserFactory(email="zofia@czulent.example.org")
    client.force_login(organiser)
    invite(client, event, role="organiser")
    link = link_of(OutgoingEmail.objects.get())
    client.logout()
    page = client.get(link)
    assert 'name="password1"' not in page.content.decode()
    assert url("accounts:login") in page.content.decode()
    # No password can be set for an account that exists: its owner signs in.
    client.post(link, {"name": "x", "password1": PASSWORD, "password2": PASSWORD})
    assert not colleague.__class__.objects.get(pk=colleague.pk).check_password(PASSWORD)
    assert not TeamMember.objects.filter(team=event.team, user=colleague).exists()

    client.force_login(colleague)
    response = client.post(link, {"action": "accept"})
    assert response.status_code == 302
    assert TeamMember.objects.get(team=event.team, user=colleague).role == TeamRole.ORGANISER


def test_a_used_link_is_refused(client, organiser, event):
    client.force_login(organiser)
    invite(client, event)
    link = link_of(OutgoingEmail.objects.get())
    client.logout()
    client.post(link, {"name": "Zofia", "password1": PASSWORD, "password2": PASSWORD})
    client.logout()
    response = client.get(link)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    response = client.post(link, {"name": "Someone", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410


def test_an_expired_link_is_refused(client, organiser, event):
    client.force_login(organiser)
    invite(client, event)
    link = link_of(OutgoingEmail.objects.get())
    client.logout()
    with time_machine.travel(timezone.now() + timedelta(days=account_services.INVITATION_DAYS, minutes=1)):
        response = client.get(link)
        assert response.status_code == 410
        assert "expired" in response.content.decode()
        client.post(link, {"name": "Zofia", "password1": PASSWORD, "password2": PASSWORD})
    assert not get_user_model().objects.filter(email="zofia@czulent.example.org").exists()


def test_a_withdrawn_link_is_refused_and_logged(client, organiser, event):
    client.force_login(organiser)
    invite(client, event)
    invitation = TeamInvitation.objects.get()
    page = client.get(url("events:team", slug=event.slug)).content.decode()
    assert "zofia@czulent.example.org" in page
    response = client.post(url("events:team", slug=event.slug), {"action": "withdraw", "invitation": invitation.pk})
    assert response.status_code == 302
    assert list(client.get(url("events:team", slug=event.slug)).context["invitations"]) == []
    client.logout()
    response = client.get(link_of(OutgoingEmail.objects.get()))
    assert response.status_code == 410
    assert "withdrew" in response.content.decode()
    assert EventLogEntry.objects.filter(event=event, action=EventAction.INVITATION_WITHDRAWN, actor=organiser).exists()


def test_reinviting_replaces_the_old_link(client, organiser, event):
    client.force_login(organiser)
    invite(client, event)
    invite(client, event, role="organiser")
    first, second = (link_of(email) for email in OutgoingEmail.objects.order_by("id"))
    assert first != second
    assert TeamInvitation.objects.filter(status=InvitationStatus.PENDING).count() == 1
    client.logout()
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_an_unknown_link_is_refused(client):
    response = client.get(url("accounts:invitation", token="not-a-real-token"))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_someone_on_the_team_is_not_invited(client, organiser, event):
    client.force_login(organiser)
    response = invite(client, event, email=organiser.email.upper())
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not OutgoingEmail.objects.exists()


def test_invitations_are_rate_limited_per_person(organiser, event, monkeypatch):
    monkeypatch.setattr(account_services, "INVITATIONS_PER_HOUR", 3)
    for number in range(3):
        team_invitation_send(event=event, email=f"p{number}@example.org", role="desk", language="en", actor=organiser)
    with pytest.raises(DomainError) as refused:
        team_invitation_send(event=event, email="p9@example.org", role="desk", language="en", actor=organiser)
    assert refused.value.code == "too_many"
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        team_invitation_send(event=event, email="p9@example.org", role="desk", language="en", actor=organiser)


def test_withdrawing_twice_is_refused(organiser, event):
    invitation = team_invitation_send(event=event, email="p@example.org", role="desk", language="en", actor=organiser)
    team_invitation_withdraw(event=event, invitation=invitation, actor=organiser)
    with pytest.raises(DomainError):
        team_invitation_withdraw(event=event, invitation=invitation, actor=organiser)


def test_an_invitation_of_another_event_cannot_be_withdrawn(client, organiser, event, outsider):
    from civicmeet.events.models import Event

    other = Event.objects.filter(team__members__user=outsider).get()
    invitation = team_invitation_send(event=other, email="p@example.org", role="desk", language="en", actor=outsider)
    client.force_login(organiser)
    response = client.post(url("events:team", slug=event.slug), {"action": "withdraw", "invitation": invitation.pk})
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING
