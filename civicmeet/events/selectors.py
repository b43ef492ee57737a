"""Reads of events for pages and lists, with the related rows they show fetched up front."""

from __future__ import annotations

import time
from datetime import datetime

from django.db.models import Case, Prefetch, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils import timezone

from civicmeet.accounts.models import TeamMember, TeamRole
from civicmeet.organisations.models import Organisation
from civicmeet.organisations.selectors import image_variants_prefetch

from .models import Event
from .page_cache import PAGE_CACHE_SECONDS, EventVersion, event_version
from .permissions import events_for_organiser


def event_list_public(*, now: datetime | None = None) -> QuerySet[Event]:
    """Published events that have not ended yet, soonest first."""
    now = now or timezone.now()
    return Event.objects.filter(is_published=True, ends_at__gte=now).order_by("starts_at", "id")


# Per process: slug -> (the version it was read at, when (time.time()), the event with its
# questions and co-organisers).
_FOR_REGISTRATION: dict[str, tuple[EventVersion, float, Event]] = {}
_FOR_REGISTRATION_MAX = 256


def event_get_for_registration(*, slug: str) -> Event | None:
    """The published event, its questions and co-organisers fetched, for the registration form,
    the API and the safety check; None when it is not published.

    Kept per process and read again whenever the event's version changes (every save of the
    event, its questions included; a change made by another process is seen within
    settings.EVENT_VERSION_SECONDS, 2 s): a burst of registrations reads the event once, not
    three queries each time. What is not in the version (an organisation renamed) shows after at most
    PAGE_CACHE_SECONDS, as on the stored pages. The version is read before the row, so a copy is
    never labelled newer than it is. Callers must not change the event they get (it is shared
    between requests).
    """
    version = event_version(slug=slug)
    if version is None:
        return None
    cached = _FOR_REGISTRATION.get(slug)
    if cached is not None and cached[0] == version and time.time() - cached[1] < PAGE_CACHE_SECONDS:
        return cached[2]
    read_at = time.time()
    event = (
        Event.objects.filter(pk=version.id, is_published=True)
        .prefetch_related("questions", "co_organisers")
        .order_by()
        .first()
    )
    if event is None:
        return None
    if len(_FOR_REGISTRATION) >= _FOR_REGISTRATION_MAX:
        _FOR_REGISTRATION.clear()
    _FOR_REGISTRATION[slug] = (version, read_at, event)
    return event


def event_get_public(*, slug: str) -> Event | None:
    return event_with_identity(Event.objects.filter(is_published=True, slug=slug)).first()


def event_with_identity(events: QuerySet[Event]) -> QuerySet[Event]:
    """With the cover, the programme and the co-organisers' logos the page shows (their sizes, not
    their bytes)."""
    return events.select_related("cover", "programme").prefetch_related(
        image_variants_prefetch("cover__variants"),
        Prefetch("co_organisers", queryset=Organisation.objects.select_related("logo")),
        image_variants_prefetch("co_organisers__logo__variants"),
    )


def event_list_for_organiser(*, user) -> QuerySet[Event]:
    """The events the user organises, published or not, the latest first."""
    return Event.objects.filter(pk__in=events_for_organiser(user).values("pk")).order_by("-starts_at", "id")


def team_member_list(*, event: Event) -> list[TeamMember]:
    """The event's team, organisers first; each member's `organisation` is the one they work for
    on this event (or None)."""
    organisers_first = Case(When(role=TeamRole.ORGANISER, then=Value(0)), default=Value(1))
    members = list(
        TeamMember.objects.filter(team_id=event.team_id)
        .select_related("user", "affiliation__organisation")
        .order_by(organisers_first, Lower("user__email"), "pk")
    )
    for member in members:
        affiliation = getattr(member, "affiliation", None)
        member.organisation = affiliation.organisation if affiliation else None  # type: ignore[attr-defined]  # for the caller
    return members
