"""Signing in with a one-time link sent by email: no password to remember.

A person asks for a link with their email address; if the address belongs to an account, the
account gets an email with a link (a random token of which only the SHA-256 is stored) that works
once and for LINK_MINUTES. The answer is the same whether or not the address is known, so the
page says nothing about who has an account. Opening the link shows a "Sign in" button and changes
nothing (mail scanners follow links); only pressing it signs in and uses the link up. Asking again
replaces the older unused links. Expired and used links are purged every night.

Accounts knows no organisation: the apps above say in which language a person's emails are
written (`on_signin_language`) and where a signed-in person lands (`on_signin_landing`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from civicmeet.core.errors import DomainError
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.notifications.services import email_queue

from .models import SignInLink, hash_token

LINK_MINUTES = 30
# Links one account may be sent within LINK_MINUTES, whatever the rate limits of the page say
# (they can be switched off): beyond it the page answers as always, and nothing is sent.
LINKS_PER_WINDOW = 5

LanguageResolver = Callable[[object], str | None]
LandingResolver = Callable[[object], str | None]
_language_resolvers: list[LanguageResolver] = []
_landing_resolvers: list[LandingResolver] = []


class SignInLinkRefused(DomainError):
    """The link cannot be used: `code` is unknown, expired, used or replaced."""


def on_signin_language(resolver: LanguageResolver) -> LanguageResolver:
    """`resolver(user)` returns the language the person's emails are written in, or None."""
    if resolver not in _language_resolvers:
        _language_resolvers.append(resolver)
    return resolver


def on_signin_landing(resolver: LandingResolver) -> LandingResolver:
    """`resolver(user)` returns the path where the signed-in person lands by default, or None."""
    if resolver not in _landing_resolvers:
        _landing_resolvers.append(resolver)
    return resolver


def _languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def user_language(user, fallback: str | None = None) -> str:
    """The language of `user`'s emails: what an app above knows of them, else `fallback`."""
    for resolver in _language_resolvers:
        language = resolver(user)
        if language in _languages():
            return language
    if fallback in _languages():
        return fallback
    return settings.LANGUAGE_CODE


def landing_url(user) -> str:
    """Where `user` lands after signing in when no `next` was asked for."""
    for resolver in _landing_resolvers:
        url = resolver(user)
        if url:
            return url
    return reverse(settings.LOGIN_REDIRECT_URL)


def safe_next(url: str | None, *, host: str | None = None, secure: bool = False) -> str:
    """`url` if it is a place on this site to go to after signing in, else "" (no open redirect)."""
    url = (url or "").strip()
    if not url or len(url) > 300:
        return ""
    hosts = {host} if host else set()
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=hosts, require_https=secure):
        return ""
    return url


def normalise_email(email: str) -> str:
    return BaseUserManager.normalize_email((email or "").strip())


def account_find(*, email: str):
    """The active account of `email` (its username or its email, case-insensitive), or None."""
    email = normalise_email(email)
    if not email:
        return None
    User = get_user_model()  # noqa: N806
    return (
        User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email), is_active=True).order_by("pk").first()
    )


def account_get_or_create(*, email: str, name: str = ""):
    """The account of `email`, or a new one for it: the email is its username, its password is
    unusable (the person signs in by link). Returns (user, created). Raises ValidationError for a
    malformed address."""
    email = normalise_email(email)
    validate_email(email)
    User = get_user_model()  # noqa: N806
    with transaction.atomic():
        user = User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).order_by("pk").first()
        if user is not None:
            return user, False
        user = User(username=email[:150], email=email, first_name=(name or "").strip()[:150])
        user.set_unusable_password()
        user.save()
    return user, True


def signin_link_url(token: str, language: str) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse("accounts:signin_link_open", kwargs={"token": token})


def _signin_email(link: SignInLink, token: str, *, kind: str, template: str, context: dict) -> OutgoingEmail:
    user = link.user
    with translation.override(link.language):
        context = {
            **context,
            "name": user.get_full_name(),
            "url": signin_link_url(token, link.language),
            "minutes": LINK_MINUTES,
            "language": link.language,
        }
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body_text = render_to_string(f"{template}.txt", context)
        body_html = render_to_string(f"{template}.html", context)
    return OutgoingEmail(
        kind=kind,
        to=user.email or user.get_username(),
        language=link.language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
    )


def signin_link_issue(
    *,
    user,
    language: str,
    next_url: str = "",
    template: str = "accounts/emails/signin_link",
    kind: str = "signin_link",
    context: dict | None = None,
    minutes: int = LINK_MINUTES,
) -> SignInLink | None:
    """Send `user` a new sign-in link (the email goes out when the transaction commits); the older
    unused links stop working. `template` names the email (<template>.txt, .html and _subject.txt)
    so that apps above can send an invitation with a link; `context` is added to it; `minutes` is
    how long the link works (an invitation may wait longer than LINK_MINUTES to be read).

    Returns None, and sends nothing, past LINKS_PER_WINDOW links within LINK_MINUTES: the caller
    answers as if it had sent one.
    """
    if language not in _languages():
        language = settings.LANGUAGE_CODE
    now = timezone.now()
    with transaction.atomic():
        User = get_user_model()  # noqa: N806
        # One account's links are issued one at a time: two requests at once cannot both pass
        # the cap, and the newest link is the only one that works.
        User.objects.select_for_update().filter(pk=user.pk).first()
        recent = SignInLink.objects.filter(user=user, created_at__gte=now - timedelta(minutes=LINK_MINUTES)).count()
        if recent >= LINKS_PER_WINDOW:
            return None
        SignInLink.objects.filter(user=user, used_at__isnull=True, replaced_at__isnull=True).update(replaced_at=now)
        token = secrets.token_urlsafe(32)
        link = SignInLink.objects.create(
            user=user,
            token_hash=hash_token(token),
            language=language,
            next_url=next_url[:300],
            expires_at=now + timedelta(minutes=minutes),
        )
        email_queue(_signin_email(link, token, kind=kind, template=template, context=context or {}), subject=link)
    return link


def signin_link_request(*, email: str, language: str, next_url: str = "") -> None:
    """Someone typed `email` on the sign-in page: if it belongs to an active account, send it a
    link in the person's language (`language`, the page's, when nothing better is known).

    Returns nothing and raises nothing for an unknown or malformed address: the page answers the
    same either way.
    """
    try:
        validate_email(normalise_email(email))
    except ValidationError:
        return
    user = account_find(email=email)
    if user is None:
        return
    signin_link_issue(user=user, language=user_language(user, language), next_url=next_url)


def _refusal(link: SignInLink | None, now: datetime) -> SignInLinkRefused | None:
    if link is None:
        return SignInLinkRefused(_("This sign-in link is not valid."), code="unknown")
    if link.used_at is not None:
        return SignInLinkRefused(_("This sign-in link has already been used."), code="used")
    if link.replaced_at is not None:
        return SignInLinkRefused(_("A newer sign-in link was sent: this one no longer works."), code="replaced")
    if link.expires_at <= now:
        return SignInLinkRefused(_("This sign-in link has expired."), code="expired")
    if not link.user.is_active:
        return SignInLinkRefused(_("This sign-in link is not valid."), code="unknown")
    return None


def signin_link_get(*, token: str) -> SignInLink:
    """The usable link the token opens, changing nothing; SignInLinkRefused (with why) otherwise."""
    link = SignInLink.objects.filter(token_hash=hash_token(token or "")).select_related("user").first()
    refusal = _refusal(link, timezone.now())
    if refusal is not None:
        raise refusal
    assert link is not None
    return link


def signin_link_use(*, token: str) -> SignInLink:
    """Use the link up: returns it (with its user, to be signed in by the caller). The row is
    locked, so two tabs pressing "Sign in" at once sign in once. Raises SignInLinkRefused."""
    with transaction.atomic():
        link = SignInLink.objects.select_for_update().filter(token_hash=hash_token(token or "")).first()
        now = timezone.now()
        refusal = _refusal(link, now)
        if refusal is not None:
            raise refusal
        assert link is not None
        link.used_at = now
        link.save(update_fields=["used_at"])
        User = get_user_model()  # noqa: N806
        link.user = User.objects.get(pk=link.user_id)
    return link


def signin_links_purge(*, now: datetime | None = None) -> int:
    """Delete the links that can no longer be used (expired, whether used or not, or used or
    replaced more than a day ago). Returns how many were deleted."""
    now = now or timezone.now()
    day_ago = now - timedelta(days=1)
    deleted, _rows = SignInLink.objects.filter(
        Q(expires_at__lte=now) | Q(used_at__lte=day_ago) | Q(replaced_at__lte=day_ago)
    ).delete()
    return deleted
