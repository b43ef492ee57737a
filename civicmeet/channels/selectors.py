"""Reads of channels, experiences, good practice and their history, with a constant number of queries."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from civicmeet.organisations.languages import language_names
from civicmeet.organisations.permissions import is_moderator, visible_filter

from .models import (
    Channel,
    ChannelExperience,
    ChannelProposal,
    GoodPractice,
    ItemStatus,
    Revision,
    Topic,
)
from .permissions import own_items, published_for


def channel_list(
    *, user, city: str = "", region: str = "", topic: str = "", language_help: bool = False
) -> list[Channel]:
    """The published channels `user` may see, filtered (one query). Matters and languages are short
    JSON lists: they are filtered here, the same way on SQLite and PostgreSQL."""
    channels: QuerySet[Channel] = published_for(user, Channel.objects.all())
    if region:
        channels = channels.filter(region=region)
    if city.strip():
        channels = channels.filter(city__iexact=city.strip())
    rows = list(channels.order_by("city", "name", "department"))
    if topic:
        rows = [channel for channel in rows if topic in (channel.topics or [])]
    if language_help:
        rows = [channel for channel in rows if channel.has_language_help]
    return rows


def channel_page(*, channel: Channel, user) -> dict[str, Any]:
    """What a channel's page shows beside the channel: experiences, good practice, the reader's own
    drafts about it, and for moderators the proposed changes waiting."""
    experiences = list(
        published_for(user, ChannelExperience.objects.filter(channel=channel)).select_related("organisation")
    )
    own_experiences = list(
        own_items(user, ChannelExperience.objects.filter(channel=channel))
        .exclude(status=ItemStatus.PUBLISHED)
        .select_related("organisation")
    )
    practices = list(
        published_for(user, GoodPractice.objects.filter(channels=channel)).select_related("organisation").distinct()
    )
    pending = (
        ChannelProposal.objects.filter(channel=channel, status=ItemStatus.SUBMITTED).count()
        if is_moderator(user)
        else 0
    )
    return {
        "experiences": experiences,
        "own_experiences": own_experiences,
        "practices": practices,
        "pending_proposals": pending,
        "language_names": language_names(channel.languages),
        "topic_names": [Topic(topic).label for topic in channel.topics if topic in Topic.values],
    }


def good_practice_list(*, user) -> QuerySet[GoodPractice]:
    return (
        published_for(user, GoodPractice.objects.all())
        .select_related("organisation")
        .prefetch_related(Prefetch("channels", queryset=published_for(user, Channel.objects.all()).order_by("name")))
        .order_by("-published_at", "-pk")
    )


def good_practice_channels(*, practice: GoodPractice, user) -> list[Channel]:
    return list(published_for(user, practice.channels.all()).order_by("name"))


def own_texts(*, user) -> list[tuple[str, list]]:
    """The user's own texts of every kind, newest first, under a heading each."""
    return [
        (_("Offices"), list(own_items(user, Channel.objects.all()).order_by("-updated_at"))),
        (
            _("Proposed changes"),
            list(own_items(user, ChannelProposal.objects.select_related("channel")).order_by("-updated_at")),
        ),
        (
            _("Experiences"),
            list(own_items(user, ChannelExperience.objects.select_related("channel")).order_by("-updated_at")),
        ),
        (_("Good practice"), list(own_items(user, GoodPractice.objects.all()).order_by("-updated_at"))),
    ]


def review_queue() -> list[tuple[str, str, list]]:
    """Everything waiting for a moderator, oldest first: (kind, heading, items)."""
    submitted = {"status": ItemStatus.SUBMITTED}
    related = ("organisation", "author")
    return [
        (
            "channel",
            _("New offices"),
            list(Channel.objects.filter(**submitted).select_related(*related).order_by("submitted_at")),
        ),
        (
            "proposal",
            _("Proposed changes"),
            list(
                ChannelProposal.objects.filter(**submitted).select_related("channel", *related).order_by("submitted_at")
            ),
        ),
        (
            "experience",
            _("Experiences"),
            list(
                ChannelExperience.objects.filter(**submitted)
                .select_related("channel", *related)
                .order_by("submitted_at")
            ),
        ),
        (
            "practice",
            _("Good practice"),
            list(GoodPractice.objects.filter(**submitted).select_related(*related).order_by("submitted_at")),
        ),
    ]


# -- Showing values and history ------------------------------------------------------------------


def display_value(model: type[models.Model], field_name: str, value: Any) -> str:
    """A stored value as a reader reads it: choices by their label, lists by their names, yes/no."""
    if value in (None, "", []):
        return "—"
    if field_name == "languages":
        return ", ".join(language_names(value))
    if field_name == "topics":
        return ", ".join(str(Topic(topic).label) for topic in value if topic in Topic.values)
    if field_name == "channels":
        names = dict(Channel.objects.filter(pk__in=value).values_list("pk", "name"))
        return ", ".join(names.get(pk, str(pk)) for pk in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    try:
        field = model._meta.get_field(field_name)
    except Exception:  # noqa: BLE001 - a field that no longer exists: show the value as it was
        return str(value)
    choices = getattr(field, "flatchoices", None)
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def field_label(model: type[models.Model], field_name: str) -> str:
    try:
        return str(getattr(model._meta.get_field(field_name), "verbose_name", field_name))
    except Exception:  # noqa: BLE001
        return field_name


REVISION_FIELD = {
    Channel: "channel",
    ChannelProposal: "proposal",
    ChannelExperience: "experience",
    GoodPractice: "good_practice",
}


def revision_list(*, item) -> list[tuple[Revision, list[dict[str, str]]]]:
    """The item's revisions, newest first, each with its changed fields as readable lines."""
    model: type[models.Model] = Channel if isinstance(item, ChannelProposal) else type(item)
    rows = Revision.objects.filter(**{REVISION_FIELD[type(item)]: item}).select_related("actor")
    return [
        (
            revision,
            [
                {
                    "label": field_label(model, field),
                    "before": display_value(model, field, before),
                    "after": display_value(model, field, after),
                }
                for field, (before, after) in revision.changes.items()
            ],
        )
        for revision in rows
    ]


def item_heading(item) -> str:
    if isinstance(item, Channel):
        return str(item)
    if isinstance(item, ChannelProposal):
        return _("Proposed change of “%(name)s”") % {"name": item.channel}
    if isinstance(item, ChannelExperience):
        return _("Experience of %(organisation)s with “%(name)s”") % {
            "organisation": item.organisation or _("an organisation"),
            "name": item.channel,
        }
    return item.title


def review_details(*, item) -> dict[str, Any]:
    """For a proposed change: each changed field, the channel's value now and the proposed one."""
    if not isinstance(item, ChannelProposal):
        return {"heading": item_heading(item), "rows": []}
    channel = item.channel
    rows = [
        {
            "label": field_label(Channel, field),
            "now": display_value(Channel, field, getattr(channel, field)),
            "proposed": display_value(Channel, field, value),
        }
        for field, value in item.changes.items()
    ]
    return {"heading": item_heading(item), "rows": rows}


def profile_experiences(*, organisation, user) -> list[ChannelExperience]:
    """An organisation's published experiences with offices that `user` may see (one query)."""
    return list(
        published_for(user, ChannelExperience.objects.filter(organisation=organisation))
        .filter(channel__status=ItemStatus.PUBLISHED)
        .filter(
            visible_filter(user, organisation_field="channel__organisation", visibility_field="channel__visibility")
        )
        .select_related("channel")
        .order_by("-happened_on", "-created_at")[:20]
    )
