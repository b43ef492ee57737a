"""Who is on which team, in which role. Apps above (events, and what comes) build on these."""

from __future__ import annotations

from django.db.models import Q

from .models import TeamRole


def team_member_filter(user, *, prefix: str = "team__", roles=(TeamRole.ORGANISER,)) -> Q:
    """A filter for rows whose team (reached through `prefix`) has `user` in one of `roles`."""
    return Q(**{f"{prefix}members__user": user, f"{prefix}members__role__in": list(roles)})
