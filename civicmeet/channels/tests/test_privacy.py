"""Channels: old emails and phones of offices leave the history after the retention."""

from __future__ import annotations

from datetime import timedelta

import pytest

from civicmeet.channels import privacy, services
from civicmeet.channels.models import ChannelProposal, ItemStatus, Revision, RevisionAction
from civicmeet.organisations.privacy import ERASED

from .factories import channel_data, moderator, published_channel, representative

pytestmark = pytest.mark.django_db

RETENTION = timedelta(days=365)
SECOND = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 365


def test_old_revisions_and_decided_proposals_keep_that_contact_changed_not_the_values():
    mod = moderator()
    channel = published_channel(mod)
    channel = services.channel_update(
        channel=channel, actor=mod, data=channel_data(email="jan.nowak@uw.example.pl", opening_hours="pon. 8–16")
    )
    edited = Revision.objects.get(channel=channel, action=RevisionAction.EDITED)
    assert edited.changes["email"] == ["", "jan.nowak@uw.example.pl"]
    rep, organisation = representative()
    applied = services.channel_propose(
        channel=channel, actor=rep, organisation=organisation, data=channel_data(phone="+48 600 700 800")
    )
    services.item_publish(item=applied, actor=mod)
    waiting = services.channel_propose(
        channel=channel, actor=rep, organisation=organisation, data=channel_data(phone="+48 500 000 111")
    )
    applied.refresh_from_db()
    assert applied.status == ItemStatus.PUBLISHED and waiting.status == ItemStatus.SUBMITTED

    newest = max(Revision.objects.latest("created_at").created_at, applied.updated_at, waiting.updated_at)
    oldest = Revision.objects.earliest("created_at").created_at
    assert privacy.channel_history_scrub(now=oldest + RETENTION - SECOND) == {
        "revisions": 0,
        "proposals": 0,
    }
    result = privacy.channel_history_scrub(now=newest + RETENTION)
    edited.refresh_from_db()
    assert edited.changes["email"] == ["", ERASED]
    assert edited.changes["opening_hours"] == ["pon. 10–18, wt.–pt. 8–15", "pon. 8–16"]  # not contact data
    applied.refresh_from_db()
    assert applied.changes["phone"] == ERASED and applied.changes["opening_hours"] == "pon. 10–18, wt.–pt. 8–15"
    waiting.refresh_from_db()
    assert waiting.changes["phone"] == "+48 500 000 111"  # still waiting for a moderator: the author's work
    # Created (phone), edited (email), the proposal's PROPOSED and the applied change on the channel,
    # and the waiting proposal's PROPOSED revision: every revision with an email or phone value.
    with_contact = [r for r in Revision.objects.all() if {"email", "phone"} & set(r.changes)]
    assert result == {"revisions": len(with_contact), "proposals": 1}
    assert all(
        value in (None, "", ERASED)
        for revision in Revision.objects.all()
        for field in ("email", "phone")
        for value in revision.changes.get(field, [])
    )
    # The channel itself still shows its current contact.
    channel.refresh_from_db()
    assert (channel.email, channel.phone) == ("", "+48 600 700 800")  # the applied proposal emptied the email
    assert privacy.channel_history_scrub(now=newest + RETENTION) == {"revisions": 0, "proposals": 0}
    assert ChannelProposal.objects.count() == 2


def test_nothing_changes_before_the_retention():
    mod = moderator()
    channel = published_channel(mod, email="urzad@uw.example.pl")
    created = Revision.objects.get(channel=channel, action=RevisionAction.CREATED)
    assert privacy.channel_history_scrub(now=created.created_at + RETENTION - SECOND) == {
        "revisions": 0,
        "proposals": 0,
    }
    created.refresh_from_db()
    assert created.changes["email"][1] == "urzad@uw.example.pl"
