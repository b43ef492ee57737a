"""The event's own questions as form fields, and the organisations a participant can pick."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from civicmeet.core.visibility import Visibility
from civicmeet.events.models import CustomQuestion, QuestionKind
from civicmeet.organisations.models import Organisation, OrganisationStatus

from ..validation import (
    clean_answer,
)

# A datalist longer than this is slow on a phone and no help to anyone; typing still works.
KNOWN_ORGANISATIONS_LIMIT = 500
QUESTION_PREFIX = "q_"
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 3000


def known_organisation_names(limit: int = KNOWN_ORGANISATIONS_LIMIT) -> list[str]:
    # Only organisations in the public directory: drafts others typed are not offered to strangers.
    published = Organisation.objects.filter(status=OrganisationStatus.PUBLISHED, visibility=Visibility.PUBLIC)
    return list(published.order_by("name").values_list("name", flat=True)[:limit])


class AnswerField(forms.Field):
    """One custom question. `clean_answer` decides what is missing or invalid, exactly as in the API."""

    def __init__(self, *, question: CustomQuestion, **kwargs: Any) -> None:
        self.question = question
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, list | tuple):
            return [str(item) for item in value]
        return value

    def validate(self, value: Any) -> None:
        # `required` only marks the field in HTML; clean_answer gives the "needs an answer" message.
        return None

    def clean(self, value: Any) -> Any:
        return clean_answer(self.question, super().clean(value))


def _answer_field(question: CustomQuestion, language: str) -> AnswerField:
    label = question.display_label(language)
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        widget: forms.Widget = forms.TextInput(attrs={"maxlength": SHORT_TEXT_MAX})
    elif kind == QuestionKind.LONG_TEXT:
        widget = forms.Textarea(attrs={"maxlength": LONG_TEXT_MAX, "rows": 4})
    elif kind == QuestionKind.SINGLE_CHOICE:
        widget = forms.RadioSelect(choices=question.option_choices(language))
    elif kind == QuestionKind.MULTIPLE_CHOICE:
        widget = forms.CheckboxSelectMultiple(choices=question.option_choices(language))
    else:
        widget = forms.RadioSelect(choices=[("yes", _("Yes")), ("no", _("No"))])
    return AnswerField(question=question, label=label, required=question.required, widget=widget)


def _answer_initial(question: CustomQuestion, value: Any) -> Any:
    if question.kind == QuestionKind.YES_NO and isinstance(value, bool):
        return "yes" if value else "no"
    return value
