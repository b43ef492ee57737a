"""Organiser accounts. The management commands and the demo loader go through here."""

from __future__ import annotations

import copy
import hashlib
import math
import secrets
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.base_user import BaseUserManager
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Field, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicmeet.core.errors import DomainError
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.notifications.services import email_queue

from .models import ApiToken, InvitationStatus, Team, TeamInvitation, TeamMember, TeamRole, hash_token


def organiser_account_save(*, email: str, password: str | None = None, validate: bool = True):
    """Create the organiser account for `email`, or set its password if it exists.

    Returns (user, created). Raises ValidationError for a malformed email or a password that the
    configured validators refuse (unless validate=False, used for the published demo login).
    Without a password a new account gets an unusable one: it can use an API token but not log in.
    """
    email = BaseUserManager.normalize_email((email or "").strip())
    validate_email(email)
    User = get_user_model()  # noqa: N806
    username_field = User._meta.get_field(User.USERNAME_FIELD)
    assert isinstance(username_field, Field)  # a concrete column, never a relation
    max_length = username_field.max_length
    if max_length and len(email) > max_length:
        raise ValidationError(f"The email address is too long for a username (at most {max_length} characters).")
    with transaction.atomic():
        user = User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).order_by("pk").first()
        created = user is None
        if user is None:
            user = User(username=email, email=email)
        if password is not None:
            if validate:
                password_validation.validate_password(password, user)
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        if created or password is not None:
            user.save()
    return user, created


# -- Login lock-out -------------------------------------------------------------------------------
# Failed logins are counted per account name as typed (normalised), whether or not such an
# account exists, so the lock-out says nothing about which accounts exist. The failures live in
# the cache named by settings.LOGIN_LOCKOUT_CACHE as a list of timestamps; no request ever
# checks a password while its account is locked.


def _lockout_key(username: str) -> str:
    normalised = (username or "").strip().casefold()
    return "login-failures:" + hashlib.sha256(normalised.encode()).hexdigest()


def _lockout_cache():
    return caches[settings.LOGIN_LOCKOUT_CACHE]


def _lockout_window() -> float:
    return settings.LOGIN_LOCKOUT_MINUTES * 60.0


def _recent_failures(username: str, now: float) -> list[float]:
    failures = _lockout_cache().get(_lockout_key(username)) or []
    return [at for at in failures if now - at < _lockout_window()]


def login_lockout_remaining(username: str) -> int:
    """Seconds until `username` may try to log in again; 0 when it is not locked."""
    attempts = settings.LOGIN_LOCKOUT_ATTEMPTS
    if attempts <= 0:
        return 0
    now = time.time()
    failures = _recent_failures(username, now)
    if len(failures) < attempts:
        return 0
    # Locked from the failure that reached the limit: the last `attempts` ones fall in one window.
    last = failures[-attempts:]
    if last[-1] - last[0] >= _lockout_window():
        return 0
    return max(0, math.ceil(last[-1] + _lockout_window() - now))


def login_failure_record(username: str) -> int:
    """Count one failed login for `username`; returns the seconds it is now locked for (0: not)."""
    if settings.LOGIN_LOCKOUT_ATTEMPTS <= 0:
        return 0
    now = time.time()
    failures = _recent_failures(username, now)[-settings.LOGIN_LOCKOUT_ATTEMPTS :]
    failures.append(now)
    _lockout_cache().set(_lockout_key(username), failures, timeout=math.ceil(_lockout_window()) + 1)
    return login_lockout_remaining(username)


def login_failures_reset(username: str) -> None:
    """A successful login forgets the account's earlier failures."""
    _lockout_cache().delete(_lockout_key(username))


def team_create() -> Team:
    return Team.objects.create()


def team_member_put(*, team: Team, user, role: str) -> tuple[TeamMember, TeamMember | None]:
    """Put `user` on the team in `role` (or change their role). Returns (member, before), where
    `before` is a copy of the member as it was, or None when the user was not on the team.

    The team row is locked first, so two organisers changing roles at once cannot leave a team
    without an organiser.
    """
    if role not in TeamRole.values:
        raise DomainError(_("Choose a role."))
    with transaction.atomic():
        Team.objects.select_for_update().filter(pk=team.pk).first()
        current = TeamMember.objects.filter(team=team, user=user).first()
        before = copy.copy(current) if current else None
        if current and current.role == TeamRole.ORGANISER and role != TeamRole.ORGANISER:
            _refuse_last_organiser(team)
        if current is None:
            current = TeamMember.objects.create(team=team, user=user, role=role)
        elif current.role != role:
            current.role = role
            current.save(update_fields=["role"])
    return current, before


def team_member_remove(*, team: Team, member: TeamMember) -> None:
    """Take a member off the team; a team keeps at least one organiser."""
    with transaction.atomic():
        Team.objects.select_for_update().filter(pk=team.pk).first()
        current = TeamMember.objects.filter(team=team, pk=member.pk).first()
        if current is None:
            return
        if current.role == TeamRole.ORGANISER:
            _refuse_last_organiser(team)
        current.delete()


def _refuse_last_organiser(team: Team) -> None:
    if TeamMember.objects.filter(team=team, role=TeamRole.ORGANISER).count() <= 1:
        raise DomainError(_("An event needs at least one organiser."))


def api_token_revoke(*, token: ApiToken) -> None:
    """Revoke an API token: from the next request on, it authenticates no one. Revoking a token
    that is already gone does nothing (two administrators revoking it at once)."""
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).delete()


# -- Team invitations -----------------------------------------------------------------------------
# An organiser invites an email address; the person gets a one-time link (a random token of which
# only the SHA-256 is stored), valid for INVITATION_DAYS, to set up their account or, if they
# already have one, to sign in and accept. Accounts knows no event: the app above that owns the
# team passes its name and where the new member lands, and learns of acceptances through
# `on_invitation_accepted` (events writes the event's history row).

INVITATION_DAYS = 7
# Invitations one person may send in an hour, over all their teams: enough to set up a team,
# too few to use the site as a mailer.
INVITATIONS_PER_HOUR = 20

InvitationHandler = Callable[[TeamInvitation, TeamMember], None]
_invitation_handlers: list[InvitationHandler] = []


class InvitationRefused(DomainError):
    """The link cannot be used: `code` is unknown, expired, used or withdrawn."""


def on_invitation_accepted(handler: InvitationHandler) -> InvitationHandler:
    """Run `handler(invitation, member)` inside the transaction of every accepted invitation."""
    if handler not in _invitation_handlers:
        _invitation_handlers.append(handler)
    return handler


def invitation_url(token: str, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("accounts:invitation", kwargs={"token": token})


def _invitation_email(invitation: TeamInvitation, token: str) -> OutgoingEmail:
    inviter = invitation.invited_by
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "team_name": invitation.team_name,
            "role": TeamRole(invitation.role).label,
            "inviter": (inviter.get_full_name() or inviter.email) if inviter else "",
            "url": invitation_url(token, invitation.language),
            "expires_at": timezone.localtime(invitation.expires_at),
            "days": INVITATION_DAYS,
        }
        subject = " ".join(render_to_string("accounts/emails/team_invitation_subject.txt", context).split())
        body_text = render_to_string("accounts/emails/team_invitation.txt", context)
        body_html = render_to_string("accounts/emails/team_invitation.html", context)
    return OutgoingEmail(
        kind="team_invitation",
        to=invitation.email,
        language=invitation.language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        reply_to=(inviter.email if inviter else "") or "",
    )


def team_invitation_send(
    *,
    team: Team,
    email: str,
    role: str,
    invited_by,
    language: str,
    team_name: str,
    landing_url: str = "",
    details: dict | None = None,
) -> TeamInvitation:
    """Invite `email` to the team in `role`; the email with the link goes out when this commits.

    Inviting an address that has a pending invitation replaces it: the old link stops working.
    Refused (DomainError) for someone already on the team and past INVITATIONS_PER_HOUR.
    """
    if role not in TeamRole.values:
        raise DomainError(_("Choose a role."), code="role")
    email = BaseUserManager.normalize_email((email or "").strip())
    validate_email(email)
    if language not in {code for code, _name in settings.LANGUAGES}:
        language = settings.LANGUAGE_CODE
    with transaction.atomic():
        Team.objects.select_for_update().filter(pk=team.pk).first()
        if (
            TeamMember.objects.filter(team=team)
            .filter(Q(user__email__iexact=email) | Q(user__username__iexact=email))
            .exists()
        ):
            raise DomainError(_("This person is already on the team."), code="already_member")
        since = timezone.now() - timedelta(hours=1)
        if (
            invited_by is not None
            and TeamInvitation.objects.filter(invited_by=invited_by, created_at__gte=since).count()
            >= INVITATIONS_PER_HOUR
        ):
            raise DomainError(
                _("You have sent many invitations in the last hour. Please try again later."), code="too_many"
            )
        TeamInvitation.objects.select_for_update().filter(
            team=team, email__iexact=email, status=InvitationStatus.PENDING
        ).update(status=InvitationStatus.REPLACED, answered_at=timezone.now())
        token = secrets.token_urlsafe(32)
        invitation = TeamInvitation.objects.create(
            team=team,
            email=email,
            role=role,
            token_hash=hash_token(token),
            language=language,
            team_name=team_name[:300],
            landing_url=landing_url[:300],
            details=details or {},
            invited_by=invited_by if getattr(invited_by, "is_authenticated", False) else None,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        email_queue(_invitation_email(invitation, token), subject=invitation)
    return invitation


def team_invitation_withdraw(*, invitation: TeamInvitation, actor=None) -> TeamInvitation:
    """Withdraw a pending invitation: its link stops working. Refused once it was answered."""
    with transaction.atomic():
        current = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
        if current.status != InvitationStatus.PENDING:
            raise DomainError(_("This invitation was already answered or withdrawn."), code="not_pending")
        current.status = InvitationStatus.WITHDRAWN
        current.answered_at = timezone.now()
        current.answered_by = actor if getattr(actor, "is_authenticated", False) else None
        current.save(update_fields=["status", "answered_at", "answered_by"])
    return current


def team_invitation_pending(*, team: Team):
    """The team's invitations waiting for an answer (expired ones included), newest first."""
    return TeamInvitation.objects.filter(team=team, status=InvitationStatus.PENDING).select_related("invited_by")


def _refusal(invitation: TeamInvitation | None) -> InvitationRefused | None:
    if invitation is None:
        return InvitationRefused(_("This invitation link is not valid."), code="unknown")
    if invitation.status == InvitationStatus.ACCEPTED:
        return InvitationRefused(_("This invitation has already been used."), code="used")
    if invitation.status in (InvitationStatus.WITHDRAWN, InvitationStatus.REPLACED):
        return InvitationRefused(_("This invitation was withdrawn."), code="withdrawn")
    if invitation.expires_at <= timezone.now():
        return InvitationRefused(_("This invitation has expired."), code="expired")
    return None


def team_invitation_get(*, token: str) -> TeamInvitation:
    """The pending invitation the link's token opens; InvitationRefused (with the reason) otherwise."""
    invitation = TeamInvitation.objects.filter(token_hash=hash_token(token or "")).select_related("team").first()
    refusal = _refusal(invitation)
    if refusal is not None:
        raise refusal
    assert invitation is not None
    return invitation


def invitation_account_exists(invitation: TeamInvitation) -> bool:
    User = get_user_model()  # noqa: N806
    return User.objects.filter(Q(username__iexact=invitation.email) | Q(email__iexact=invitation.email)).exists()


def team_invitation_accept(*, token: str, user=None, name: str = "", password: str | None = None):
    """Accept the invitation: `user` (signed in) joins the team, or a new account is made for the
    invited address with `name` and `password` (Django's password validators apply).

    Returns the TeamMember. Raises InvitationRefused for a link that cannot be used (also when
    two tabs accept at once: the row is locked), ValidationError for a refused password, and
    DomainError when the address already has an account (its owner signs in instead).
    """
    with transaction.atomic():
        invitation = TeamInvitation.objects.select_for_update().filter(token_hash=hash_token(token or "")).first()
        refusal = _refusal(invitation)
        if refusal is not None:
            raise refusal
        assert invitation is not None
        if user is None:
            if invitation_account_exists(invitation):
                raise DomainError(
                    _("There is already an account with this email address: sign in to accept."), code="has_account"
                )
            User = get_user_model()  # noqa: N806
            user = User(username=invitation.email, email=invitation.email, first_name=(name or "").strip()[:150])
            password_validation.validate_password(password or "", user)
            user.set_password(password)
            user.save()
        member = TeamMember.objects.filter(team=invitation.team, user=user).first()
        if member is None:
            # Someone already on the team keeps their role (an organiser is never made desk staff).
            member, _before = team_member_put(team=invitation.team, user=user, role=invitation.role)
        invitation.status = InvitationStatus.ACCEPTED
        invitation.answered_by = user
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["status", "answered_by", "answered_at"])
        for handler in _invitation_handlers:
            handler(invitation, member)
    return member
