"""Who reaches which channels page, with real items (the shared access matrix's world holds none)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicmeet.channels import services
from civicmeet.channels.models import ItemStatus
from civicmeet.events.tests.factories import OrganisationFactory, UserFactory

from .factories import channel_data, moderator, published_channel, representative

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "stranger", "author", "colleague", "other_rep", "moderator")


@pytest.fixture
def people():
    author, organisation = representative(OrganisationFactory(name="Fundacja Zustricz"), email="author@example.org")
    colleague, _org = representative(organisation, email="colleague@example.org")
    other_rep, _other = representative(OrganisationFactory(name="Stowarzyszenie Czulent"), email="other@example.org")
    return {
        "anonymous": None,
        "stranger": UserFactory(email="stranger@example.org"),
        "author": author,
        "colleague": colleague,
        "other_rep": other_rep,
        "moderator": moderator(),
        "organisation": organisation,
    }


def _status(client, user, method: str, path: str) -> int | str:
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get(path) if method == "GET" else client.post(path)
    if response.status_code == 302:
        return "login" if "/accounts/login/" in response["Location"] else "redirect"
    return response.status_code


def _row(client, people, method: str, path: str) -> dict[str, int | str]:
    return {persona: _status(client, people[persona], method, path) for persona in PERSONAS}


def test_a_draft_is_seen_only_by_its_organisation_and_the_moderators(client, people):
    draft = services.channel_create(actor=people["author"], organisation=people["organisation"], data=channel_data())
    own = {"anonymous": 404, "stranger": 404, "author": 200, "colleague": 200, "other_rep": 404, "moderator": 200}
    assert _row(client, people, "GET", reverse("channels:detail", kwargs={"pk": draft.pk})) == own
    history = reverse("channels:history", kwargs={"kind": "channel", "pk": draft.pk})
    assert _row(client, people, "GET", history) == own
    edit = reverse("channels:edit", kwargs={"pk": draft.pk})
    assert _row(client, people, "GET", edit) == {**own, "anonymous": "login"}
    review = reverse("channels:review_item", kwargs={"kind": "channel", "pk": draft.pk})
    assert _row(client, people, "GET", review) == {
        "anonymous": "login",
        "stranger": 404,
        "author": 404,
        "colleague": 404,
        "other_rep": 404,
        "moderator": 200,
    }


def test_only_its_own_people_submit_and_only_moderators_archive(client, people):
    draft = services.channel_create(actor=people["author"], organisation=people["organisation"], data=channel_data())
    submit = reverse("channels:act", kwargs={"kind": "channel", "pk": draft.pk, "action": "submit"})
    for persona in ("stranger", "other_rep"):
        assert _status(client, people[persona], "POST", submit) == 404
    draft.refresh_from_db()
    assert draft.status == ItemStatus.DRAFT
    assert _status(client, people["colleague"], "POST", submit) == "redirect"
    draft.refresh_from_db()
    assert draft.status == ItemStatus.SUBMITTED
    channel = published_channel(people["moderator"])
    archive = reverse("channels:act", kwargs={"kind": "channel", "pk": channel.pk, "action": "archive"})
    for persona in ("author", "colleague", "other_rep", "stranger"):
        _status(client, people[persona], "POST", archive)
        channel.refresh_from_db()
        assert channel.status == ItemStatus.PUBLISHED, persona
    assert _status(client, people["moderator"], "POST", archive) == "redirect"
    channel.refresh_from_db()
    assert channel.status == ItemStatus.ARCHIVED
    # Archived: out of the public's sight, still the moderators'.
    detail = reverse("channels:detail", kwargs={"pk": channel.pk})
    assert _status(client, None, "GET", detail) == 404
    assert _status(client, people["moderator"], "GET", detail) == 200


def test_members_only_is_for_signed_in_members(client, people):
    channel = published_channel(people["moderator"], visibility="members")
    detail = reverse("channels:detail", kwargs={"pk": channel.pk})
    # A signed-in account that is no representative, moderator nor organiser is no member.
    assert _row(client, people, "GET", detail) == {
        "anonymous": 404,
        "stranger": 404,
        "author": 200,
        "colleague": 200,
        "other_rep": 200,
        "moderator": 200,
    }


def test_writing_pages_per_persona(client, people):
    channel = published_channel(people["moderator"])
    create = reverse("channels:create")
    writers = {
        "anonymous": "login",
        "stranger": 403,
        "author": 200,
        "colleague": 200,
        "other_rep": 200,
        "moderator": 200,
    }
    assert _row(client, people, "GET", create) == writers
    assert _row(client, people, "GET", reverse("channels:experience_create", kwargs={"pk": channel.pk})) == writers
    # A correction is proposed by representatives; a moderator edits directly (edit sends others there).
    propose = reverse("channels:propose", kwargs={"pk": channel.pk})
    assert _row(client, people, "GET", propose) == {**writers, "moderator": 403}
    edit = reverse("channels:edit", kwargs={"pk": channel.pk})
    assert _row(client, people, "GET", edit) == {
        "anonymous": "login",
        "stranger": 403,
        "author": "redirect",
        "colleague": "redirect",
        "other_rep": "redirect",
        "moderator": 200,
    }
