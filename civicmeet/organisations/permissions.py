"""Who may do what in the network: moderators, representatives, members. Apps above build on these.

- A **moderator** keeps the directory: reviews drafts, approves representatives, merges duplicates,
  publishes channel notes. It is the permission `organisations.moderate_network` (superusers have it).
- A **representative** (an APPROVED Representative row) edits their own organisation's profile,
  activities and offers.
- A **member** of the network is any signed-in moderator, approved representative or event organiser;
  members see items whose visibility is MEMBERS.
"""

from __future__ import annotations

from django.db.models import Q

from civicmeet.accounts.models import TeamMember
from civicmeet.core.visibility import Visibility

from .models import Representative, RepresentativeStatus

MODERATE = "organisations.moderate_network"


def is_moderator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(MODERATE))


def represented_organisation_ids(user) -> set[int]:
    """The organisations `user` is an approved representative of (cached on the user object)."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    cached = getattr(user, "_civicmeet_represented", None)
    if cached is None:
        cached = set(
            Representative.objects.filter(user=user, status=RepresentativeStatus.APPROVED).values_list(
                "organisation_id", flat=True
            )
        )
        user._civicmeet_represented = cached
    return cached


def represents(user, organisation) -> bool:
    """Whether `user` is an approved representative of `organisation` (an instance or an id)."""
    organisation_id = getattr(organisation, "pk", organisation)
    return organisation_id in represented_organisation_ids(user)


def may_edit_organisation(user, organisation) -> bool:
    return is_moderator(user) or represents(user, organisation)


def is_network_member(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return (
        is_moderator(user) or bool(represented_organisation_ids(user)) or TeamMember.objects.filter(user=user).exists()
    )


def visible_filter(user, *, organisation_field: str = "organisation", visibility_field: str = "visibility") -> Q:
    """A filter for the items `user` may see: public ones; MEMBERS ones for members; PRIVATE ones of
    the organisations they represent; everything for moderators. `organisation_field` names the
    item's organisation (use "pk" for organisations themselves)."""
    if is_moderator(user):
        return Q()
    allowed = Q(**{visibility_field: Visibility.PUBLIC})
    if is_network_member(user):
        allowed |= Q(**{visibility_field: Visibility.MEMBERS})
    own = represented_organisation_ids(user)
    if own:
        key = "pk__in" if organisation_field == "pk" else f"{organisation_field}__in"
        allowed |= Q(**{key: own})
    return allowed


def may_see(user, *, visibility: str, organisation_id: int | None) -> bool:
    """The same rule as visible_filter, for one item already loaded."""
    if visibility == Visibility.PUBLIC or is_moderator(user):
        return True
    if organisation_id is not None and represents(user, organisation_id):
        return True
    return visibility == Visibility.MEMBERS and is_network_member(user)
