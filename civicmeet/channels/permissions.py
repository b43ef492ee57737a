"""Who may read and write channels, experiences, edit proposals and good practice.

Built only on organisations.permissions: moderators keep everything; approved representatives write
drafts for their organisations; readers see published items their visibility allows them to.
An item that is not published is seen by its author, its organisation's representatives and the
moderators only.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from civicmeet.organisations.permissions import (
    is_moderator,
    may_see,
    represented_organisation_ids,
    represents,
    visible_filter,
)

from .models import ItemStatus


def may_write(user) -> bool:
    """Whether `user` may write drafts at all: a moderator or an approved representative."""
    return is_moderator(user) or bool(represented_organisation_ids(user))


def is_own(user, item) -> bool:
    """The author, or an approved representative of the organisation the item was written for."""
    if not (user and user.is_authenticated):
        return False
    if item.author_id is not None and item.author_id == user.pk:
        return True
    return item.organisation_id is not None and represents(user, item.organisation_id)


def may_view(user, item) -> bool:
    if is_moderator(user) or is_own(user, item):
        return True
    return item.status == ItemStatus.PUBLISHED and may_see(
        user, visibility=item.visibility, organisation_id=item.organisation_id
    )


def may_edit(user, item) -> bool:
    """Drafts by their own people; anything by a moderator (a published channel is changed by others
    through a proposal)."""
    if is_moderator(user):
        return True
    return item.status == ItemStatus.DRAFT and is_own(user, item)


def may_propose(user, channel) -> bool:
    return (
        channel.status == ItemStatus.PUBLISHED and bool(represented_organisation_ids(user)) and may_view(user, channel)
    )


def published_for(user, queryset: QuerySet) -> QuerySet:
    """The published items of `queryset` that `user` may see."""
    return queryset.filter(Q(status=ItemStatus.PUBLISHED) & visible_filter(user))


def own_items(user, queryset: QuerySet) -> QuerySet:
    """The items of `queryset` written by `user` or for an organisation they represent."""
    if not (user and user.is_authenticated):
        return queryset.none()
    return queryset.filter(Q(author=user) | Q(organisation_id__in=represented_organisation_ids(user)))
