"""Organiser authentication: ``Authorization: Bearer <token>``.

Only the SHA-256 of a token is stored, and the lookup is by that hash, so the database comparison
says nothing about the raw token (no timing side channel on the secret itself).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from civicmeet.accounts.models import ApiToken, hash_token

# Writing last_used_at on every request would turn each read into a write; once a minute is
# enough to tell an administrator whether a token is still in use.
LAST_USED_RESOLUTION = timedelta(minutes=1)
MAX_TOKEN_LENGTH = 200


class AuthenticatedRequest(HttpRequest):
    """The request of an endpoint behind `organiser_auth`: django-ninja sets `auth` to the organiser.

    Only an annotation for type checkers (ninja passes the request whatever its annotation says)."""

    auth: User


class OrganiserToken(HttpBearer):
    """Resolves the bearer token to an active user (`request.auth`); None means 401."""

    def authenticate(self, request: HttpRequest, token: str):
        token = token.strip()
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return None
        api_token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
        if api_token is None or not api_token.user.is_active:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        return api_token.user


organiser_auth = OrganiserToken()
