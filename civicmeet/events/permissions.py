"""Who may see and change an event. Used by views and the API alike."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from civicmeet.accounts.permissions import team_member_filter

from .models import Event


def events_for_organiser(user) -> QuerySet[Event]:
    """The events whose team the user is on as an organiser (staff see every event)."""
    if not user.is_authenticated or not user.is_active:
        return Event.objects.none()
    if user.is_staff:
        return Event.objects.all()
    return Event.objects.filter(team_member_filter(user)).distinct()


def event_for_organiser(user, slug: str) -> Event:
    """The event if the user organises it; otherwise 404, so outsiders cannot even learn it exists."""
    event = events_for_organiser(user).filter(slug=slug).first()
    if event is None:
        raise Http404("No such event")
    return event
