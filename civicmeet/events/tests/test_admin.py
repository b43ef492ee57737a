"""The events admin shows events and writes nothing but through events.services."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from civicmeet.core.tests.test_admin import admin_url, assert_writes_refused, edit_form_data, row
from civicmeet.events.models import CustomQuestion, Event, EventAction, EventLogEntry, QuestionKind, TeamAffiliation
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


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


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
    prefix = "questions"
    assert f"{prefix}-TOTAL_FORMS" in data
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


def test_history_inline_cannot_be_posted(admin_client, admin_user, event, monkeypatch):
    from civicmeet.events.services import event_unpublish

    event_unpublish(event=event, actor=admin_user)
    entry = EventLogEntry.objects.get(event=event)
    data = edit_form_data(admin_client, event, monkeypatch)
    prefix = "log_entries"
    assert f"{prefix}-TOTAL_FORMS" in data
    data.update({f"{prefix}-0-DELETE": ["on"], f"{prefix}-TOTAL_FORMS": ["2"], f"{prefix}-1-action": ["invented"]})
    before = row(entry)
    assert admin_client.post(admin_url(event, "change", event.pk), data).status_code == 403
    assert row(entry) == before
    assert EventLogEntry.objects.filter(event=event).count() == 1


def test_publish_action_publishes_through_the_service_which_writes_the_history(admin_client, admin_user, organiser):
    draft = EventFactory(organisers=[organiser], is_published=False)
    response = _action(admin_client, "publish", draft)
    assert response.status_code == 200
    assert _messages(response) == ["1 event published."]
    draft.refresh_from_db()
    assert draft.is_published
    assert list(EventLogEntry.objects.filter(event=draft).values_list("action", "actor")) == [
        (EventAction.PUBLISHED, admin_user.pk)
    ]
    assert "events.event.published" in admin_client.get(admin_url(draft, "change", draft.pk)).content.decode()


def test_publish_action_keeps_the_services_guard_and_says_why(admin_client, organiser):
    untitled = EventFactory(organisers=[organiser], is_published=False, title={}, slug="untitled-meeting")
    ready = EventFactory(organisers=[organiser], is_published=False)
    response = _action(admin_client, "publish", untitled, ready)
    assert _messages(response) == [
        "untitled-meeting: Give the event a title before publishing it.",
        "1 event published.",
    ]
    assert not Event.objects.get(pk=untitled.pk).is_published
    assert not EventLogEntry.objects.filter(event=untitled).exists()
    assert Event.objects.get(pk=ready.pk).is_published


def test_unpublish_action_unpublishes_through_the_service_which_writes_the_history(admin_client, admin_user, event):
    response = _action(admin_client, "unpublish", event)
    assert _messages(response) == ["1 event unpublished."]
    event.refresh_from_db()
    assert not event.is_published
    assert list(EventLogEntry.objects.filter(event=event).values_list("action", "actor")) == [
        (EventAction.UNPUBLISHED, admin_user.pk)
    ]


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
