"""An event's custom questions through the API: read, replace, and checked as the questions page checks them."""

from __future__ import annotations

import pytest

from civicmeet.events import forms, questions
from civicmeet.events.models import CustomQuestion, Event
from civicmeet.events.services import questions_replace

pytestmark = pytest.mark.django_db

WORKSHOPS = {
    "key": "workshops",
    "kind": "multiple_choice",
    "label": {"pl": "Które warsztaty?", "uk": "Які майстер-класи?", "en": "Which workshops?"},
    "required": True,
    "options": [
        {"key": "idz", "label": {"pl": "Idź, informuj, działaj", "en": "Go, inform, act"}},
        {"key": "komm", "label": {"pl": "KOMM"}},
    ],
}
INTERPRETER = {
    "key": "interpreter",
    "kind": "yes_no",
    "label": {"en": "Do you need an interpreter?"},
    "required": False,
}


def _url(event) -> str:
    return f"/api/v1/manage/events/{event.slug}/questions"


def _errors(response) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in response.json()["detail"]]


def _stored(event) -> list[tuple]:
    return list(CustomQuestion.objects.filter(event=event).values_list("position", "key", "kind", "label", "options"))


def test_an_event_without_questions_has_an_empty_list(organiser_client, event):
    response = organiser_client.get(_url(event))
    assert response.status_code == 200
    assert response.json() == {"questions": []}


def test_put_replaces_the_questions_in_the_order_sent(organiser_client, event):
    response = organiser_client.put(_url(event), {"questions": [WORKSHOPS, INTERPRETER]})
    assert response.status_code == 200, response.content
    expected = [
        {**WORKSHOPS, "counts_for_catering": False},
        {**INTERPRETER, "options": [], "counts_for_catering": False},
    ]
    assert response.json() == {"questions": expected}
    assert organiser_client.get(_url(event)).json() == {"questions": expected}
    assert [(q.key, q.position) for q in event.questions.all()] == [("workshops", 0), ("interpreter", 1)]

    response = organiser_client.put(_url(event), {"questions": [INTERPRETER]})
    assert [q["key"] for q in response.json()["questions"]] == ["interpreter"]
    assert [q.key for q in event.questions.all()] == ["interpreter"]


def test_put_of_an_empty_list_removes_every_question(organiser_client, event):
    questions_replace(event=event, questions=[INTERPRETER])
    assert organiser_client.put(_url(event), {"questions": []}).json() == {"questions": []}
    assert not event.questions.exists()


def test_texts_are_trimmed_and_empty_translations_dropped(organiser_client, event):
    question = {**INTERPRETER, "label": {"pl": "  Tłumacz?  ", "uk": "   ", "en": ""}}
    response = organiser_client.put(_url(event), {"questions": [question]})
    assert response.status_code == 200
    assert response.json()["questions"][0]["label"] == {"pl": "Tłumacz?"}


def test_the_registration_form_asks_the_new_questions(organiser_client, api_client, event, registration_body):
    organiser_client.put(_url(event), {"questions": [WORKSHOPS]})
    register = f"/api/v1/events/{event.slug}/registrations"
    missing = api_client.post(register, registration_body())
    assert missing.status_code == 422
    assert ("answers.workshops", "required") in _errors(missing)
    response = api_client.post(register, registration_body(answers={"workshops": ["komm"]}))
    assert response.status_code == 201, response.content


def test_questions_made_on_the_questions_page_come_back_unchanged_through_get_and_put(organiser_client, event):
    """What the organisers' page stores (keys made from labels, options from lines) is valid here."""
    rows = [
        {"label_pl": "Czy potrzebujesz tłumacza?", "label_en": "Do you need an interpreter?", "kind": "yes_no"},
        {
            "label_pl": "Które warsztaty?",
            "label_uk": "Які майстер-класи?",
            "kind": "single_choice",
            "required": "on",
            "options_pl": "IDZ\n" + "Długa nazwa warsztatu " * 20 + "\nKOMM",
            "options_uk": "ІДЗ\nДовга назва\nКОММ",
        },
    ]
    data = {"questions-TOTAL_FORMS": str(len(rows)), "questions-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for name, value in {"kind": "short_text", "ORDER": str(index + 1), **row}.items():
            data[f"questions-{index}-{name}"] = value
    formset = forms.QuestionFormSet(data, event=event, prefix="questions")
    assert formset.is_valid(), formset.errors
    questions_replace(event=event, questions=formset.questions_data())
    before = _stored(event)

    current = organiser_client.get(_url(event)).json()
    response = organiser_client.put(_url(event), current)
    assert response.status_code == 200, response.content
    assert response.json() == current
    assert _stored(event) == before


def test_limits_are_the_questions_pages_limits():
    form = forms.QuestionForm()
    assert questions.MAX_QUESTIONS == forms.QuestionFormSet.max_num
    assert questions.MAX_OPTIONS == forms.MAX_OPTIONS
    assert questions.MAX_LABEL_LENGTH == form.fields["label"].fields[0].max_length
    assert questions.MAX_OPTIONS_TEXT_LENGTH == form.fields["options"].fields[0].max_length
    assert questions.MAX_KEY_LENGTH == CustomQuestion._meta.get_field("key").max_length


def _option(key: str, text: str = "Option") -> dict:
    return {"key": key, "label": {"en": text}}


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ([INTERPRETER, {**INTERPRETER, "label": {"en": "Again?"}}], [("questions.1.key", "duplicate")]),
        ([{**INTERPRETER, "key": "has space"}], [("questions.0.key", "invalid_key")]),
        ([{**INTERPRETER, "key": ""}], [("questions.0.key", "invalid_key")]),
        ([{**INTERPRETER, "key": "k" * 41}], [("questions.0.key", "invalid_key")]),
        ([{**INTERPRETER, "key": "żółw"}], [("questions.0.key", "invalid_key")]),
        ([{**INTERPRETER, "label": {}}], [("questions.0.label", "required")]),
        ([{**INTERPRETER, "label": {"pl": "   "}}], [("questions.0.label", "required")]),
        ([{**INTERPRETER, "label": {"en": "x" * 501}}], [("questions.0.label", "string_too_long")]),
        ([{**INTERPRETER, "label": {"de": "Dolmetscher?"}}], [("questions.0.label", "unknown_language")]),
        ([{**INTERPRETER, "kind": "essay"}], [("questions.0.kind", "enum")]),
        ([{**WORKSHOPS, "options": []}], [("questions.0.options", "required")]),
        ([{**INTERPRETER, "options": [_option("yes")]}], [("questions.0.options", "unexpected")]),
        ([{**WORKSHOPS, "options": [_option("a"), _option("a")]}], [("questions.0.options.1.key", "duplicate")]),
        ([{**WORKSHOPS, "options": [_option("a b")]}], [("questions.0.options.0.key", "invalid_key")]),
        ([{**WORKSHOPS, "options": [_option("a", " ")]}], [("questions.0.options.0.label", "required")]),
        (
            [{**WORKSHOPS, "options": [_option(f"o{n}") for n in range(51)]}],
            [("questions.0.options", "too_many")],
        ),
        (
            [{**WORKSHOPS, "options": [_option("a", "x" * 2600), _option("b", "y" * 2600)]}],
            [("questions.0.options", "string_too_long")],
        ),
        ([{**INTERPRETER, "key": f"q{n}"} for n in range(51)], [("questions", "too_many")]),
        ([{**INTERPRETER, "hint": "?"}], [("questions.0.hint", "extra_forbidden")]),
        (
            [{**WORKSHOPS, "options": [{**_option("a"), "position": 1}]}],
            [("questions.0.options.0.position", "extra_forbidden")],
        ),
        ([{**INTERPRETER, "required": "maybe"}], [("questions.0.required", "bool_parsing")]),
        ([{"kind": "yes_no"}], [("questions.0.key", "missing"), ("questions.0.label", "missing")]),
    ],
)
def test_put_refuses_what_the_questions_page_refuses_naming_the_place(organiser_client, event, sent, expected):
    questions_replace(event=event, questions=[INTERPRETER])
    before = _stored(event)
    response = organiser_client.put(_url(event), {"questions": sent})
    assert response.status_code == 422, response.content
    assert _errors(response) == expected
    assert all(error["message"] for error in response.json()["detail"])
    assert _stored(event) == before


def test_every_problem_is_listed_at_once(organiser_client, event):
    sent = [{**INTERPRETER, "label": {}}, {**WORKSHOPS, "key": "interpreter", "options": []}]
    response = organiser_client.put(_url(event), {"questions": sent})
    assert response.status_code == 422
    assert set(_errors(response)) == {
        ("questions.0.label", "required"),
        ("questions.1.key", "duplicate"),
        ("questions.1.options", "required"),
    }


def test_the_body_must_be_an_object_with_the_list(organiser_client, event):
    response = organiser_client.put(_url(event), [INTERPRETER])
    assert response.status_code == 422
    assert not event.questions.exists()


@pytest.mark.parametrize("language", ["en", "pl", "uk"])
def test_messages_shared_with_the_questions_page_are_translated(organiser_client, event, language):
    from django.utils import translation

    english = "Write the question in at least one language."
    with translation.override(language):
        expected = translation.gettext(english)
    assert (expected == english) == (language == "en")
    response = organiser_client.put(
        _url(event), {"questions": [{**INTERPRETER, "label": {}}]}, headers={"Accept-Language": language}
    )
    assert response.json()["detail"][0]["message"] == expected


def test_get_has_a_query_ceiling(organiser_client, event, django_assert_max_num_queries):
    questions_replace(event=event, questions=[{**INTERPRETER, "key": f"q{n}"} for n in range(20)])
    with django_assert_max_num_queries(4):
        response = organiser_client.get(_url(event))
    assert len(response.json()["questions"]) == 20


def test_replacing_questions_changes_the_events_version(organiser_client, event):
    before = Event.objects.values_list("updated_at", flat=True).get(pk=event.pk)
    organiser_client.put(_url(event), {"questions": [INTERPRETER]})
    assert Event.objects.values_list("updated_at", flat=True).get(pk=event.pk) > before


def test_a_yes_no_question_counts_for_catering(organiser_client, event):
    lunch = {"key": "lunch", "kind": "yes_no", "label": {"en": "Will you join the working lunch?"}}
    response = organiser_client.put(_url(event), {"questions": [{**lunch, "counts_for_catering": True}, INTERPRETER]})
    assert response.status_code == 200, response.content
    assert [q["counts_for_catering"] for q in response.json()["questions"]] == [True, False]
    assert event.questions.get(key="lunch").counts_for_catering


def test_only_one_yes_no_question_counts_for_catering(organiser_client, event):
    """The rule of events.questions, which the organisers' page applies too."""
    lunch = {"key": "lunch", "kind": "yes_no", "label": {"en": "Lunch?"}, "counts_for_catering": True}
    dinner = {**lunch, "key": "dinner", "label": {"en": "Dinner?"}}
    response = organiser_client.put(_url(event), {"questions": [lunch, dinner]})
    assert response.status_code == 422
    assert ("questions.1.counts_for_catering", "catering_twice") in _errors(response)
    response = organiser_client.put(_url(event), {"questions": [{**WORKSHOPS, "counts_for_catering": True}]})
    assert response.status_code == 422
    assert ("questions.0.counts_for_catering", "catering_kind") in _errors(response)
    assert not event.questions.exists()
