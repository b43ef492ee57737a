"""The event's history: every change through the services writes who, when and what; the page shows it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from civicmeet.accounts.models import TeamRole
from civicmeet.core.errors import DomainError
from civicmeet.events.models import EventAction, EventLogEntry
from civicmeet.events.services import (
    event_create,
    event_publish,
    event_unpublish,
    event_update,
    questions_replace,
    team_member_add,
    team_member_remove,
)
from civicmeet.events.tests.factories import EventFactory, OrganisationFactory, UserFactory
from civicmeet.registrations.services import guest_add
from civicmeet.registrations.tests.factories import registration_data

pytestmark = pytest.mark.django_db

QUESTION = {"key": "topic", "kind": "short_text", "label": {"pl": "Temat", "en": "Topic"}, "required": False}


def actions(event) -> list[str]:
    return list(EventLogEntry.objects.filter(event=event).order_by("created_at", "id").values_list("action", flat=True))


def latest(event) -> EventLogEntry:
    return EventLogEntry.objects.filter(event=event).order_by("-created_at", "-id").first()


def test_creating_an_event_records_who_created_it(organiser):
    event = event_create(
        creator=organiser,
        data={
            "slug": "spotkanie",
            "title": {"pl": "Spotkanie sieciujące"},
            "starts_at": EventFactory.build().starts_at,
            "ends_at": EventFactory.build().ends_at,
            "registration_opens_at": EventFactory.build().registration_opens_at,
            "registration_closes_at": EventFactory.build().registration_closes_at,
            "capacity": 40,
        },
    )
    entry = latest(event)
    assert (entry.action, entry.actor) == (EventAction.CREATED, organiser)


def test_a_change_records_each_changed_field_with_before_and_after(organiser, event):
    event_update(event=event, data={"capacity": 30, "venue": {"pl": "Kraków, ul. Krakowska 1"}}, actor=organiser)
    entry = latest(event)
    assert entry.action == EventAction.CHANGED
    assert entry.actor == organiser
    assert entry.changes["capacity"] == [40, 30]
    assert entry.changes["venue"] == [{"pl": "Kraków", "en": "Kraków"}, {"pl": "Kraków, ul. Krakowska 1"}]
    assert set(entry.changes) == {"capacity", "venue"}


def test_saving_without_a_change_records_nothing(organiser, event):
    event_update(event=event, data={"capacity": event.capacity}, actor=organiser)
    assert actions(event) == []


def test_a_refused_change_records_nothing_and_leaves_the_event_as_it_was(organiser, event):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        event_update(event=event, data={"ends_at": event.starts_at.replace(year=2000)}, actor=organiser)
    assert actions(event) == []
    event.refresh_from_db()
    assert event.ends_at > event.starts_at


def test_the_update_does_not_write_back_a_field_someone_else_changed_meanwhile(organiser, event):
    stale = type(event).objects.get(pk=event.pk)
    event_update(event=event, data={"capacity": 25}, actor=organiser)
    event_update(event=stale, data={"is_free": False}, actor=organiser)
    event.refresh_from_db()
    assert (event.capacity, event.is_free) == (25, False)


def test_the_address_cannot_change(organiser, event):
    with pytest.raises(DomainError):
        event_update(event=event, data={"slug": "inny-adres"}, actor=organiser)


def test_publishing_and_unpublishing_are_recorded_once_each(organiser):
    event = EventFactory(organisers=[organiser], is_published=False)
    event_publish(event=event, actor=organiser)
    event_publish(event=event, actor=organiser)  # already published: nothing new happened
    event_unpublish(event=event, actor=organiser)
    assert actions(event) == [EventAction.PUBLISHED, EventAction.UNPUBLISHED]


def test_questions_record_what_was_added_removed_and_changed(organiser, event):
    questions_replace(event=event, questions=[QUESTION], actor=organiser)
    assert latest(event).changes["added"] == ["topic"]
    changed = {**QUESTION, "required": True}
    questions_replace(event=event, questions=[changed, {**QUESTION, "key": "lunch"}], actor=organiser)
    entry = latest(event)
    assert (entry.changes["added"], entry.changes["changed"], entry.changes["removed"]) == (["lunch"], ["topic"], [])
    questions_replace(event=event, questions=[changed, {**QUESTION, "key": "lunch"}], actor=organiser)
    assert actions(event).count(EventAction.QUESTIONS_REPLACED) == 2


def test_team_changes_are_recorded(organiser, event):
    colleague = UserFactory(email="dawid@czulent.example.org")
    czulent = OrganisationFactory(name="Żydowskie Stowarzyszenie Czulent")
    member = team_member_add(event=event, email=colleague.email, role=TeamRole.DESK, actor=organiser)
    team_member_add(event=event, email=colleague.email, role=TeamRole.DESK, organisation=czulent, actor=organiser)
    team_member_remove(event=event, member=member, actor=organiser)
    entries = list(EventLogEntry.objects.filter(event=event).order_by("created_at", "id"))
    assert [entry.action for entry in entries] == [
        EventAction.MEMBER_ADDED,
        EventAction.MEMBER_CHANGED,
        EventAction.MEMBER_REMOVED,
    ]
    assert entries[0].changes == {"member": colleague.email, "role": [None, "desk"], "organisation": [None, None]}
    assert entries[1].changes == {"member": colleague.email, "organisation": [None, czulent.name]}


def test_a_refused_team_change_records_nothing(organiser, event):
    with pytest.raises(DomainError):
        team_member_add(event=event, email=organiser.email, role=TeamRole.DESK, actor=organiser)
    assert actions(event) == []


def test_adding_a_guest_is_in_the_event_history_without_their_name(organiser, event):
    guest = guest_add(event=event, data=registration_data(first_name="Katarzyna", last_name="Nowak"), actor=organiser)
    entry = latest(event)
    assert (entry.action, entry.changes) == (EventAction.GUEST_ADDED, {"registration": guest.pk})


def test_the_history_page_shows_who_changed_what(client, organiser, event):
    event_update(event=event, data={"capacity": 30, "title": {"pl": "Nowy tytuł"}}, actor=organiser)
    client.force_login(organiser)
    with translation.override("en"):
        response = client.get(reverse("events:history", kwargs={"slug": event.slug}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Event details changed" in body
    assert organiser.email in body
    assert "Capacity (seats): 40 → 30" in body
    assert "Title: changed (en, pl, uk)" in body


def test_the_history_page_is_for_the_event_team_only(client, outsider, event):
    client.force_login(outsider)
    with translation.override("en"):
        assert client.get(reverse("events:history", kwargs={"slug": event.slug})).status_code == 404
    client.logout()
    with translation.override("en"):
        response = client.get(reverse("events:history", kwargs={"slug": event.slug}))
    assert response.status_code == 302


def test_the_history_page_reads_a_fixed_number_of_queries(client, organiser, event, django_assert_max_num_queries):
    for capacity in range(20, 30):
        event_update(event=event, data={"capacity": capacity}, actor=organiser)
    client.force_login(organiser)
    with translation.override("en"), django_assert_max_num_queries(8):
        assert client.get(reverse("events:history", kwargs={"slug": event.slug})).status_code == 200
