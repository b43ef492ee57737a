"""The organisation's projects on its profile page (organisations.profile_sections)."""

from __future__ import annotations

from typing import Any

from .permissions import may_manage_project
from .selectors import organisation_projects, seats_left


def profile_section_context(organisation, user) -> dict[str, Any] | None:
    """Projects the organisation runs and those it is a partner of, with their open offers, as far
    as the reader may see them; None (no section) when there is none. Two queries at most."""
    projects = organisation_projects(organisation, user)
    if not projects:
        return None
    for project in projects:
        for offer in project.open_offers:  # type: ignore[attr-defined]
            offer.seats_left = seats_left(offer)
    running = [project for project in projects if project.organisation_id == organisation.pk]
    return {
        "organisation": organisation,
        "running": running,
        "partnering": [project for project in projects if project.organisation_id != organisation.pk],
        # The team: the organisation's approved representatives and the moderators (no query:
        # the user's organisations are cached on it by organisations.permissions).
        "is_team": bool(running) and may_manage_project(user, running[0]),
    }
