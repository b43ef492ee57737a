"""Representatives: the people who keep an organisation's profile, activities and offers.

Every change goes through here, writes an OrganisationLogEntry (action REPRESENTATIVE: whose, from
which status to which, how they came) and emails the person in their language once it commits.

- A moderator invites someone: approved at once. An approved representative invites a colleague:
  pending until a moderator approves. Either way the person gets a link that signs them in.
- A signed-in person asks to represent an organisation (or a participant does from their
  registration's page): pending until a moderator approves or refuses.
- A representative is removed by a moderator, by themselves, or by another approved
  representative of the same organisation.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicmeet.accounts import signin_links
from civicmeet.accounts.models import TeamMember
from civicmeet.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.notifications.services import email_queue

from .models import (
    Organisation,
    OrganisationAction,
    OrganisationLogEntry,
    OrganisationStatus,
    Representative,
    RepresentativeSource,
    RepresentativeStatus,
)
from .permissions import is_moderator, represents

S = RepresentativeStatus
# Which status may follow which; checked in one place (_move).
TRANSITIONS: dict[str, set[str]] = {
    S.PENDING: {S.APPROVED, S.REFUSED, S.REMOVED},
    S.APPROVED: {S.REMOVED},
    S.REFUSED: {S.PENDING, S.APPROVED},
    S.REMOVED: {S.PENDING, S.APPROVED},
}
# An invitation may sit in an inbox for a while: its sign-in link works for a week.
INVITATION_LINK_MINUTES = 7 * 24 * 60
TEMPLATES = "organisations/representatives/emails/"


class RepresentativeError(DomainError):
    """A change of representatives that the rules refuse."""


def _language(language: str | None) -> str:
    codes = {code for code, _name in Representative._meta.get_field("language").choices or []}
    return language if language in codes else "pl"


def network_home_path(language: str) -> str:
    with translation.override(language):
        return reverse("directory:my_network")


def _log(representative: Representative, *, actor, before: str | None, details: dict | None = None) -> None:
    user = representative.user
    changes: dict[str, Any] = {
        "representative": representative.pk,
        "email": user.email or user.get_username(),
        "status": [before, representative.status],
        "source": representative.source,
    }
    if details:
        changes.update(details)
    OrganisationLogEntry.objects.create(
        organisation_id=representative.organisation_id,
        action=OrganisationAction.REPRESENTATIVE,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        changes=changes,
    )


def _forget_cached_permissions(user) -> None:
    if user is not None and hasattr(user, "_civicmeet_represented"):
        del user._civicmeet_represented


def _move(representative: Representative, to: str, *, actor) -> str:
    before = representative.status
    if to not in TRANSITIONS[before]:
        raise ConflictError(_("This request was already decided."), code="already_decided")
    representative.status = to
    if to in (S.APPROVED, S.REFUSED):
        representative.decided_at = timezone.now()
        representative.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    return before


def _render(template: str, language: str, context: dict) -> tuple[str, str, str]:
    from django.template.loader import render_to_string

    with translation.override(language):
        subject = " ".join(render_to_string(f"{TEMPLATES}{template}_subject.txt", context).split())
        return (
            subject,
            render_to_string(f"{TEMPLATES}{template}.txt", context),
            render_to_string(f"{TEMPLATES}{template}.html", context),
        )


def _decision_email(representative: Representative) -> None:
    """Tell the person that a moderator approved or refused them, in their language."""
    language = representative.language
    template = "approved" if representative.status == S.APPROVED else "refused"
    context = {
        "organisation_name": representative.organisation.name,
        "name": representative.user.get_full_name(),
        "url": signin_links_url(language),
        "language": language,
    }
    subject, text, html = _render(template, language, context)
    email_queue(
        OutgoingEmail(
            kind=f"representative_{template}",
            to=representative.user.email or representative.user.get_username(),
            language=language,
            subject=subject,
            body_text=text,
            body_html=html,
        ),
        subject=representative,
    )


def signin_links_url(language: str) -> str:
    from django.conf import settings

    with translation.override(language):
        return settings.SITE_URL + reverse("accounts:signin_link")


def _lock(organisation: Organisation) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _account(email: str, name: str):
    try:
        return signin_links.account_get_or_create(email=email, name=name)
    except ValidationError as error:
        raise RepresentativeError(_("Enter a valid email address."), code="email") from error


def representative_invite(
    *, organisation: Organisation, email: str, name: str, language: str, actor, role: str = ""
) -> Representative:
    """Invite `email` to represent `organisation`: approved at once when a moderator invites,
    pending (a moderator approves) when one of its approved representatives does. Creates the
    account if needed (the email as its username, no password) and emails a sign-in link.

    Refused (PermissionDeniedError) for anyone else; RepresentativeError for a malformed address
    or someone who already represents the organisation.
    """
    moderator = is_moderator(actor)
    if not (moderator or represents(actor, organisation)):
        raise PermissionDeniedError(
            _("Only the organisation's representatives and the moderators can invite representatives.")
        )
    language = _language(language)
    with transaction.atomic():
        organisation = _lock(organisation)
        user, _created = _account(email, name)
        status = S.APPROVED if moderator else S.PENDING
        representative = Representative.objects.filter(organisation=organisation, user=user).first()
        if representative is None:
            representative = Representative(
                organisation=organisation,
                user=user,
                status=status,
                source=RepresentativeSource.INVITATION,
                language=language,
                role=(role or "").strip()[:200],
            )
            before = None
            if status == S.APPROVED:
                representative.decided_at = timezone.now()
                representative.decided_by = actor
        elif representative.status == S.APPROVED:
            raise RepresentativeError(_("This person already represents the organisation."), code="already")
        elif representative.status == S.PENDING and not moderator:
            raise RepresentativeError(
                _("This person is already waiting for the moderators' approval."), code="already_pending"
            )
        else:
            before = _move(representative, status, actor=actor)
            representative.source = RepresentativeSource.INVITATION
            representative.language = language
            if role:
                representative.role = role.strip()[:200]
        representative.save()
        _log(representative, actor=actor, before=before)
        inviter = actor.get_full_name() or actor.email
        signin_links.signin_link_issue(
            user=user,
            language=language,
            next_url=network_home_path(language),
            template=TEMPLATES + "invitation",
            kind="representative_invitation",
            context={"organisation_name": organisation.name, "inviter": inviter, "approved": status == S.APPROVED},
            minutes=INVITATION_LINK_MINUTES,
        )
    return representative


def representative_request(
    *,
    organisation: Organisation,
    user,
    role: str = "",
    language: str,
    source: str = RepresentativeSource.REQUEST,
    details: dict | None = None,
) -> Representative:
    """`user` (signed in, or the participant of a registration) asks to represent `organisation`:
    pending until a moderator decides. Asking again while pending changes nothing. `details` go
    into the history row (from a registration: which event). Only a published organisation can
    be asked for, except from a registration, whose new organisation is a draft being reviewed.
    """
    if source not in RepresentativeSource.values:
        raise RepresentativeError(_("Unknown source."), code="source")
    language = _language(language)
    with transaction.atomic():
        organisation = _lock(organisation)
        if organisation.status != OrganisationStatus.PUBLISHED and source != RepresentativeSource.REGISTRATION:
            raise RepresentativeError(_("Choose an organisation from the directory."), code="not_published")
        representative = Representative.objects.filter(organisation=organisation, user=user).first()
        if representative is not None and representative.status == S.APPROVED:
            raise RepresentativeError(_("You already represent this organisation."), code="already")
        if representative is not None and representative.status == S.PENDING:
            return representative
        if representative is not None and representative.status == S.REFUSED:
            raise RepresentativeError(
                _("The moderators refused this request. If it was a mistake, write to the organisers."),
                code="refused",
            )
        if representative is None:
            representative = Representative(organisation=organisation, user=user, status=S.PENDING)
            before = None
        else:
            before = _move(representative, S.PENDING, actor=user)
            representative.decided_at = None
            representative.decided_by = None
        representative.source = source
        representative.language = language
        representative.role = (role or "").strip()[:200]
        representative.save()
        _log(representative, actor=user, before=before, details=details)
    return representative


def representative_request_by_email(
    *,
    organisation: Organisation,
    email: str,
    name: str,
    role: str,
    language: str,
    source: str = RepresentativeSource.REGISTRATION,
    details: dict | None = None,
) -> Representative:
    """A participant asks, from their registration, to represent its organisation: the account of
    the registration's email (made if needed), a pending request, and an email with a sign-in link
    to their network home, where they see it waiting."""
    language = _language(language)
    with transaction.atomic():
        user, _created = _account(email, name)
        representative = representative_request(
            organisation=organisation, user=user, role=role, language=language, source=source, details=details
        )
        signin_links.signin_link_issue(
            user=user,
            language=language,
            next_url=network_home_path(language),
            template=TEMPLATES + "requested",
            kind="representative_requested",
            context={"organisation_name": organisation.name},
            minutes=INVITATION_LINK_MINUTES,
        )
    return representative


def _decide(representative: Representative, to: str, *, actor) -> Representative:
    if not is_moderator(actor):
        raise PermissionDeniedError(_("Only the moderators of the network decide on representatives."))
    with transaction.atomic():
        _lock(representative.organisation)
        current = (
            Representative.objects.select_for_update().select_related("user", "organisation").get(pk=representative.pk)
        )
        if current.status != S.PENDING:
            raise ConflictError(_("This request was already decided."), code="already_decided")
        before = _move(current, to, actor=actor)
        current.save(update_fields=["status", "decided_at", "decided_by"])
        _log(current, actor=actor, before=before)
        _decision_email(current)
    _forget_cached_permissions(current.user)
    return current


def representative_approve(*, representative: Representative, actor) -> Representative:
    """A moderator approves a pending representative: from now on they may edit the profile."""
    return _decide(representative, S.APPROVED, actor=actor)


def representative_refuse(*, representative: Representative, actor) -> Representative:
    """A moderator refuses a pending request; the person is told in their language."""
    return _decide(representative, S.REFUSED, actor=actor)


def may_remove_representative(actor, representative: Representative) -> bool:
    return (
        is_moderator(actor)
        or (getattr(actor, "pk", None) is not None and actor.pk == representative.user_id)
        or represents(actor, representative.organisation_id)
    )


def representative_remove(*, representative: Representative, actor) -> Representative:
    """End a representation (approved or pending): by a moderator, by the person themselves, or by
    another approved representative of the same organisation."""
    if not may_remove_representative(actor, representative):
        raise PermissionDeniedError(_("You cannot remove this representative."))
    with transaction.atomic():
        _lock(representative.organisation)
        current = Representative.objects.select_for_update().select_related("user").get(pk=representative.pk)
        if current.status not in (S.APPROVED, S.PENDING):
            raise ConflictError(_("This person is no longer a representative."), code="not_representative")
        before = _move(current, S.REMOVED, actor=actor)
        current.contact_public = False
        current.save(update_fields=["status", "contact_public"])
        _log(current, actor=actor, before=before)
    _forget_cached_permissions(current.user)
    _forget_cached_permissions(actor)
    return current


def representative_consent_set(*, representative: Representative, actor, contact_public: bool) -> Representative:
    """The person themselves says whether members of the network may see their name and email."""
    if getattr(actor, "pk", None) is None or actor.pk != representative.user_id:
        raise PermissionDeniedError(_("Only the person themselves can give or withdraw this consent."))
    with transaction.atomic():
        current = Representative.objects.select_for_update().get(pk=representative.pk)
        if current.contact_public != contact_public:
            current.contact_public = contact_public
            current.save(update_fields=["contact_public"])
            OrganisationLogEntry.objects.create(
                organisation_id=current.organisation_id,
                action=OrganisationAction.REPRESENTATIVE,
                actor=actor,
                changes={"representative": current.pk, "contact_public": [not contact_public, contact_public]},
            )
    return current


# -- What accounts asks of the apps above (registered in OrganisationsConfig.ready) ---------------


def representative_language(user) -> str | None:
    """The language of a person's newest representation: their emails are written in it."""
    return (
        Representative.objects.filter(user=user)
        .exclude(status=S.REFUSED)
        .order_by("-created_at")
        .values_list("language", flat=True)
        .first()
    )


def network_landing(user) -> str | None:
    """Representatives and moderators land on their network home; organisers on their events."""
    if is_moderator(user) or Representative.objects.filter(user=user).exists():
        return reverse("directory:my_network")
    if TeamMember.objects.filter(user=user).exists():
        return None
    return reverse("directory:my_network")


def register_signin_hooks() -> None:
    signin_links.on_signin_language(representative_language)
    signin_links.on_signin_landing(network_landing)
