"""Organiser accounts. The management commands and the demo loader go through here."""

from __future__ import annotations

import copy
import hashlib
import math
import time

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.base_user import BaseUserManager
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Field, Q
from django.utils.translation import gettext as _

from civicmeet.core.errors import DomainError

from .models import ApiToken, Team, TeamMember, TeamRole


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
