"""The events admin shows events and writes nothing but through events.services."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from civicmeet.core.tests.test_admin import admin_url, assert_writes_refused, edit_form_data, row
from civicmeet.events.models import CustomQuestion, Event, QuestionKind, TeamAffiliation
from civicmeet.events.tests.factories import EventFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(event):
    return CustomQuestion.objects.create(
        event=event, key="topic", kind=QuestionKind.SHORT_TEXT, label={"en": "Your topic"}, position=1
    )


def _action(client, action: str, *events: Event):
    return client.post(
        admin_url(Event, "changelist"),
        {"action": action, "_selected_action": [event.pk for event in events], "index": 0},
        follow=True,
        headers={"accept-language": "en"},
    )


def test_changelist_and_view_page_show_the_event_its_team_and_questions(admin_client, event, organiser, question):
    listing = admin_client.get(admin_url(Event, "changelist"))
    assert listing.status_code == 200
    assert event.slug in listing.content.decode()

    page = admin_client.get(admin_url(event, "change", event.pk))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Networking meeting of minority and migrant organisations" in content
    assert organiser.email in content
    assert "Your topic" in content
    # A view, not a form: no field to type in and no save button.
    assert 'name="slug"' not in content
    assert 'name="_save"' not in content


def test_change_add_and_delete_pages_change_no_event(admin_client, event, question, monkeypatch):
    data = edit_form_data(admin_client, event, monkeypatch)
    data.update(slug=["renamed"], capacity=["1"], is_published=[])
    assert_writes_refused(admin_client, event, data)
    assert Event.objects.filter(pk=event.pk, slug=event.slug, capacity=40, is_published=True).exists()


def test_question_inline_cannot_be_posted(admin_client, event, question, monkeypatch):
    data = edit_form_data(admin_client, event, monkeypatch)
    prefix = next(name for name in data if name.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    data[f"{prefix}-0-label"] = ['{"en": "Changed"}']
    data[f"{prefix}-0-required"] = ["on"]
    data[f"{prefix}-0-DELETE"] = ["on"]
    data.update({f"{prefix}-TOTAL_FORMS": ["2"], f"{prefix}-1-key": ["added"], f"{prefix}-1-kind": ["yes_no"]})
    data[f"{prefix}-1-label"] = ['{"en": "Added"}']
    data[f"{prefix}-1-position"] = ["2"]
    before = row(question)
    assert admin_client.post(admin_url(event, "change", event.pk), data).status_code == 403
    assert row(question) == before
    assert list(event.questions.values_list("key", flat=True)) == ["topic"]


def test_publish_action_publishes_through_the_service(admin_client, organiser):
    draft = EventFactory(organisers=[organiser], is_published=False)
    response = _action(admin_client, "publish", draft)
    assert response.status_code == 200
    assert "1 event published." in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_published


def test_publish_action_keeps_the_services_guard_and_says_why(admin_client, organiser):
    untitled = EventFactory(organisers=[organiser], is_published=False, title={}, slug="untitled-meeting")
    ready = EventFactory(organisers=[organiser], is_published=False)
    response = _action(admin_client, "publish", untitled, ready)
    content = response.content.decode()
    assert "untitled-meeting: Give the event a title before publishing it." in content
    assert "1 event published." in content
    assert not Event.objects.get(pk=untitled.pk).is_published
    assert Event.objects.get(pk=ready.pk).is_published


def test_unpublish_action_unpublishes_through_the_service(admin_client, event):
    response = _action(admin_client, "unpublish", event)
    assert "1 event unpublished." in response.content.decode()
    event.refresh_from_db()
    assert not event.is_published


def test_actions_call_the_services_with_the_administrator_as_actor(admin_client, admin_user, event, monkeypatch):
    from civicmeet.events import admin as events_admin

    calls = []
    monkeypatch.setattr(events_admin, "event_unpublish", lambda **kwargs: calls.append(kwargs))
    _action(admin_client, "unpublish", event)
    assert calls == [{"event": event, "actor": admin_user}]


def test_staff_who_may_only_view_are_not_offered_the_actions(client, event):
    viewer = UserFactory(email="viewer@example.org", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_event"))
    client.force_login(viewer)
    listing = client.get(admin_url(Event, "changelist"))
    assert listing.status_code == 200
    assert 'value="unpublish"' not in listing.content.decode()
    _action(client, "unpublish", event)
    assert Event.objects.get(pk=event.pk).is_published


def test_team_affiliation_is_shown_and_not_changed(admin_client, event, organiser, monkeypatch):
    member = event.team.members.get(user=organiser)
    affiliation = TeamAffiliation.objects.create(member=member, organisation=OrganisationFactory(name="Czulent"))
    assert "Czulent" in admin_client.get(admin_url(TeamAffiliation, "changelist")).content.decode()
    assert admin_client.get(admin_url(affiliation, "change", affiliation.pk)).status_code == 200
    assert "Czulent" in admin_client.get(admin_url(event, "change", event.pk)).content.decode()
    data = edit_form_data(admin_client, affiliation, monkeypatch)
    data["organisation"] = [str(OrganisationFactory(name="Zustricz").pk)]
    assert_writes_refused(admin_client, affiliation, data)
