"""The catering summary and the event's own lunch question ("Will you take part in the working lunch?")."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from civicmeet.events.services import questions_replace
from civicmeet.registrations.models import Dietary
from civicmeet.registrations.selectors import catering_question, catering_summary
from civicmeet.registrations.services import guest_add, registration_decide

from .factories import registration_data, submit

pytestmark = pytest.mark.django_db

LUNCH = {
    "key": "lunch",
    "kind": "yes_no",
    "label": {
        "pl": "Czy weźmiesz udział w obiedzie roboczym?",
        "uk": "Чи візьмете ви участь у робочому обіді?",
        "en": "Will you take part in the working lunch?",
    },
    "counts_for_catering": True,
}
TOPIC = {"key": "topic", "kind": "short_text", "label": {"en": "A topic"}}


@pytest.fixture
def lunch_event(event):
    questions_replace(event=event, questions=[TOPIC, LUNCH])
    return event


def accepted(event, organiser, **overrides):
    registration = submit(event, **overrides)
    registration_decide(registration=registration, decision="accept", actor=organiser)
    return registration


def test_without_a_lunch_question_everyone_accepted_eats(organiser, event):
    questions_replace(event=event, questions=[TOPIC, {**LUNCH, "counts_for_catering": False}])
    accepted(event, organiser, dietary=Dietary.VEGAN, answers={"lunch": False})
    accepted(event, organiser, dietary=Dietary.VEGAN)

    summary = catering_summary(event=event)

    assert summary.lunch is None
    assert summary.totals["accepted"] == 2
    assert summary.diets[Dietary.VEGAN]["accepted"] == 2


def test_lunch_question_counts_only_those_who_said_yes(organiser, lunch_event, django_assert_max_num_queries):
    event = lunch_event
    accepted(event, organiser, dietary=Dietary.VEGAN, answers={"lunch": True})
    accepted(event, organiser, dietary=Dietary.KOSHER, answers={"lunch": True, "topic": "Granty"})
    accepted(event, organiser, dietary=Dietary.KOSHER, answers={"lunch": False})
    accepted(event, organiser, dietary=Dietary.OTHER, dietary_details="Nut allergy", answers={"lunch": False})
    accepted(event, organiser, dietary=Dietary.HALAL)  # registered before the question was asked
    accepted(event, organiser, dietary=Dietary.OTHER, dietary_details="No gluten", answers={"lunch": True})
    submit(event, dietary=Dietary.VEGAN, answers={"lunch": True})  # not yet decided
    submit(event, dietary=Dietary.VEGAN, answers={"lunch": False})

    with django_assert_max_num_queries(3):
        summary = catering_summary(event=event)

    assert summary.people["accepted"] == 6
    assert summary.totals == {"accepted": 3, "guests": 0, "active": 4}
    assert summary.diets[Dietary.VEGAN] == {"accepted": 1, "guests": 0, "active": 2}
    assert summary.diets[Dietary.KOSHER] == {"accepted": 1, "guests": 0, "active": 1}
    assert summary.diets[Dietary.HALAL] == {"accepted": 0, "guests": 0, "active": 0}
    assert summary.diets[Dietary.OTHER] == {"accepted": 1, "guests": 0, "active": 1}
    assert summary.lunch is not None and summary.lunch.question.key == "lunch"
    assert summary.lunch.yes == {"accepted": 3, "guests": 0, "active": 4}
    assert summary.lunch.no == {"accepted": 2, "guests": 0, "active": 3}
    assert summary.lunch.unanswered == {"accepted": 1, "guests": 0, "active": 1}
    # Allergies are for the kitchen: only of the people who eat.
    assert [note.text for note in summary.diet_notes] == ["No gluten"]


def test_guests_eat_unless_they_said_no(organiser, lunch_event):
    """Organisers add guests (the city office at the working lunch); they fill in no form."""
    event = lunch_event
    guest_add(event=event, data=registration_data(dietary=Dietary.HALAL, email="city@krakow.example"), actor=organiser)
    guest_add(
        event=event,
        data=registration_data(dietary=Dietary.VEGAN, email="away@krakow.example", answers={"lunch": False}),
        actor=organiser,
    )

    summary = catering_summary(event=event)

    assert summary.totals["guests"] == 1
    assert summary.diets[Dietary.HALAL]["guests"] == 1
    assert summary.diets[Dietary.VEGAN]["guests"] == 0
    assert summary.lunch is not None
    assert (summary.lunch.no["guests"], summary.lunch.unanswered["guests"]) == (1, 1)


def test_lunch_answers_leave_accessibility_and_interpreting_counts_alone(organiser, lunch_event):
    accepted(
        lunch_event, organiser, accessibility_needs="Wheelchair", interpreting_needs="PJM", answers={"lunch": False}
    )

    summary = catering_summary(event=lunch_event)

    assert summary.accessibility["accepted"] == summary.interpreting["accepted"] == 1
    assert [note.text for note in summary.accessibility_notes] == ["Wheelchair"]


def test_catering_question_is_the_first_yes_no_one_that_counts(event):
    questions_replace(
        event=event,
        questions=[
            {**TOPIC, "counts_for_catering": True},  # not a yes/no question: cannot say who eats
            {**LUNCH, "key": "dinner"},
            LUNCH,
        ],
    )
    question = catering_question(event=event)
    assert question is not None and question.key == "dinner"


def test_query_count_does_not_grow_with_registrations(organiser, lunch_event, django_assert_max_num_queries):
    for n in range(30):
        accepted(
            lunch_event, organiser, dietary=Dietary.OTHER, dietary_details=f"Allergy {n}", answers={"lunch": n % 2 == 0}
        )
    with django_assert_max_num_queries(3):
        summary = catering_summary(event=lunch_event)
    assert summary.totals["accepted"] == 15
    assert len(summary.diet_notes) == 15


def test_catering_page_shows_who_answered_the_lunch_question(client, organiser, lunch_event):
    accepted(lunch_event, organiser, dietary=Dietary.VEGAN, answers={"lunch": True})
    accepted(lunch_event, organiser, answers={"lunch": False})
    accepted(lunch_event, organiser)
    client.force_login(organiser)
    with translation.override("en"):
        address = reverse("registrations:catering", kwargs={"slug": lunch_event.slug})

    html = client.get(address).content.decode()

    assert "Will you take part in the working lunch?" in html
    assert 'id="lunch-answers"' in html
    assert 'data-label="Accepted participants">1</td>' in html.split('id="lunch-yes"')[1].split("</tr>")[0]
    assert 'data-label="Accepted participants">1</td>' in html.split('id="lunch-no"')[1].split("</tr>")[0]
    assert 'data-label="Accepted participants">1</td>' in html.split('id="lunch-unanswered"')[1].split("</tr>")[0]


def test_catering_page_without_a_lunch_question_says_everyone_counts(client, organiser, event):
    client.force_login(organiser)
    with translation.override("en"):
        address = reverse("registrations:catering", kwargs={"slug": event.slug})
    html = client.get(address).content.decode()
    assert 'id="lunch-answers"' not in html
    assert "as counting for catering" in html and 'id="lunch-none"' in html
