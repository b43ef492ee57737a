"""The channels' write path: the state machine, who may do what, history rows, search, emails."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from civicmeet.channels import services
from civicmeet.channels.models import (
    Channel,
    ChannelExperience,
    ChannelKind,
    GoodPractice,
    ItemStatus,
    Revision,
    RevisionAction,
)
from civicmeet.channels.permissions import may_view, published_for
from civicmeet.core.errors import ConflictError, DomainError, PermissionDeniedError
from civicmeet.events.tests.factories import OrganisationFactory, UserFactory
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.search.models import SearchDocument

from .factories import (
    channel_data,
    experience_data,
    moderator,
    practice_data,
    published_channel,
    representative,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod():
    return moderator()


@pytest.fixture
def rep():
    return representative()


def _actions(item) -> list[str]:
    field = {Channel: "channel", ChannelExperience: "experience", GoodPractice: "good_practice"}[type(item)]
    return list(Revision.objects.filter(**{field: item}).order_by("id").values_list("action", flat=True))


def test_a_representatives_draft_is_not_public_but_its_author_sees_it(rep):
    user, organisation = rep
    channel = services.channel_create(actor=user, organisation=organisation, data=channel_data())
    assert channel.status == ItemStatus.DRAFT
    assert list(published_for(AnonymousUser(), Channel.objects.all())) == []
    assert not may_view(AnonymousUser(), channel)
    assert not may_view(UserFactory(email="someone@example.org"), channel)
    assert may_view(user, channel)
    assert not SearchDocument.objects.filter(kind="channel").exists()


def test_a_representative_cannot_publish_even_their_own_submitted_channel(rep):
    user, organisation = rep
    channel = services.channel_create(actor=user, organisation=organisation, data=channel_data(), submit=True)
    before = Revision.objects.count()
    with pytest.raises(PermissionDeniedError):
        services.item_publish(item=channel, actor=user)
    channel.refresh_from_db()
    assert channel.status == ItemStatus.SUBMITTED
    assert Revision.objects.count() == before


def test_someone_who_represents_nobody_cannot_write(mod):
    stranger = UserFactory(email="stranger@example.org")
    with pytest.raises(PermissionDeniedError):
        services.channel_create(actor=stranger, organisation=None, data=channel_data())
    user, _organisation = representative()
    with pytest.raises(PermissionDeniedError):
        services.channel_create(actor=user, organisation=OrganisationFactory(name="Cudza"), data=channel_data())
    assert not Channel.objects.exists()


def test_submit_publish_writes_complete_history_indexes_and_emails_the_author_in_their_language(
    rep, mod, run_on_commit
):
    user, organisation = rep  # a Ukrainian-speaking representative
    with run_on_commit():
        channel = services.channel_create(actor=user, organisation=organisation, data=channel_data())
        services.item_submit(item=channel, actor=user)
        services.item_publish(item=channel, actor=mod, comment="Dziękujemy!")
    channel.refresh_from_db()
    assert channel.status == ItemStatus.PUBLISHED and channel.published_at is not None
    rows = list(Revision.objects.filter(channel=channel).order_by("id"))
    assert [(r.action, r.status_before, r.status_after, r.actor) for r in rows] == [
        (RevisionAction.CREATED, "", ItemStatus.DRAFT, user),
        (RevisionAction.SUBMITTED, ItemStatus.DRAFT, ItemStatus.SUBMITTED, user),
        (RevisionAction.PUBLISHED, ItemStatus.SUBMITTED, ItemStatus.PUBLISHED, mod),
    ]
    assert rows[0].changes["name"] == [None, "Małopolski Urząd Wojewódzki w Krakowie"]
    assert rows[2].comment == "Dziękujemy!"
    document = SearchDocument.objects.get(kind="channel", key=str(channel.pk))
    assert document.facets == {"region": "malopolskie", "languages": ["pl", "uk", "en"]}
    assert "Wydział Spraw Cudzoziemców" in document.text
    for language in ("pl", "uk", "en"):  # the kind of office and the languages named in every language
        with translation.override(language):
            assert str(ChannelKind.VOIVODESHIP_OFFICE.label) in document.text
    assert {"ukraiński", "українська", "Ukrainian"} <= set(document.text.splitlines())
    email = OutgoingEmail.objects.get(kind="channels_item_published")
    assert email.to == user.email and email.language == "uk"
    assert "Dziękujemy!" in email.body_text
    assert f"/uk/channels/{channel.pk}/" in email.body_text


def test_send_back_needs_a_comment_returns_a_draft_and_emails_the_comment(rep, mod, run_on_commit):
    user, organisation = rep
    channel = services.channel_create(actor=user, organisation=organisation, data=channel_data(), submit=True)
    with pytest.raises(DomainError):
        services.item_send_back(item=channel, actor=mod, comment="  ")
    with pytest.raises(PermissionDeniedError):
        services.item_send_back(item=channel, actor=user, comment="I change my mind")
    with run_on_commit():
        services.item_send_back(item=channel, actor=mod, comment="Dopiszcie godziny otwarcia w soboty.")
    channel.refresh_from_db()
    assert channel.status == ItemStatus.DRAFT
    assert channel.moderator_comment == "Dopiszcie godziny otwarcia w soboty."
    last = Revision.objects.filter(channel=channel).latest("id")
    assert (last.action, last.status_before, last.status_after, last.actor, last.comment) == (
        RevisionAction.RETURNED,
        ItemStatus.SUBMITTED,
        ItemStatus.DRAFT,
        mod,
        "Dopiszcie godziny otwarcia w soboty.",
    )
    email = OutgoingEmail.objects.get(kind="channels_item_returned")
    assert email.language == "uk" and "Dopiszcie godziny otwarcia w soboty." in email.body_text
    # The author changes the draft and submits again.
    services.channel_update(channel=channel, actor=user, data={"opening_hours": "sob. 9–13"}, submit=True)
    channel.refresh_from_db()
    assert channel.status == ItemStatus.SUBMITTED and channel.opening_hours == "sob. 9–13"


def test_transitions_outside_the_map_are_refused(mod):
    channel = published_channel(mod)
    with pytest.raises(ConflictError):
        services.item_submit(item=channel, actor=mod)
    with pytest.raises(ConflictError):
        services.item_send_back(item=channel, actor=mod, comment="x")
    services.item_archive(item=channel, actor=mod)
    assert not SearchDocument.objects.filter(kind="channel").exists()
    with pytest.raises(ConflictError):
        services.item_archive(item=channel, actor=mod)
    services.item_restore(item=channel, actor=mod)
    assert SearchDocument.objects.filter(kind="channel", key=str(channel.pk)).exists()
    assert _actions(channel)[-2:] == [RevisionAction.ARCHIVED, RevisionAction.RESTORED]


def test_an_author_can_take_back_a_submitted_text_but_not_edit_it_while_submitted(rep):
    user, organisation = rep
    channel = services.channel_create(actor=user, organisation=organisation, data=channel_data(), submit=True)
    with pytest.raises(ConflictError):
        services.channel_update(channel=channel, actor=user, data={"phone": "+48 12 000 00 00"})
    services.item_withdraw(item=channel, actor=user)
    services.channel_update(channel=channel, actor=user, data={"phone": "+48 12 000 00 00"})
    assert _actions(channel) == [
        RevisionAction.CREATED,
        RevisionAction.SUBMITTED,
        RevisionAction.WITHDRAWN,
        RevisionAction.EDITED,
    ]


def test_a_moderator_edits_a_published_channel_with_history_and_search_follows(mod, rep):
    channel = published_channel(mod)
    user, _organisation = rep
    with pytest.raises(PermissionDeniedError):
        services.channel_update(channel=channel, actor=user, data={"phone": "+48 12 999 99 99"})
    services.channel_update(
        channel=channel, actor=mod, data={"department": "Oddział Legalizacji Pobytu"}, comment="nowa nazwa"
    )
    last = Revision.objects.filter(channel=channel).latest("id")
    assert last.action == RevisionAction.EDITED
    assert last.changes == {"department": ["Wydział Spraw Cudzoziemców", "Oddział Legalizacji Pobytu"]}
    assert (last.status_before, last.status_after, last.comment) == ("published", "published", "nowa nazwa")
    assert "Oddział Legalizacji Pobytu" in SearchDocument.objects.get(kind="channel").title


def test_a_proposed_change_keeps_only_what_differs_and_is_applied_when_published(mod, rep, run_on_commit):
    channel = published_channel(mod)
    user, organisation = rep
    with pytest.raises(DomainError):
        services.channel_propose(channel=channel, actor=user, organisation=organisation, data=channel_data())
    proposal = services.channel_propose(
        channel=channel,
        actor=user,
        organisation=organisation,
        data=channel_data(opening_hours="pon.–pt. 8–16", interpreter_available=True),
        note="Sprawdziłyśmy w marcu.",
    )
    assert proposal.status == ItemStatus.SUBMITTED
    assert proposal.changes == {"opening_hours": "pon.–pt. 8–16", "interpreter_available": True}
    channel.refresh_from_db()
    assert channel.opening_hours == "pon. 10–18, wt.–pt. 8–15"  # not before a moderator publishes
    with pytest.raises(PermissionDeniedError):
        services.item_publish(item=proposal, actor=user)
    with run_on_commit():
        services.item_publish(item=proposal, actor=mod)
    channel.refresh_from_db()
    assert channel.opening_hours == "pon.–pt. 8–16" and channel.interpreter_available
    applied = Revision.objects.filter(channel=channel).latest("id")
    assert applied.action == RevisionAction.APPLIED and applied.actor == mod
    assert applied.changes == {
        "opening_hours": ["pon. 10–18, wt.–pt. 8–15", "pon.–pt. 8–16"],
        "interpreter_available": [False, True],
    }
    assert applied.comment == "Sprawdziłyśmy w marcu."
    assert OutgoingEmail.objects.filter(kind="channels_item_published", to=user.email).exists()


def test_experiences_only_on_published_channels_and_respect_visibility(mod, rep):
    user, organisation = rep
    draft = services.channel_create(actor=user, organisation=organisation, data=channel_data(name="Szkic"))
    with pytest.raises(ConflictError):
        services.experience_create(channel=draft, actor=user, organisation=organisation, data=experience_data())
    channel = published_channel(mod)
    experience = services.experience_create(
        channel=channel, actor=user, organisation=organisation, data=experience_data(visibility="members"), submit=True
    )
    services.item_publish(item=experience, actor=mod)
    experience.refresh_from_db()
    anonymous = AnonymousUser()
    assert not may_view(anonymous, experience)
    assert list(published_for(anonymous, ChannelExperience.objects.all())) == []
    member, _other = representative(OrganisationFactory(name="Stowarzyszenie Romów"), email="member@example.org")
    assert list(published_for(member, ChannelExperience.objects.all())) == [experience]
    assert _actions(experience) == [RevisionAction.CREATED, RevisionAction.SUBMITTED, RevisionAction.PUBLISHED]


def test_good_practice_links_only_published_channels_and_is_indexed_when_published(mod, rep):
    user, organisation = rep
    channel = published_channel(mod)
    draft = services.channel_create(actor=user, organisation=organisation, data=channel_data(name="Szkic"))
    with pytest.raises(DomainError):
        services.good_practice_create(
            actor=user, organisation=organisation, data=practice_data(channels=[channel.pk, draft.pk])
        )
    practice = services.good_practice_create(
        actor=user, organisation=organisation, data=practice_data(channels=[channel]), submit=True
    )
    assert list(practice.channels.all()) == [channel]
    assert not SearchDocument.objects.filter(kind="good_practice").exists()
    services.item_publish(item=practice, actor=mod)
    document = SearchDocument.objects.get(kind="good_practice", key=str(practice.pk))
    assert document.url_name == "channels:practice_detail"
    assert str(channel) in document.text
    services.good_practice_update(practice=practice, actor=mod, data={"title": "Dyżur urzędnika u nas"})
    assert SearchDocument.objects.get(kind="good_practice").title == "Dyżur urzędnika u nas"
    last = Revision.objects.filter(good_practice=practice).latest("id")
    assert last.changes == {"title": ["Stały dyżur urzędnika w organizacji", "Dyżur urzędnika u nas"]}


def test_bad_data_is_refused_by_the_service_too(rep):
    from django.core.exceptions import ValidationError

    user, organisation = rep
    with pytest.raises(ValidationError):
        services.channel_create(actor=user, organisation=organisation, data=channel_data(name="", kind="castle"))
    assert not Channel.objects.exists()


def test_reindex_all_counts_only_published_items(mod, rep):
    published_channel(mod)
    user, organisation = rep
    services.channel_create(actor=user, organisation=organisation, data=channel_data(name="Szkic"))
    SearchDocument.objects.all().delete()
    assert services.channels_reindex_all() == {"channel": 1, "good_practice": 0}
    assert SearchDocument.objects.filter(kind="channel").count() == 1
