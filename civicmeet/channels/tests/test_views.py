"""The channels' pages: who sees what, forms with bad input in pl/uk, the moderators' queue, query counts."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation

from civicmeet.channels import services
from civicmeet.channels.models import Channel, GoodPractice, ItemStatus, Revision, RevisionAction
from civicmeet.events.tests.factories import OrganisationFactory, UserFactory
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.organisations.models import OrganisationStatus
from civicmeet.organisations.profile_sections import profile_sections
from civicmeet.organisations.selectors import organisation_slug

from .factories import channel_data, experience_data, moderator, practice_data, published_channel, representative

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"channels:{name}", kwargs=kwargs or None)


@pytest.fixture
def mod():
    return moderator()


@pytest.fixture
def rep():
    return representative()


def _form_post(data: dict) -> dict:
    """A channel's data as the form sends it (lists as repeated keys, booleans as 'on')."""
    body: dict = {}
    for key, value in data.items():
        if isinstance(value, bool):
            if value:
                body[key] = "on"
        else:
            body[key] = value
    return body


# -- Lists and pages --------------------------------------------------------------------------


def test_the_list_shows_published_channels_only_and_filters(client, mod, rep):
    user, organisation = rep
    published_channel(mod)
    published_channel(
        mod,
        name="Urząd Miasta Krakowa",
        department="Wydział Polityki Społecznej i Zdrowia",
        languages=["pl"],
        topics=["social"],
        region="malopolskie",
    )
    published_channel(
        mod, name="Urząd Miasta Rzeszowa", department="", region="podkarpackie", city="Rzeszów", languages=["pl"]
    )
    services.channel_create(actor=user, organisation=organisation, data=channel_data(name="Szkic urzędu"))
    page = client.get(url("list")).content.decode()
    assert "Urząd Miasta Krakowa" in page and "Małopolski Urząd Wojewódzki" in page
    assert "Szkic urzędu" not in page
    page = client.get(url("list"), {"region": "podkarpackie"}).content.decode()
    assert "Rzeszowa" in page and "Urząd Miasta Krakowa" not in page
    page = client.get(url("list"), {"language_help": "on"}).content.decode()
    assert "Małopolski Urząd Wojewódzki" in page and "Urząd Miasta Krakowa" not in page
    page = client.get(url("list"), {"topic": "social"}).content.decode()
    assert "Urząd Miasta Krakowa" in page and "Małopolski Urząd Wojewódzki" not in page
    page = client.get(url("list"), {"city": "rzeszów"}).content.decode()
    assert "Rzeszowa" in page and "Małopolski" not in page
    assert client.get(url("list"), {"region": "atlantis"}).status_code == 200  # a wrong filter is ignored


def test_the_lists_cost_the_same_queries_for_many_items(client, django_assert_max_num_queries, mod, rep):
    user, organisation = rep
    for number in range(30):
        channel = published_channel(mod, name=f"Urząd {number}")
        practice = services.good_practice_create(
            actor=user, organisation=organisation, data=practice_data(title=f"Praktyka {number}", channels=[channel])
        )
        services.item_publish(item=practice, actor=mod)
    client.force_login(user)
    with django_assert_max_num_queries(8):
        assert client.get(url("list")).status_code == 200
    with django_assert_max_num_queries(9):
        response = client.get(url("practice_list"))
    assert response.status_code == 200 and "Praktyka 29" in response.content.decode()


def test_the_channel_page_cost_does_not_grow_with_experiences(client, django_assert_max_num_queries, mod):
    channel = published_channel(mod)
    for number in range(15):
        user, organisation = representative(
            OrganisationFactory(name=f"Stowarzyszenie {number}"), email=f"r{number}@example.org"
        )
        experience = services.experience_create(
            channel=channel, actor=user, organisation=organisation, data=experience_data(text=f"Doświadczenie {number}")
        )
        services.item_submit(item=experience, actor=user)
        services.item_publish(item=experience, actor=mod)
    with django_assert_max_num_queries(6):
        page = client.get(url("detail", pk=channel.pk)).content.decode()
    assert "Doświadczenie 14" in page and "Stowarzyszenie 3" in page


def test_a_draft_is_not_found_by_others_and_shown_to_its_author(client, rep):
    user, organisation = rep
    channel = services.channel_create(actor=user, organisation=organisation, data=channel_data())
    assert client.get(url("detail", pk=channel.pk)).status_code == 404
    client.force_login(UserFactory(email="nobody@example.org"))
    assert client.get(url("detail", pk=channel.pk)).status_code == 404
    assert client.get(url("history", kind="channel", pk=channel.pk)).status_code == 404
    client.force_login(user)
    page = client.get(url("detail", pk=channel.pk)).content.decode()
    assert "Submit for review" in page and 'data-status="draft"' in page


def test_members_only_channel_is_hidden_from_the_public(client, mod, rep):
    channel = published_channel(mod, visibility="members")
    assert client.get(url("detail", pk=channel.pk)).status_code == 404
    assert channel.name not in client.get(url("list")).content.decode()
    client.force_login(rep[0])
    assert client.get(url("detail", pk=channel.pk)).status_code == 200


# -- Writing ------------------------------------------------------------------------------------


def test_writing_needs_a_login_and_a_representative(client):
    response = client.get(url("create"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory(email="nobody@example.org"))
    response = client.get(url("create"))
    assert response.status_code == 403 and "approved representatives" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "contact_error", "required_error"),
    [
        ("pl", "Podaj, jak dotrzeć do urzędu", "To pole jest wymagane."),
        ("uk", "Вкажіть, як зв’язатися з установою", "Це поле обов’язкове."),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_kept(client, rep, language, contact_error, required_error):
    user, organisation = rep
    client.force_login(user)
    data = channel_data(name="", address="", phone="", email="not-an-email", website="", department="Wydział X")
    body = _form_post({**data, "organisation": organisation.pk, "submit": "1"})
    response = client.post(url("create", language), body)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert 'id="id_name_error"' in page and required_error in page
    assert 'id="id_address_error"' in page and contact_error in page
    assert 'id="id_email_error"' in page
    assert 'value="Wydział X"' in page  # what was typed is kept
    assert not Channel.objects.exists()


def test_a_representative_proposes_a_channel_and_a_moderator_publishes_it(client, rep, mod, run_on_commit):
    user, organisation = rep
    client.force_login(user)
    body = _form_post({**channel_data(), "organisation": organisation.pk, "submit": "1"})
    response = client.post(url("create", "uk"), body)
    channel = Channel.objects.get()
    assert response.status_code == 302 and response["Location"] == url("detail", "uk", pk=channel.pk)
    assert channel.status == ItemStatus.SUBMITTED and channel.author == user and channel.organisation == organisation
    # The representative cannot open the queue nor publish.
    assert client.get(url("review")).status_code == 404
    assert client.post(url("review_item", kind="channel", pk=channel.pk), {"decision": "publish"}).status_code == 404
    channel.refresh_from_db()
    assert channel.status == ItemStatus.SUBMITTED
    client.force_login(mod)
    queue = client.get(url("review")).content.decode()
    assert url("review_item", kind="channel", pk=channel.pk) in queue
    # Sending back without a comment: the error is next to the comment field.
    page = client.post(url("review_item", kind="channel", pk=channel.pk), {"decision": "send_back"}).content.decode()
    assert 'id="id_comment_error"' in page
    with run_on_commit():
        response = client.post(
            url("review_item", kind="channel", pk=channel.pk), {"decision": "publish", "comment": ""}
        )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert channel.status == ItemStatus.PUBLISHED
    assert OutgoingEmail.objects.filter(kind="channels_item_published", to=user.email, language="uk").exists()
    client.logout()
    assert channel.name in client.get(url("list")).content.decode()


def test_a_representative_editing_a_published_channel_is_sent_to_propose(client, rep, mod):
    channel = published_channel(mod)
    user, organisation = rep
    client.force_login(user)
    response = client.get(url("edit", pk=channel.pk))
    assert response.status_code == 302 and response["Location"] == url("propose", pk=channel.pk)
    body = _form_post(
        {**channel_data(opening_hours="pon.–pt. 7:30–15:30"), "organisation": organisation.pk, "note": "Nowe godziny"}
    )
    assert client.post(url("propose", pk=channel.pk), body).status_code == 302
    proposal = channel.proposals.get()
    assert proposal.status == ItemStatus.SUBMITTED and proposal.changes == {"opening_hours": "pon.–pt. 7:30–15:30"}
    client.force_login(mod)
    page = client.get(url("review_item", kind="proposal", pk=proposal.pk)).content.decode()
    assert "pon.–pt. 7:30–15:30" in page and "pon. 10–18, wt.–pt. 8–15" in page


def test_experience_and_good_practice_forms(client, rep, mod):
    channel = published_channel(mod)
    user, organisation = rep
    client.force_login(user)
    response = client.post(
        url("experience_create", pk=channel.pk),
        {"organisation": organisation.pk, "text": "", "language": "pl", "visibility": "public"},
    )
    assert (
        response.status_code == 200
        and 'id="id_text_error"' in response.content.decode()
        and 'id="id_helpful_error"' in response.content.decode()
    )
    response = client.post(
        url("experience_create", pk=channel.pk),
        {
            "organisation": organisation.pk,
            "text": "Pomogli.",
            "helpful": "helpful",
            "language": "pl",
            "visibility": "public",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    assert channel.experiences.get().status == ItemStatus.SUBMITTED
    response = client.post(
        url("practice_create"),
        {
            "organisation": organisation.pk,
            "title": "Dyżur",
            "text": "Raz w miesiącu.",
            "channels": [channel.pk],
            "language": "pl",
            "visibility": "public",
            "draft": "1",
        },
    )
    practice = GoodPractice.objects.get()
    assert (
        response.status_code == 302
        and practice.status == ItemStatus.DRAFT
        and list(practice.channels.all()) == [channel]
    )
    page = client.get(url("mine")).content.decode()
    assert "Dyżur" in page and channel.name in page


def test_action_routes_are_post_only_and_check_the_person(client, rep, mod):
    user, organisation = rep
    channel = services.channel_create(actor=user, organisation=organisation, data=channel_data())
    client.force_login(user)
    assert client.get(url("act", kind="channel", pk=channel.pk, action="submit")).status_code == 405
    assert client.post(url("act", kind="channel", pk=channel.pk, action="submit")).status_code == 302
    channel.refresh_from_db()
    assert channel.status == ItemStatus.SUBMITTED
    # The author cannot archive; a stranger cannot even see it.
    client.post(url("act", kind="channel", pk=channel.pk, action="archive"))
    channel.refresh_from_db()
    assert channel.status == ItemStatus.SUBMITTED
    client.force_login(UserFactory(email="nobody@example.org"))
    assert client.post(url("act", kind="channel", pk=channel.pk, action="withdraw")).status_code == 404
    assert client.post(url("act", kind="castle", pk=channel.pk, action="submit")).status_code == 404


def test_the_history_page_shows_each_change_and_the_comment(client, rep, mod):
    user, organisation = rep
    channel = services.channel_create(actor=user, organisation=organisation, data=channel_data(), submit=True)
    services.item_send_back(item=channel, actor=mod, comment="Brakuje godzin w sobotę.")
    services.channel_update(channel=channel, actor=user, data={"opening_hours": "sob. 9–13"}, submit=True)
    services.item_publish(item=channel, actor=mod)
    assert Revision.objects.filter(channel=channel).count() == 6
    page = client.get(url("history", pk=channel.pk, kind="channel")).content.decode()
    assert "Brakuje godzin w sobotę." in page
    assert "pon. 10–18, wt.–pt. 8–15 → sob. 9–13" in page
    assert str(RevisionAction.RETURNED.label) in page
    assert mod.email not in page  # the public does not see who
    client.force_login(mod)
    assert mod.email in client.get(url("history", pk=channel.pk, kind="channel")).content.decode()


def test_the_profile_section_lists_published_experiences(mod, rep):
    user, organisation = rep
    channel = published_channel(mod)
    experience = services.experience_create(
        channel=channel, actor=user, organisation=organisation, data=experience_data(), submit=True
    )
    anonymous = AnonymousUser()
    assert [section.key for section, _c in profile_sections(organisation, anonymous)].count("channel_experience") == 0
    services.item_publish(item=experience, actor=mod)
    sections = dict((section.key, context) for section, context in profile_sections(organisation, anonymous))
    assert sections["channel_experience"]["experiences"] == [experience]


def test_the_profile_page_shows_the_section(client, mod, rep):
    user, organisation = rep
    organisation.status = OrganisationStatus.PUBLISHED
    organisation.save()
    channel = published_channel(mod)
    experience = services.experience_create(
        channel=channel, actor=user, organisation=organisation, data=experience_data(), submit=True
    )
    services.item_publish(item=experience, actor=mod)
    page = client.get(
        reverse("directory:organisation", kwargs={"pk": organisation.pk, "slug": organisation_slug(organisation)})
    ).content.decode()
    assert "Our experience with offices" in page and "urzędniczka pomogła" in page
