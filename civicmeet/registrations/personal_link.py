"""The participant's personal link: the unguessable token is the key to their registration.

One lookup for the pages, the data download and the API, and the headers every page behind the
link sends.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from civicmeet.core.middleware import LINK_PAGE_REFERRER_POLICY

from .models import Registration

# Tokens are 43 URL-safe characters (token_urlsafe(32), 256 bits); the column allows 64.
TOKEN_PATTERN = re.compile(r"[-A-Za-z0-9_]{1,64}")

# Pages behind the personal link must never send their URL (the token) in a Referer header.
PERSONAL_PAGE_REFERRER_POLICY = LINK_PAGE_REFERRER_POLICY


def registration_by_token(token: str, queryset: QuerySet[Registration] | None = None) -> Registration:
    """The registration whose personal link this is, or 404.

    The token is a unique, indexed column holding 256 random bits: an equality lookup reveals
    nothing an attacker could use to guess a valid token (no prefix matching, no timing that
    narrows the search).
    """
    if not token or not TOKEN_PATTERN.fullmatch(token):
        raise Http404
    registration = (queryset if queryset is not None else Registration.objects.all()).filter(token=token).first()
    if registration is None:
        raise Http404
    return registration


def private_response(response: HttpResponse) -> HttpResponse:
    """Headers for pages behind the personal link: no token in Referer, no indexing, no shared caching."""
    response.headers["Referrer-Policy"] = PERSONAL_PAGE_REFERRER_POLICY
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


def personal_url(registration) -> str:
    """The absolute address of the participant's personal page, in their language."""
    with translation.override(registration.language):
        path = reverse("registrations:personal", kwargs={"token": registration.token})
    return settings.SITE_URL + path
