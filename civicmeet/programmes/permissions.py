"""Who may see and manage projects and their offers, built on organisations.permissions.

A project's **team** is the approved representatives of the organisation that runs it, with the
moderators of the network: they change the project and its offers, see the sign-ups and export them.
Representatives of a partner or of any other organisation are not on the team.
"""

from __future__ import annotations

from civicmeet.core.visibility import Visibility
from civicmeet.organisations.permissions import may_edit_organisation, may_see, visible_filter

from .models import Project, ProjectOffer

# The stricter of two visibilities wins (an offer of a members-only project is members-only).
_STRICTNESS: dict[str, int] = {Visibility.PUBLIC: 0, Visibility.MEMBERS: 1, Visibility.PRIVATE: 2}


def stricter(*visibilities: str) -> str:
    return max(visibilities, key=lambda value: _STRICTNESS.get(value, 2))


def may_manage_project(user, project: Project) -> bool:
    return may_edit_organisation(user, project.organisation_id)


def may_see_project(user, project: Project) -> bool:
    return may_see(user, visibility=project.visibility, organisation_id=project.organisation_id)


def offer_visibility(offer: ProjectOffer) -> str:
    return stricter(offer.visibility, offer.project.visibility)


def may_see_offer(user, offer: ProjectOffer) -> bool:
    return may_see(user, visibility=offer_visibility(offer), organisation_id=offer.project.organisation_id)


def visible_projects_filter(user):
    return visible_filter(user, organisation_field="organisation")


def visible_offers_filter(user):
    return visible_filter(user, organisation_field="project__organisation") & visible_filter(
        user, organisation_field="project__organisation", visibility_field="project__visibility"
    )
