""" "Are you still coming?": asked once, N days before; GET only shows, the POST answers; "no" frees the seat."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from civicmeet.events.tests.factories import EventFactory
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.registrations.models import LogEntry, OfferState, Reconfirmation, SeatOffer, State
from civicmeet.registrations.personal_link import PERSONAL_PAGE_REFERRER_POLICY
from civicmeet.registrations.reconfirmation import (
    ReconfirmationError,
    reconfirmation_answer,
    reconfirmation_by_token,
    reconfirmation_summary,
    reconfirmations_send,
)

from .before_factories import accepted, reconfirm_token, waitlisted


@pytest.fixture
def soon(organiser):
    """An event in 14 days that asks 3 days before; two accepted, one waiting."""
    event = EventFactory(organisers=[organiser], capacity=2, reconfirm_days_before=3, offers_automatic=True)
    people = [accepted(event, organiser, language=language) for language in ("pl", "uk")]
    waiting = waitlisted(event, organiser, language="en")
    return event, people, waiting


def _due(event):
    return event.starts_at - timedelta(days=3) + timedelta(minutes=1)


def test_nothing_is_asked_before_its_day_nor_for_an_event_without_it(soon, organiser):
    event, people, waiting = soon
    starts = timezone.now() + timedelta(days=2)
    other = EventFactory(organisers=[organiser], starts_at=starts, registration_closes_at=starts - timedelta(hours=1))
    accepted(other, organiser)
    assert reconfirmations_send() == 0
    assert Reconfirmation.objects.count() == 0


def test_accepted_participants_are_asked_once_in_their_language(soon):
    event, people, waiting = soon
    with time_machine.travel(_due(event), tick=False):
        assert reconfirmations_send() == 2
        assert reconfirmations_send() == 0  # a second run (another worker, a restart) asks no one again
    emails = OutgoingEmail.objects.filter(kind="reconfirm").order_by("id")
    assert [(e.to, e.language) for e in emails] == [(p.email, p.language) for p in people]
    assert "Czy nadal" in emails[0].subject
    assert "Ви досі плануєте прийти?" in emails[1].subject
    assert not OutgoingEmail.objects.filter(kind="reconfirm", to=waiting.email).exists()


def test_yes_is_recorded_and_safe_to_click_twice(soon):
    event, people, waiting = soon
    with time_machine.travel(_due(event), tick=False):
        reconfirmations_send()
        answer = reconfirmation_by_token(reconfirm_token(people[0]))
        assert reconfirmation_answer(reconfirmation=answer, answer="yes").changed is True
        assert reconfirmation_answer(reconfirmation=answer, answer="yes").changed is False
    people[0].refresh_from_db()
    assert people[0].state == State.ACCEPTED
    assert LogEntry.objects.filter(registration=people[0], action="registrations.reconfirmation.yes").count() == 1


def test_no_cancels_frees_the_seat_and_offers_it(soon):
    event, people, waiting = soon
    with time_machine.travel(_due(event), tick=False):
        reconfirmations_send()
        answer = reconfirmation_by_token(reconfirm_token(people[1]))
        reconfirmation_answer(reconfirmation=answer, answer="yes")
        assert reconfirmation_answer(reconfirmation=answer, answer="no").changed is True
        assert reconfirmation_answer(reconfirmation=answer, answer="no").changed is False
        with pytest.raises(ReconfirmationError):
            reconfirmation_answer(reconfirmation=answer, answer="yes")
    people[1].refresh_from_db()
    assert people[1].state == State.CANCELLED
    assert people[1].log.filter(action="registrations.registration.cancelled", actor_kind="participant").count() == 1
    assert SeatOffer.objects.get(registration=waiting).state == OfferState.PENDING
    summary = reconfirmation_summary(event)
    assert summary.no == [people[1]] and summary.unanswered == [people[0]] and summary.yes == []


def test_opening_the_link_answers_nothing_the_post_does(client, soon):
    event, people, waiting = soon
    with time_machine.travel(_due(event), tick=True):
        reconfirmations_send()
        token = reconfirm_token(people[0])
        url = reverse("registrations:reconfirm", kwargs={"token": token})
        for _ in range(3):  # a mail scanner following the link, then the person
            response = client.get(url)
            assert response.status_code == 200
            assert b'value="no"' in response.content and b'value="yes"' in response.content
        assert response.headers["Referrer-Policy"] == PERSONAL_PAGE_REFERRER_POLICY
        people[0].refresh_from_db()
        assert people[0].state == State.ACCEPTED
        response = client.post(url, {"answer": "no"})
        assert response.status_code == 302
        people[0].refresh_from_db()
        assert people[0].state == State.CANCELLED
        page = client.get(url)
        assert b'data-answer="no"' in page.content and b'value="yes"' not in page.content
        assert client.post(url, {"answer": "no"}).status_code == 302  # twice: no error
        assert client.post(url, {"answer": "maybe"}).status_code == 302
    assert client.get(reverse("registrations:reconfirm", kwargs={"token": "x" * 43})).status_code == 404


def test_the_organisers_page_shows_who_answered_what(client, soon, organiser, django_assert_max_num_queries):
    event, people, waiting = soon
    with time_machine.travel(_due(event), tick=True):
        reconfirmations_send()
        reconfirmation_answer(reconfirmation=people[0].reconfirmation, answer="yes")
        client.force_login(organiser)
        url = reverse("registrations:before_the_day", kwargs={"slug": event.slug})
        with django_assert_max_num_queries(20):
            response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    yes_block = text[text.index('id="answered-yes"') : text.index('id="not-answered"')]
    assert people[0].last_name in yes_block and people[1].last_name not in yes_block
    assert people[1].last_name in text[text.index('id="not-answered"') :]


def test_the_registrations_history_names_the_answers_for_organisers(client, soon, organiser):
    event, people, waiting = soon
    with time_machine.travel(_due(event), tick=True):
        reconfirmations_send()
        reconfirmation_answer(reconfirmation=people[0].reconfirmation, answer="yes")
    client.force_login(organiser)
    response = client.get(reverse("registrations:detail", kwargs={"slug": event.slug, "pk": people[0].pk}))
    text = response.content.decode()
    assert "Asked whether they are still coming" in text and "Answered: still coming" in text
    assert "Answers changed" not in text
