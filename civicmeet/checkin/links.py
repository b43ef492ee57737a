"""The desk's link on "My events" (registrations.extensions.register_event_links).

A desk member (accounts.TeamRole.DESK) finds the desk there for every event they are at the desk
of: it is the only page of the event they may open. Organisers see it too, on the event's day(s),
next to their other links. One query for the whole list, however many events.
"""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicmeet.accounts.models import TeamMember, TeamRole
from civicmeet.events.models import Event

from .permissions import DESK_ROLES


def on_the_day(event: Event, now: datetime | None = None) -> bool:
    """Whether today, in the event's time zone, is one of the event's days (from its first to its last)."""
    today = event.local(now or timezone.now()).date()
    return event.local(event.starts_at).date() <= today <= event.local(event.ends_at).date()


def desk_event_links(user, events: list[Event]) -> dict[int, list[dict[str, str]]]:
    """{event id: [the desk's link]} for the events of `events` whose desk `user` may open and should
    find: always at the desk only, on the day as an organiser (staff organise every event)."""
    if not user.is_authenticated or not user.is_active or not events:
        return {}
    roles = dict(
        TeamMember.objects.filter(
            user=user, role__in=DESK_ROLES, team_id__in={event.team_id for event in events}
        ).values_list("team_id", "role")
    )
    now = timezone.now()
    links: dict[int, list[dict[str, str]]] = {}
    for event in events:
        role = TeamRole.ORGANISER if user.is_staff else roles.get(event.team_id)
        if role == TeamRole.DESK or (role == TeamRole.ORGANISER and on_the_day(event, now)):
            links[event.pk] = [
                {"label": _("Check-in desk"), "url": reverse("checkin:desk", kwargs={"slug": event.slug})}
            ]
    return links
