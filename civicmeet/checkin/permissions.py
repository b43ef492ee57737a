"""Who may check people in at an event: its organisers and its desk members. Views and the API alike.

A desk member (accounts.TeamRole.DESK) "can only check people in and sees only what the desk needs":
this helper opens the desk's pages and endpoints to them; the organisers' pages keep using
events.permissions.event_for_organiser, which does not let them in.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from civicmeet.accounts.models import TeamRole
from civicmeet.accounts.permissions import team_member_filter
from civicmeet.events.models import Event

DESK_ROLES = (TeamRole.ORGANISER, TeamRole.DESK)


def events_for_desk(user) -> QuerySet[Event]:
    """The events whose team the user is on as an organiser or at the desk (staff: every event)."""
    if not user.is_authenticated or not user.is_active:
        return Event.objects.none()
    if user.is_staff:
        return Event.objects.all()
    return Event.objects.filter(team_member_filter(user, roles=DESK_ROLES)).distinct()


def event_for_desk(user, slug: str) -> Event:
    """The event if the user may check people in at it; otherwise 404 (outsiders learn nothing)."""
    # By its slug, among the ids of the user's events: a DISTINCT over every column of the event
    # (its texts in three languages) cost more than the rest of a check-in's lookups (bench/checkin.py).
    event = Event.objects.filter(slug=slug, pk__in=events_for_desk(user).values("pk")).first()
    if event is None:
        raise Http404("No such event")
    return event


def is_event_organiser(user, event: Event) -> bool:
    """Whether the user organises `event` (not only its desk): for what the desk must not see."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    return Event.objects.filter(team_member_filter(user), pk=event.pk).exists()
