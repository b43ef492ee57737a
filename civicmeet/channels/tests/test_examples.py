"""The Kraków examples the demo loads: written through the services, published, searchable, idempotent."""

from __future__ import annotations

import pytest

from civicmeet.channels.examples import CHANNELS, GOOD_PRACTICES, load_examples, load_waiting_example
from civicmeet.channels.models import Channel, GoodPractice, ItemStatus, Revision
from civicmeet.events.tests.factories import OrganisationFactory
from civicmeet.search.models import SearchDocument

from .factories import moderator

pytestmark = pytest.mark.django_db


def test_examples_are_published_with_history_and_indexed_once():
    mod = moderator()
    organisation = OrganisationFactory(name="Fundacja Zustricz")
    made = load_examples(moderator=mod, organisation=organisation)
    assert made == {"channel": len(CHANNELS), "good_practice": len(GOOD_PRACTICES), "experience": 1}
    assert set(Channel.objects.values_list("status", flat=True)) == {ItemStatus.PUBLISHED}
    assert SearchDocument.objects.filter(kind="channel").count() == len(CHANNELS)
    assert SearchDocument.objects.filter(kind="good_practice").count() == len(GOOD_PRACTICES)
    assert all(Revision.objects.filter(channel=channel).count() == 2 for channel in Channel.objects.all())
    practice = GoodPractice.objects.get(language="uk")
    assert [channel.name for channel in practice.channels.all()] == ["Urząd Miasta Krakowa"]
    assert load_examples(moderator=mod, organisation=organisation) == {
        "channel": 0,
        "good_practice": 0,
        "experience": 0,
    }
    waiting = load_waiting_example(author=mod)
    assert waiting.status == ItemStatus.SUBMITTED and load_waiting_example(author=mod) == waiting
