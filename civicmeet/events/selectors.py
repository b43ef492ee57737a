"""Reads of events for pages and lists, with the related rows they show fetched up front."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from civicmeet.registrations.models import State

from .models import Event, TeamMember
from .permissions import events_for_organiser


def event_list_public(*, now: datetime | None = None) -> QuerySet[Event]:
    """Published events that have not ended yet, soonest first."""
    now = now or timezone.now()
    return Event.objects.filter(is_published=True, ends_at__gte=now).order_by("starts_at", "id")


def event_get_public(*, slug: str) -> Event | None:
    return Event.objects.filter(is_published=True, slug=slug).prefetch_related("co_organisers").first()


def event_list_for_organiser(*, user) -> QuerySet[Event]:
    """The user's events with `count_<state>` annotations (registrations per state)."""
    counts = {
        f"count_{state}": Count("registrations", filter=Q(registrations__state=state), distinct=True)
        for state in State.values
    }
    return (
        Event.objects.filter(pk__in=events_for_organiser(user).values("pk"))
        .annotate(**counts)
        .order_by("-starts_at", "id")
    )


def team_member_list(*, event: Event) -> QuerySet[TeamMember]:
    return event.team_members.select_related("user", "organisation").order_by("role", "user__email")
