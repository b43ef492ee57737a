"""The organisers' forms: multilingual fields, times in the event's zone, question keys."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from civicmeet.events.forms import EventForm, LocalizedField, QuestionFormSet
from civicmeet.events.services import questions_replace
from civicmeet.events.tests.factories import EventFactory


def test_localized_field_keeps_only_filled_languages():
    field = LocalizedField(required=True)
    assert field.clean(["  Spotkanie  ", "", "Meeting"]) == {"pl": "Spotkanie", "en": "Meeting"}


def test_localized_field_requires_at_least_one_language():
    field = LocalizedField(required=True)
    with pytest.raises(Exception, match="at least one language"):
        field.clean(["", " ", ""])
    assert LocalizedField(required=False).clean(["", "", ""]) == {}


@pytest.mark.django_db  # the form proposes a free address from the title
def test_localized_widget_reads_one_input_per_language():
    form = EventForm(data={"title_pl": "Spotkanie", "title_uk": "Зустріч", "title_en": ""})
    form.is_valid()
    assert form.cleaned_data["title"] == {"pl": "Spotkanie", "uk": "Зустріч"}


def event_form_data(**overrides):
    data = {
        "slug": "spotkanie",
        "title_pl": "Spotkanie sieciujące",
        "fallback_language": "pl",
        "timezone": "Europe/Warsaw",
        "starts_at": "2031-01-10T10:00",
        "ends_at": "2031-01-10T16:00",
        "registration_opens_at": "2030-12-01T09:00",
        "registration_closes_at": "2031-01-05T23:59",
        "capacity": "40",
        "safety_rule": "none",
        "vaccinated_after_days": "14",
        "recovered_within_months": "6",
        "tested_within_hours": "48",
        "test_kinds": ["pcr", "antigen"],
        "health_data_retention_days": "14",
        "personal_data_retention_days": "365",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Europe/Warsaw", datetime(2031, 1, 10, 9, 0, tzinfo=UTC)),
        ("Europe/Kyiv", datetime(2031, 1, 10, 8, 0, tzinfo=UTC)),
        ("America/New_York", datetime(2031, 1, 10, 15, 0, tzinfo=UTC)),
    ],
)
def test_event_form_reads_times_in_the_chosen_zone(zone, expected):
    form = EventForm(data=event_form_data(timezone=zone))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"] == expected
    assert form.event_data()["timezone"] == zone


@pytest.mark.django_db
def test_event_form_refuses_inconsistent_dates():
    form = EventForm(data=event_form_data(ends_at="2031-01-10T09:00", registration_closes_at="2030-11-01T10:00"))
    assert not form.is_valid()
    assert "ends_at" in form.errors
    assert "registration_closes_at" in form.errors


@pytest.mark.django_db
def test_event_form_refuses_a_deadline_after_the_event():
    form = EventForm(data=event_form_data(registration_closes_at="2031-01-11T10:00"))
    assert not form.is_valid()
    assert "registration_closes_at" in form.errors


@pytest.mark.django_db
def test_event_form_refuses_garbage_dates_and_unknown_zones():
    form = EventForm(data=event_form_data(starts_at="jutro", timezone="Mars/Olympus"))
    assert not form.is_valid()
    assert "starts_at" in form.errors
    assert "timezone" in form.errors


@pytest.mark.django_db
def test_event_form_for_an_existing_event_has_no_slug_and_local_initial_times():
    event = EventFactory(timezone="Europe/Kyiv", starts_at=datetime(2031, 6, 1, 7, 0, tzinfo=UTC))
    form = EventForm(event=event)
    assert "slug" not in form.fields
    assert form.initial["starts_at"] == datetime(2031, 6, 1, 10, 0)


def formset_data(rows, initial=0):
    data = {
        "questions-TOTAL_FORMS": str(len(rows)),
        "questions-INITIAL_FORMS": str(initial),
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"questions-{index}-{name}"] = value
    return data


@pytest.mark.django_db
def test_question_keys_come_from_labels_and_are_unique():
    event = EventFactory()
    formset = QuestionFormSet(
        formset_data(
            [
                {"label_uk": "Чи потрібен вам перекладач?", "kind": "yes_no"},
                {"label_pl": "Uwagi", "kind": "long_text"},
                {"label_pl": "Uwagi!", "kind": "short_text"},
                {"label_pl": "???", "kind": "short_text"},
            ]
        ),
        event=event,
        prefix="questions",
    )
    assert formset.is_valid(), formset.errors
    keys = [item["key"] for item in formset.questions_data()]
    assert keys == ["chy-potriben-vam-perekladach", "uwagi", "uwagi-2", "question"]


@pytest.mark.django_db
def test_new_question_never_takes_the_key_of_an_existing_one():
    event = EventFactory()
    questions_replace(event=event, questions=[{"key": "uwagi", "kind": "long_text", "label": {"pl": "Uwagi"}}])
    formset = QuestionFormSet(
        formset_data(
            [
                {"key": "uwagi", "label_pl": "Uwagi", "kind": "long_text", "DELETE": "on"},
                {"label_pl": "Uwagi", "kind": "short_text"},
            ],
            initial=1,
        ),
        event=event,
        prefix="questions",
    )
    assert formset.is_valid(), formset.errors
    assert [item["key"] for item in formset.questions_data()] == ["uwagi-2"]


@pytest.mark.django_db
def test_existing_question_form_shows_options_one_per_line():
    event = EventFactory()
    questions_replace(
        event=event,
        questions=[
            {
                "key": "warsztaty",
                "kind": "single_choice",
                "label": {"pl": "Warsztaty", "en": "Workshops"},
                "options": [
                    {"key": "idz", "label": {"pl": "IDZ", "en": "IDZ"}},
                    {"key": "komm", "label": {"pl": "KOMM"}},
                ],
            }
        ],
    )
    formset = QuestionFormSet(event=event, prefix="questions")
    # A missing translation shows the fallback text, so the lines still match across languages.
    assert formset.forms[0].initial["options"] == {"pl": "IDZ\nKOMM", "en": "IDZ\nKOMM"}
    assert len(formset.forms) == 2  # the question and one empty row (more are added in place)
