"""Questions added, moved and removed in place: with htmx only the rows come back; without
JavaScript the same buttons submit the page, which comes back whole; nothing typed is lost and
nothing is saved until "Save the questions"."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from civicmeet.events.models import QuestionKind
from civicmeet.events.services import questions_replace
from civicmeet.events.tests.test_views_manage import questions_post

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def target(event):
    with translation.override("en"):
        return reverse("events:questions", kwargs={"slug": event.slug})


def rows_of(response) -> list[str]:
    return [form["label"].value()[0] or "" for form in response.context["formset"].forms]


def typed():
    return [
        {"label_pl": "Czy weźmiesz udział w lunchu?", "kind": "yes_no", "counts_for_catering": "on"},
        {"label_pl": "Uwagi", "label_uk": "Зауваження", "kind": "long_text", "required": "on"},
    ]


def test_the_page_starts_with_one_blank_row_and_an_add_button(client, organiser, event):
    client.force_login(organiser)
    content = client.get(target(event)).content.decode()
    assert 'name="questions-TOTAL_FORMS" value="1"' in content
    assert 'name="op" value="add"' in content
    assert 'hx-post="' + target(event) + '"' in content
    assert "onclick" not in content and "<script>" not in content


def test_add_with_htmx_returns_the_rows_with_one_more_keeping_what_was_typed(client, organiser, event):
    client.force_login(organiser)
    response = client.post(target(event), {**questions_post(typed()), "op": "add"}, headers=HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="question-rows"')  # the rows only, not the page
    assert "<html" not in content
    assert rows_of(response) == ["Czy weźmiesz udział w lunchu?", "Uwagi", ""]
    assert 'name="questions-TOTAL_FORMS" value="3"' in content
    assert 'value="Зауваження"' in content
    assert re.search(r'<input[^>]*name="questions-2-label_pl"[^>]*autofocus', content)  # typing goes on there
    assert "errorlist" not in content  # rows being edited are not judged yet
    assert not event.questions.exists()  # nothing saved


def test_add_without_javascript_returns_the_whole_page_keeping_what_was_typed(client, organiser, event):
    client.force_login(organiser)
    response = client.post(target(event), {**questions_post(typed()), "op": "add"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" in content
    assert rows_of(response) == ["Czy weźmiesz udział w lunchu?", "Uwagi", ""]
    assert re.search(r'<input type="checkbox" name="questions-1-required"[^>]* checked', content)
    assert not event.questions.exists()


@pytest.mark.parametrize("headers", [HTMX, {}])
def test_move_and_remove_in_place(client, organiser, event, headers):
    client.force_login(organiser)
    rows = [*typed(), {"label_en": "Third", "kind": "short_text"}]
    response = client.post(target(event), {**questions_post(rows), "op": "up-1"}, headers=headers)
    assert rows_of(response) == ["Uwagi", "Czy weźmiesz udział w lunchu?", ""]  # label_pl of each
    assert [form["label"].value()[2] for form in response.context["formset"].forms] == ["", "", "Third"]
    # The moved question keeps the focus on its button, at its new place.
    assert 'id="questions-0-down" class="btn btn-secondary btn-small"' in response.content.decode()
    assert response.context["formset"].forms[0].focus == "down"

    response = client.post(target(event), {**questions_post(rows), "op": "down-0"}, headers=headers)
    assert rows_of(response) == ["Uwagi", "Czy weźmiesz udział w lunchu?", ""]

    response = client.post(target(event), {**questions_post(rows), "op": "remove-0"}, headers=headers)
    assert rows_of(response) == ["Uwagi", ""]
    assert not event.questions.exists()


def test_reordered_rows_are_saved_in_their_new_order(client, organiser, event):
    questions_replace(
        event=event,
        questions=[
            {"key": "lunch", "kind": "yes_no", "label": {"pl": "Lunch?"}},
            {"key": "remarks", "kind": "long_text", "label": {"pl": "Uwagi"}},
        ],
    )
    client.force_login(organiser)
    page = client.get(target(event))
    rows = [
        {"key": "lunch", "label_pl": "Lunch?", "kind": "yes_no"},
        {"key": "remarks", "label_pl": "Uwagi", "kind": "long_text"},
        {},
    ]
    assert page.context["formset"].total_form_count() == 3
    moved = client.post(target(event), {**questions_post(rows, initial=2), "op": "up-1"}, headers=HTMX)
    data = {key: value for key, value in moved.context["formset"].data.items()}
    data["questions-2-label_en"] = "New one"
    response = client.post(target(event), data)  # "Save the questions"
    assert response.status_code == 302
    assert [(q.key, q.position) for q in event.questions.all()] == [("remarks", 0), ("lunch", 1), ("new-one", 2)]


def test_a_yes_no_question_can_count_for_catering(client, organiser, event):
    client.force_login(organiser)
    response = client.post(target(event), questions_post(typed()))
    assert response.status_code == 302
    lunch = event.questions.get(kind=QuestionKind.YES_NO)
    assert lunch.counts_for_catering
    assert not event.questions.get(kind=QuestionKind.LONG_TEXT).counts_for_catering
    page = client.get(target(event)).content.decode()
    assert re.search(r'<input type="checkbox" name="questions-0-counts_for_catering"[^>]* checked', page)


def test_at_most_one_yes_no_question_counts_for_catering(client, organiser, event):
    client.force_login(organiser)
    rows = [
        {"label_pl": "Lunch?", "kind": "yes_no", "counts_for_catering": "on"},
        {"label_pl": "Kolacja?", "kind": "yes_no", "counts_for_catering": "on"},
        {"label_pl": "Uwagi", "kind": "long_text", "counts_for_catering": "on"},
    ]
    response = client.post(target(event), questions_post(rows))
    assert response.status_code == 200
    errors = response.context["formset"].errors
    assert errors[0]["counts_for_catering"] == ["Only one question of an event can count for catering."]
    assert errors[1]["counts_for_catering"] == ["Only one question of an event can count for catering."]
    assert errors[2]["counts_for_catering"] == ["Only a yes/no question can count for catering."]
    assert not event.questions.exists()
