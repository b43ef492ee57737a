"""The public event page for anonymous visitors, served from the per-process "pages" cache.

The page shown to a visitor without a session is the same for everyone (no CSRF token, no
messages, no "My events" header), so its HTML is stored per event, language and version:

- the event row's `updated_at` — every save of the event bumps it (services save the event
  together with its co-organisers, so a change to those bumps it too);
- the registration status (not yet open / open / closed), which changes with time: it is part of
  the key, and an entry is never kept past the next opening or closing moment;
- the query string, because the language switcher's links repeat it.

A hit costs no query and no rendering: the version is kept in the shared "default" cache (a file
cache across the server's processes in production), written when an event change commits
(`remember_event_version`) and read back from the database when it is missing. Logged-in
users, visitors with a session or with messages waiting, and unpublished events (organisers'
preview) always get a freshly rendered page, and nothing is stored for them.

A version is trusted for `version_seconds()` (settings.EVENT_VERSION_SECONDS, 2 s), then read
again from the database (one prepared query, for one request; a process's other threads wait for
it rather than ask too). That is the bound within which every process sees a change whose new
version did not reach its cache: one made by a process with another cache (`make run`'s
per-process memory, a `manage.py` command run with other settings), one that bypassed the
signals (`QuerySet.update`), one whose process died between its commit and
`remember_event_version`. A change made through the same cache is seen at once. Within the bound
a hit still costs no query: at most one version read per event every 2 s per cache (per process
with per-process memory, once for all processes sharing the file cache).

Stored pages are served by `EventPageCacheMiddleware`, which stands before the session, locale,
CSRF, authentication and message middleware: a stored page needs none of them, and skipping them
(and the URL resolver and the view) is most of what a hit costs. It stores the page with the
headers the full stack gave it, so a stored copy is answered exactly like a fresh one; the
middleware before it (security headers, whitenoise) apply to both alike.

What is not in the key (an organisation renamed, a new deployment's templates or translations)
shows after at most PAGE_CACHE_SECONDS.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from civicmeet.core.lookups import PreparedQuery

from .models import Event

# How long a page is kept at most (seconds).
PAGE_CACHE_SECONDS = 300
# Longer query strings (tracking parameters gone wild) are rendered, not stored.
MAX_QUERY_LENGTH = 256
# Bump when what is stored changes shape.
KEY_VERSION = 3
# The cache the event versions are shared in between the server's processes.
VERSION_CACHE_ALIAS = "default"


def version_seconds() -> float:
    """How long a version is trusted before it is read from the database again: the bound within
    which every process sees a change made elsewhere (settings.EVENT_VERSION_SECONDS, 2 s;
    docs/architecture.md, "Changes seen across processes")."""
    return settings.EVENT_VERSION_SECONDS


@dataclass(frozen=True)
class EventVersion:
    """The few columns of a published event that decide whether a stored page is still right."""

    id: int
    updated_at: datetime
    registration_opens_at: datetime
    registration_closes_at: datetime

    def status(self, now: datetime) -> str:
        # The same rule as Event.registration_status.
        if now < self.registration_opens_at:
            return "not_yet"
        if now > self.registration_closes_at:
            return "closed"
        return "open"

    def seconds_until_status_changes(self, now: datetime) -> float:
        if now < self.registration_opens_at:
            return (self.registration_opens_at - now).total_seconds()
        if now <= self.registration_closes_at:
            return (self.registration_closes_at - now).total_seconds()
        return math.inf


# The version lookup runs on every page view whose version is not in the shared cache.
_VERSION_QUERY = PreparedQuery(
    lambda slug: (
        Event.objects.filter(is_published=True, slug=slug)
        .order_by()  # no ORDER BY (the slug is unique)
        .values_list("id", "updated_at", "registration_opens_at", "registration_closes_at")[:1]
    ),
    "slug",
)


def _aware(value: datetime) -> datetime:
    # SQLite gives naive datetimes (stored in UTC) where the ORM would have made them aware.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def event_version_from_database(*, slug: str) -> EventVersion | None:
    """One query: the published event's version columns, or None (unpublished or unknown)."""
    row = _VERSION_QUERY.fetchone(connections[Event.objects.db], slug=slug)
    if row is None:
        return None
    pk, updated_at, opens_at, closes_at = row
    return EventVersion(pk, _aware(updated_at), _aware(opens_at), _aware(closes_at))


def _version_key(slug: str) -> str:
    return f"event-version.v{KEY_VERSION}:{slug}"


# Stored for an event that is not (or no longer) published, so that a reader who looked at the
# database before the change cannot put the old version back (see event_version).
_NOT_PUBLISHED = "not-published"


def _from_cache(cache, key: str) -> tuple[bool, EventVersion | None]:
    stored = cache.get(key)
    if isinstance(stored, EventVersion):
        return True, stored
    if stored == _NOT_PUBLISHED:
        return True, None
    return False, None


# One version read at a time per process: threads that miss together wait for the first one's
# read instead of each asking the database (re-entrant: a read may run signal handlers in tests).
_READING = threading.RLock()


def event_version(*, slug: str) -> EventVersion | None:
    """The published event's version from the shared cache, else from the database.

    An entry lives `version_seconds()`, so a change that did not reach this cache is seen within
    that bound. Only versions read from the database are added, never over an existing entry
    (`add`), and every committed change of an event overwrites its entry
    (`remember_event_version`): a reader that read the database just before a change cannot put
    the older version back over it. Unknown addresses are not stored (they would crowd out the
    rate-limit counters)."""
    cache = caches[VERSION_CACHE_ALIAS]
    key = _version_key(slug)
    found, version = _from_cache(cache, key)
    if found:
        return version
    with _READING:
        found, version = _from_cache(cache, key)  # another thread may just have read it
        if found:
            return version
        version = event_version_from_database(slug=slug)
        if version is not None:
            cache.add(key, version, version_seconds())
    return version


def forget_event_version(event: Event) -> None:
    """While a change is being written: the next reader looks at the database (as of its own
    transaction), so the process that makes the change sees it at once."""
    caches[VERSION_CACHE_ALIAS].delete(_version_key(event.slug))


def remember_event_version(event: Event) -> None:
    """Once a change is committed: every process sees the new version from its next request."""
    value = (
        EventVersion(event.pk, event.updated_at, event.registration_opens_at, event.registration_closes_at)
        if event.is_published and event.pk is not None
        else _NOT_PUBLISHED
    )
    caches[VERSION_CACHE_ALIAS].set(_version_key(event.slug), value, version_seconds())


def is_cacheable_request(request: HttpRequest) -> bool:
    """A GET from a visitor with no session and no messages cookie: anonymous, nothing pending.

    Decided from the cookies alone, so that it costs no session or user query. Anyone logged in
    has a session cookie and is never served nor stores the anonymous page."""
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH
    )


def page_key(request: HttpRequest, version: EventVersion, slug: str, language: str, now: datetime) -> str:
    query = request.META.get("QUERY_STRING", "")
    query_hash = hashlib.blake2b(query.encode(), digest_size=8).hexdigest() if query else "-"
    return ":".join(
        [
            f"event-page.v{KEY_VERSION}",
            str(version.id),
            slug,
            language,
            version.updated_at.isoformat(),
            version.status(now),
            query_hash,
        ]
    )


def _event_page_path() -> re.Pattern:
    # The address of events:detail under each language prefix (config/urls.py, events/urls.py).
    languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return re.compile(rf"^/(?P<language>{languages})/e/(?P<slug>[-a-zA-Z0-9_]+)/$")


def mark_storable(response: HttpResponse) -> HttpResponse:
    """The view says: this is the public page, the same for every anonymous visitor."""
    response.public_event_page = True  # type: ignore[attr-defined]  # our own marker, read with getattr below
    return response


class EventPageCacheMiddleware:
    """Answers an anonymous visitor's event page from the cache, before the rest of the stack."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.path = _event_page_path()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        match = self.path.match(request.path_info)
        if match is None or not is_cacheable_request(request):
            return self.get_response(request)
        # What CommonMiddleware would check first: a Host outside ALLOWED_HOSTS gets its 400,
        # not a stored page (DNS rebinding).
        request.get_host()
        slug = match["slug"]
        version = event_version(slug=slug)
        if version is None:
            return self.get_response(request)  # unpublished or unknown: the view decides
        now = timezone.now()
        key = page_key(request, version, slug, match["language"], now)
        cache = caches[settings.PAGE_CACHE_ALIAS]
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        timeout = math.floor(min(PAGE_CACHE_SECONDS, version.seconds_until_status_changes(now)))
        # Never store a page that carries something of this visitor's (a cookie: CSRF, session).
        if (
            getattr(response, "public_event_page", False)
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
            and timeout >= 1
        ):
            cache.set(key, (response.content, dict(response.headers.items())), timeout)
        return response
