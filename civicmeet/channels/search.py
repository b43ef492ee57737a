"""How channels and good practice are found by the network's one search box.

A published channel is a SearchDocument of kind "channel"; a published good-practice note one of
kind "good_practice". Their texts carry the office's kind, matters and languages named in all three
of the site's languages, so "urząd wojewódzki", "воєводське управління" and "voivodeship office"
all find it. Facets: region and languages (the languages the office speaks; a note's own language).
Anything not published has no entry: the services call these after every change.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from civicmeet.organisations.languages import language_name
from civicmeet.organisations.models import Region
from civicmeet.search.services import search_document_delete, search_document_save

from .models import Channel, ChannelKind, GoodPractice, ItemStatus, Topic

CHANNEL = "channel"
GOOD_PRACTICE = "good_practice"
SITE_LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _in_every_language(make) -> list[str]:
    texts: list[str] = []
    for language in SITE_LANGUAGES:
        with translation.override(language):
            texts.extend(str(text) for text in make(language))
    return texts


def _region_names(region: str) -> list[str]:
    if not region:
        return []
    return _in_every_language(lambda _language: [Region(region).label])


def index_channel(channel: Channel) -> bool:
    """Write (or remove) the channel's search entry; True when it is indexed."""
    if channel.status != ItemStatus.PUBLISHED:
        search_document_delete(kind=CHANNEL, key=channel.pk)
        return False
    texts = [channel.department, channel.purpose, channel.city, channel.address, channel.language_notes]
    texts += _in_every_language(
        lambda language: (
            [ChannelKind(channel.kind).label]
            + [Topic(topic).label for topic in channel.topics if topic in Topic.values]
            + [language_name(code, language) for code in channel.languages]
        )
    )
    texts += _region_names(channel.region)
    search_document_save(
        kind=CHANNEL,
        key=channel.pk,
        organisation_id=channel.organisation_id,
        visibility=channel.visibility,
        url_name="channels:detail",
        url_kwargs={"pk": channel.pk},
        titles=dict.fromkeys(SITE_LANGUAGES, str(channel)),
        texts=list(dict.fromkeys(text for text in texts if text)),
        facets={"region": channel.region, "languages": list(channel.languages)},
    )
    return True


def index_good_practice(practice: GoodPractice) -> bool:
    """Write (or remove) the note's search entry; True when it is indexed."""
    if practice.status != ItemStatus.PUBLISHED:
        search_document_delete(kind=GOOD_PRACTICE, key=practice.pk)
        return False
    texts = [practice.text] + [str(channel) for channel in practice.channels.all()]
    texts += _region_names(practice.region)
    search_document_save(
        kind=GOOD_PRACTICE,
        key=practice.pk,
        organisation_id=practice.organisation_id,
        visibility=practice.visibility,
        url_name="channels:practice_detail",
        url_kwargs={"pk": practice.pk},
        titles=dict.fromkeys(SITE_LANGUAGES, practice.title),
        texts=list(dict.fromkeys(text for text in texts if text)),
        facets={"region": practice.region, "languages": [practice.language]},
    )
    return True
