"""Every change of channels, proposals, experiences and good practice: the one write path.

A service locks the row it checks, checks who may do it (channels.permissions), writes a Revision
(who, when, each field before and after, the moderator's comment), keeps the search index in step
(published channels and good practice only) and queues the author's email in their language when a
moderator decides. Status changes follow models.TRANSITIONS, checked in `_transition` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicmeet.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicmeet.organisations.languages import languages_clean
from civicmeet.organisations.permissions import is_moderator, represents

from . import emails
from .models import (
    CHANNEL_FIELDS,
    TRANSITIONS,
    AuthoredItem,
    Channel,
    ChannelExperience,
    ChannelProposal,
    GoodPractice,
    ItemStatus,
    Revision,
    RevisionAction,
    Topic,
)
from .permissions import is_own, may_edit, may_write
from .search import index_channel, index_good_practice

EXPERIENCE_FIELDS = ("text", "happened_on", "helpful", "language", "visibility")
GOOD_PRACTICE_FIELDS = ("title", "text", "region", "language", "visibility", "channels")

Item = TypeVar("Item", bound=AuthoredItem)

# The Revision field each kind of item is recorded under.
REVISION_FIELD = {
    Channel: "channel",
    ChannelProposal: "proposal",
    ChannelExperience: "experience",
    GoodPractice: "good_practice",
}


class ChannelError(DomainError):
    """A change of a channel item was refused; `message` says why, in the user's language."""


# -- Helpers --------------------------------------------------------------------------------------


def _values(item: AuthoredItem, fields: Iterable[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in fields:
        if field == "channels":
            linked = item.channels.values_list("pk", flat=True) if isinstance(item, GoodPractice) and item.pk else []
            values[field] = sorted(linked)
        else:
            value = getattr(item, field)
            values[field] = value.isoformat() if hasattr(value, "isoformat") else value
    return values


def _diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {field: [before.get(field), value] for field, value in after.items() if before.get(field) != value}


def _revision(item: AuthoredItem, *, action: str, actor, before: str = "", changes=None, comment: str = "") -> None:
    Revision.objects.create(
        **{REVISION_FIELD[type(item)]: item},
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        status_before=before,
        status_after=item.status,
        changes=changes or {},
        comment=comment,
    )


def _lock(item: Item) -> Item:
    return type(item)._default_manager.select_for_update().get(pk=item.pk)


def _index(item: AuthoredItem) -> None:
    if isinstance(item, Channel):
        index_channel(item)
    elif isinstance(item, GoodPractice):
        index_good_practice(item)


def _check_author(actor, organisation) -> None:
    """A draft is written by a moderator (for any organisation, or none) or a representative of
    the organisation it is written for."""
    if not may_write(actor):
        raise PermissionDeniedError(
            _("Only representatives of organisations in the network and moderators can write here."),
            code="not_a_representative",
        )
    if is_moderator(actor):
        return
    if organisation is None or not represents(actor, organisation):
        raise PermissionDeniedError(
            _("You can write only for an organisation you represent."), code="not_your_organisation"
        )


def _check_edit(actor, item: AuthoredItem) -> None:
    if not may_edit(actor, item):
        if item.status != ItemStatus.DRAFT and is_own(actor, item):
            raise ConflictError(
                _("This text is no longer a draft: take it back from review, or propose a change."),
                code="not_a_draft",
            )
        raise PermissionDeniedError(_("You cannot change this text."), code="forbidden")


def _full_clean(item: AuthoredItem) -> None:
    # The forms check every field first; this keeps the API, commands and the demo honest.
    item.full_clean(exclude=["author", "organisation"], validate_unique=False, validate_constraints=False)


def _set_fields(item: AuthoredItem, data: Mapping[str, Any], fields: Iterable[str]) -> None:
    for field in fields:
        if field in data and field != "channels":
            value = data[field]
            if field == "languages":
                value = languages_clean(value or [])  # one order (the list's), unknown codes refused
            elif field == "topics":
                value = [topic for topic in Topic.values if topic in set(value or [])]
            setattr(item, field, value)


# -- State changes ---------------------------------------------------------------------------------


def _transition(*, item: Item, to: str, actor, action: str, comment: str = "") -> Item:
    """Move `item` (locked) to `to` if TRANSITIONS allows `actor` to; the one home of the state machine."""
    allowed = TRANSITIONS.get(item.status, {})
    who = allowed.get(to)
    if who is None:
        raise ConflictError(
            _("This cannot be done now: the text is “%(status)s”.") % {"status": item.get_status_display()},
            code="wrong_status",
        )
    moderator = is_moderator(actor)
    if (who == "moderator" and not moderator) or (
        who in ("author", "either") and not (moderator or is_own(actor, item))
    ):
        raise PermissionDeniedError(_("Only a moderator can do this."), code="moderators_only")
    before = item.status
    item.status = to
    now = timezone.now()
    if to == ItemStatus.SUBMITTED:
        item.submitted_at = now
    if to == ItemStatus.PUBLISHED and item.published_at is None:
        item.published_at = now
    if action in (RevisionAction.RETURNED, RevisionAction.PUBLISHED):
        item.moderator_comment = comment
    item.save(update_fields=["status", "submitted_at", "published_at", "moderator_comment", "updated_at"])
    _revision(item, action=action, actor=actor, before=before, comment=comment)
    return item


def item_submit(*, item: Item, actor) -> Item:
    """The author sends their draft to the moderators."""
    with transaction.atomic():
        item = _lock(item)
        return _transition(item=item, to=ItemStatus.SUBMITTED, actor=actor, action=RevisionAction.SUBMITTED)


def item_withdraw(*, item: Item, actor) -> Item:
    """The author takes a submitted text back to change it (it is a draft again)."""
    with transaction.atomic():
        item = _lock(item)
        if item.status != ItemStatus.SUBMITTED or not is_own(actor, item):
            raise ConflictError(_("Only a text waiting for review can be taken back."), code="not_submitted")
        return _transition(item=item, to=ItemStatus.DRAFT, actor=actor, action=RevisionAction.WITHDRAWN)


def item_publish(*, item: Item, actor, comment: str = "") -> Item:
    """A moderator publishes a draft or a submitted text; a proposal's changes are applied to its
    channel. The author (if not the moderator themself) is told by email in their language."""
    with transaction.atomic():
        item = _lock(item)
        if isinstance(item, ChannelProposal):
            _proposal_apply(item, actor=actor, comment=comment)
        _check_channels_published(item)
        _transition(item=item, to=ItemStatus.PUBLISHED, actor=actor, action=RevisionAction.PUBLISHED, comment=comment)
        _index(item)
        emails.queue_to_author(item, kind="published", actor=actor)
        return item


def item_send_back(*, item: Item, actor, comment: str) -> Item:
    """A moderator returns a submitted text to its author with a comment (required: the author must
    learn what to change); emailed in the author's language."""
    comment = (comment or "").strip()
    if not comment:
        raise ChannelError(_("Write the author what to change."), code="comment_required")
    with transaction.atomic():
        item = _lock(item)
        if item.status != ItemStatus.SUBMITTED:
            raise ConflictError(_("Only a text waiting for review can be sent back."), code="not_submitted")
        if not is_moderator(actor):
            raise PermissionDeniedError(_("Only a moderator can do this."), code="moderators_only")
        _transition(item=item, to=ItemStatus.DRAFT, actor=actor, action=RevisionAction.RETURNED, comment=comment)
        emails.queue_to_author(item, kind="returned", actor=actor)
        return item


def item_archive(*, item: Item, actor, comment: str = "") -> Item:
    """A moderator takes a published text out of the lists (it stays, with its history)."""
    with transaction.atomic():
        item = _lock(item)
        _transition(item=item, to=ItemStatus.ARCHIVED, actor=actor, action=RevisionAction.ARCHIVED, comment=comment)
        _index(item)
        return item


def item_restore(*, item: Item, actor, comment: str = "") -> Item:
    with transaction.atomic():
        item = _lock(item)
        _transition(item=item, to=ItemStatus.PUBLISHED, actor=actor, action=RevisionAction.RESTORED, comment=comment)
        _index(item)
        return item


def _check_channels_published(item: AuthoredItem) -> None:
    channel = getattr(item, "channel", None)
    if channel is not None and channel.status != ItemStatus.PUBLISHED:
        raise ConflictError(
            _("The office this is about is not published: publish it first."), code="channel_not_published"
        )


# -- Channels --------------------------------------------------------------------------------------


def channel_create(*, actor, organisation, data: Mapping[str, Any], submit: bool = False) -> Channel:
    """A new channel as a draft written by `actor` for `organisation` (submitted at once with `submit`)."""
    with transaction.atomic():
        _check_author(actor, organisation)
        channel = Channel(author=actor, organisation=organisation)
        _set_fields(channel, data, CHANNEL_FIELDS)
        _full_clean(channel)
        channel.save()
        _revision(
            channel, action=RevisionAction.CREATED, actor=actor, changes=_diff({}, _values(channel, CHANNEL_FIELDS))
        )
        if submit:
            _transition(item=channel, to=ItemStatus.SUBMITTED, actor=actor, action=RevisionAction.SUBMITTED)
    return channel


def channel_update(
    *, channel: Channel, actor, data: Mapping[str, Any], comment: str = "", submit: bool = False
) -> Channel:
    """Change a channel: its own people change a draft; a moderator changes it in any state (a
    published one stays published, its search entry follows). Others propose (channel_propose)."""
    with transaction.atomic():
        channel = _lock(channel)
        _check_edit(actor, channel)
        before = _values(channel, CHANNEL_FIELDS)
        _set_fields(channel, data, CHANNEL_FIELDS)
        _full_clean(channel)
        changes = _diff(before, _values(channel, CHANNEL_FIELDS))
        if changes:
            channel.save()
            _revision(
                channel,
                action=RevisionAction.EDITED,
                actor=actor,
                before=channel.status,
                changes=changes,
                comment=comment,
            )
            _index(channel)
        if submit and channel.status == ItemStatus.DRAFT:
            _transition(item=channel, to=ItemStatus.SUBMITTED, actor=actor, action=RevisionAction.SUBMITTED)
    return channel


def channel_propose(
    *, channel: Channel, actor, organisation, data: Mapping[str, Any], note: str = "", submit: bool = True
) -> ChannelProposal:
    """A representative proposes a change of a published channel: only the fields that differ are
    kept; a moderator applies them by publishing the proposal."""
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=channel.pk)
        if channel.status != ItemStatus.PUBLISHED:
            raise ConflictError(_("Changes can be proposed only to a published office."), code="not_published")
        _check_author(actor, organisation)
        current = _values(channel, CHANNEL_FIELDS)
        probe = Channel(**{field: getattr(channel, field) for field in CHANNEL_FIELDS})
        _set_fields(probe, data, CHANNEL_FIELDS)
        _full_clean(probe)
        changes = {field: value for field, value in _values(probe, CHANNEL_FIELDS).items() if current[field] != value}
        if not changes:
            raise ChannelError(_("Nothing was changed: change at least one field."), code="no_change")
        proposal = ChannelProposal.objects.create(
            channel=channel,
            author=actor,
            organisation=organisation,
            changes=changes,
            note=note,
            language=data.get("language") or channel.language,
            visibility=channel.visibility,
        )
        _revision(proposal, action=RevisionAction.PROPOSED, actor=actor, changes=_diff(current, changes), comment=note)
        if submit:
            _transition(item=proposal, to=ItemStatus.SUBMITTED, actor=actor, action=RevisionAction.SUBMITTED)
    return proposal


def _proposal_apply(proposal: ChannelProposal, *, actor, comment: str) -> None:
    channel = Channel.objects.select_for_update().get(pk=proposal.channel_id)
    if channel.status != ItemStatus.PUBLISHED:
        raise ConflictError(_("The office is no longer published: the change cannot be applied."), code="not_published")
    if not is_moderator(actor):
        raise PermissionDeniedError(_("Only a moderator can do this."), code="moderators_only")
    before = _values(channel, CHANNEL_FIELDS)
    _set_fields(channel, proposal.changes, CHANNEL_FIELDS)
    _full_clean(channel)
    changes = _diff(before, _values(channel, CHANNEL_FIELDS))
    channel.save()
    _revision(
        channel,
        action=RevisionAction.APPLIED,
        actor=actor,
        before=channel.status,
        changes=changes,
        comment=comment or proposal.note,
    )
    _index(channel)
    proposal.channel = channel


# -- Experiences -----------------------------------------------------------------------------------


def experience_create(
    *, channel: Channel, actor, organisation, data: Mapping[str, Any], submit: bool = False
) -> ChannelExperience:
    """An organisation's experience with a published channel, as a draft."""
    with transaction.atomic():
        if channel.status != ItemStatus.PUBLISHED:
            raise ConflictError(_("Experiences can be added only to a published office."), code="not_published")
        if organisation is None:
            raise ChannelError(_("Choose the organisation whose experience this is."), code="organisation_required")
        _check_author(actor, organisation)
        experience = ChannelExperience(channel=channel, author=actor, organisation=organisation)
        _set_fields(experience, data, EXPERIENCE_FIELDS)
        _full_clean(experience)
        experience.save()
        _revision(
            experience,
            action=RevisionAction.CREATED,
            actor=actor,
            changes=_diff({}, _values(experience, EXPERIENCE_FIELDS)),
        )
        if submit:
            _transition(item=experience, to=ItemStatus.SUBMITTED, actor=actor, action=RevisionAction.SUBMITTED)
    return experience


def experience_update(
    *, experience: ChannelExperience, actor, data: Mapping[str, Any], comment: str = "", submit: bool = False
) -> ChannelExperience:
    with transaction.atomic():
        experience = _lock(experience)
        _check_edit(actor, experience)
        before = _values(experience, EXPERIENCE_FIELDS)
        _set_fields(experience, data, EXPERIENCE_FIELDS)
        _full_clean(experience)
        changes = _diff(before, _values(experience, EXPERIENCE_FIELDS))
        if changes:
            experience.save()
            _revision(
                experience,
                action=RevisionAction.EDITED,
                actor=actor,
                before=experience.status,
                changes=changes,
                comment=comment,
            )
        if submit and experience.status == ItemStatus.DRAFT:
            _transition(item=experience, to=ItemStatus.SUBMITTED, actor=actor, action=RevisionAction.SUBMITTED)
    return experience


# -- Good practice ---------------------------------------------------------------------------------


def _practice_channels(data: Mapping[str, Any]) -> list[int] | None:
    if "channels" not in data:
        return None
    ids = sorted({getattr(channel, "pk", channel) for channel in data["channels"] or []})
    if Channel.objects.filter(pk__in=ids, status=ItemStatus.PUBLISHED).count() != len(ids):
        raise ChannelError(_("Link only published offices."), code="channel_not_published")
    return ids


def good_practice_create(*, actor, organisation, data: Mapping[str, Any], submit: bool = False) -> GoodPractice:
    with transaction.atomic():
        _check_author(actor, organisation)
        practice = GoodPractice(author=actor, organisation=organisation)
        _set_fields(practice, data, GOOD_PRACTICE_FIELDS)
        _full_clean(practice)
        channel_ids = _practice_channels(data)
        practice.save()
        if channel_ids:
            practice.channels.set(channel_ids)
        _revision(
            practice,
            action=RevisionAction.CREATED,
            actor=actor,
            changes=_diff({}, _values(practice, GOOD_PRACTICE_FIELDS)),
        )
        if submit:
            _transition(item=practice, to=ItemStatus.SUBMITTED, actor=actor, action=RevisionAction.SUBMITTED)
    return practice


def good_practice_update(
    *, practice: GoodPractice, actor, data: Mapping[str, Any], comment: str = "", submit: bool = False
) -> GoodPractice:
    with transaction.atomic():
        practice = _lock(practice)
        _check_edit(actor, practice)
        before = _values(practice, GOOD_PRACTICE_FIELDS)
        _set_fields(practice, data, GOOD_PRACTICE_FIELDS)
        _full_clean(practice)
        channel_ids = _practice_channels(data)
        practice.save()
        if channel_ids is not None:
            practice.channels.set(channel_ids)
        changes = _diff(before, _values(practice, GOOD_PRACTICE_FIELDS))
        if changes:
            _revision(
                practice,
                action=RevisionAction.EDITED,
                actor=actor,
                before=practice.status,
                changes=changes,
                comment=comment,
            )
            _index(practice)
        if submit and practice.status == ItemStatus.DRAFT:
            _transition(item=practice, to=ItemStatus.SUBMITTED, actor=actor, action=RevisionAction.SUBMITTED)
    return practice


# -- The search index, rebuilt --------------------------------------------------------------------


def channels_reindex_all() -> dict[str, int]:
    """Rebuild the search entries of every channel and good-practice note (the directory's reindex)."""
    counts = {"channel": 0, "good_practice": 0}
    with transaction.atomic():
        for channel in Channel.objects.all():
            if index_channel(channel):
                counts["channel"] += 1
        for practice in GoodPractice.objects.prefetch_related("channels"):
            if index_good_practice(practice):
                counts["good_practice"] += 1
    return counts


__all__ = [
    "ChannelError",
    "channel_create",
    "channel_propose",
    "channel_update",
    "channels_reindex_all",
    "experience_create",
    "experience_update",
    "good_practice_create",
    "good_practice_update",
    "item_archive",
    "item_publish",
    "item_restore",
    "item_send_back",
    "item_submit",
    "item_withdraw",
]
