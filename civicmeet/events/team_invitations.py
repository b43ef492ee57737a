"""Inviting people to an event's team by email, with the event's history rows.

The invitation itself (token, expiry, the email, the account) lives in accounts, which knows no
event; this module gives it the event's title as the team's name and the event's page as the
place the new member lands, and writes who invited, withdrew and accepted into the event's
history, like `services.team_member_add` does for a member added directly.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import translation

from civicmeet.accounts import services as team_services
from civicmeet.accounts.models import TeamInvitation, TeamMember, TeamRole

from .models import Event, EventAction, TeamAffiliation
from .services import _lock, event_log


def team_invitation_send(
    *, event: Event, email: str, role: str, language: str, organisation=None, actor=None
) -> TeamInvitation:
    """Invite `email` to the event's team in `role`, on behalf of `organisation` (a co-organiser,
    or none); the email is written in `language`.

    Inviting the same address again replaces its link. DomainError: already on the team, too
    many invitations in the last hour; ValidationError: a malformed address.
    """
    with translation.override(language):
        team_name = event.display_title(language)
        landing = (
            reverse("events:edit", kwargs={"slug": event.slug})
            if role == TeamRole.ORGANISER
            else reverse("registrations:event_list")
        )
    with transaction.atomic():
        _lock(event)
        invitation = team_services.team_invitation_send(
            team=event.team,
            email=email,
            role=role,
            invited_by=actor,
            language=language,
            team_name=team_name,
            landing_url=landing,
            details={"organisation": organisation.pk} if organisation is not None else {},
        )
        event_log(
            event=event,
            action=EventAction.MEMBER_INVITED,
            actor=actor,
            changes={
                "member": invitation.email,
                "role": [None, invitation.role],
                "organisation": [None, organisation.name if organisation is not None else None],
            },
        )
    return invitation


def team_invitation_withdraw(*, event: Event, invitation: TeamInvitation, actor=None) -> TeamInvitation:
    """Withdraw a pending invitation of the event's team: its link stops working."""
    with transaction.atomic():
        _lock(event)
        invitation = team_services.team_invitation_withdraw(invitation=invitation, actor=actor)
        event_log(
            event=event,
            action=EventAction.INVITATION_WITHDRAWN,
            actor=actor,
            changes={"member": invitation.email, "role": [invitation.role, None]},
        )
    return invitation


def invitation_accepted(invitation: TeamInvitation, member: TeamMember) -> None:
    """Registered with accounts (events' AppConfig.ready): the event's history row of an acceptance."""
    event = Event.objects.filter(team_id=invitation.team_id).first()
    if event is None:
        return
    _lock(event)
    changes = {"member": member.user.email, "role": [None, member.role]}
    organisation_id = (invitation.details or {}).get("organisation")
    organisation = event.co_organisers.filter(pk=organisation_id).first() if organisation_id else None
    if organisation is not None and not TeamAffiliation.objects.filter(member=member).exists():
        TeamAffiliation.objects.create(member=member, organisation=organisation)
        changes["organisation"] = [None, organisation.name]
    event_log(event=event, action=EventAction.INVITATION_ACCEPTED, actor=member.user, changes=changes)
