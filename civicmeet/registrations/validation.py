"""Field validation shared by the registration form and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from civicmeet.core.phones import normalise_phone as normalise_phone  # events check organisers' numbers too
from civicmeet.eligibility import DeclarationError
from civicmeet.events.models import CustomQuestion, Event, QuestionKind

from .models import Dietary
from .safety import SafetyInput


def needs_dietary_details(dietary: str | None, details: str | None) -> bool:
    """ "Other" diet says nothing by itself: the caterer needs the description."""
    return dietary == Dietary.OTHER and not (details or "").strip()


def clean_answer(question: CustomQuestion, value: Any) -> Any:
    """Validate one answer to a custom question; returns the stored value (None = not answered)."""
    empty = value is None or value == "" or value == []
    if empty:
        if question.required and question.kind != QuestionKind.YES_NO:
            raise ValidationError(_("This question needs an answer."), code="required")
        if question.required and question.kind == QuestionKind.YES_NO:
            raise ValidationError(_("Please answer yes or no."), code="required")
        return None
    keys = {option["key"] for option in question.options}
    if question.kind == QuestionKind.SHORT_TEXT:
        if not isinstance(value, str) or len(value) > 300:
            raise ValidationError(_("Keep the answer under 300 characters."), code="too_long")
        return value.strip()
    if question.kind == QuestionKind.LONG_TEXT:
        if not isinstance(value, str) or len(value) > 3000:
            raise ValidationError(_("Keep the answer under 3000 characters."), code="too_long")
        return value.strip()
    if question.kind == QuestionKind.YES_NO:
        if isinstance(value, bool):
            return value
        if value in ("yes", "true", "1"):
            return True
        if value in ("no", "false", "0"):
            return False
        raise ValidationError(_("Please answer yes or no."), code="invalid")
    if question.kind == QuestionKind.SINGLE_CHOICE:
        if value not in keys:
            raise ValidationError(_("Choose one of the options."), code="invalid_choice")
        return value
    if question.kind == QuestionKind.MULTIPLE_CHOICE:
        if not isinstance(value, list) or not all(isinstance(v, str) and v in keys for v in value):
            raise ValidationError(_("Choose from the options given."), code="invalid_choice")
        return list(dict.fromkeys(value))
    raise ValidationError(_("Unknown question."), code="invalid")


def clean_answers(questions: list[CustomQuestion], answers: dict[str, Any]) -> dict[str, Any]:
    """Validate answers to all of an event's questions; errors keyed by question key.

    Unknown keys are refused rather than silently dropped.
    """
    answers = answers or {}
    errors: dict[str, list[ValidationError]] = {}
    cleaned: dict[str, Any] = {}
    known = {q.key for q in questions}
    for key in answers:
        if key not in known:
            errors[key] = [ValidationError(_("There is no such question."), code="unknown")]
    for question in questions:
        try:
            value = clean_answer(question, answers.get(question.key))
        except ValidationError as error:
            errors[question.key] = [error]
            continue
        if value is not None:
            cleaned[question.key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


# -- Health declarations (the event's safety rule) -----------------------------------------------

# Nobody declares a vaccination or a positive test from before the pandemic.
EARLIEST_DECLARATION_DATE = dt.date(2020, 1, 1)


def safety_input_problems(event: Event, safety: SafetyInput, *, today: dt.date | None = None) -> dict[str, str]:
    """Dates nobody could mean, by the engine's field name (`date`, `taken_at`). Shared with the API.

    A vaccination or a positive test is something that has happened: not before 2020, not after
    today. A test may still be planned, but not after the meeting has ended.
    """
    problems: dict[str, str] = {}
    today = today or timezone.localdate(timezone=event.tz)
    earliest = formats.date_format(EARLIEST_DECLARATION_DATE, "DATE_FORMAT")
    if safety.date is not None:
        if safety.date < EARLIEST_DECLARATION_DATE:
            problems["date"] = _("Check the date: it cannot be before %(earliest)s.") % {"earliest": earliest}
        elif safety.date > today:
            problems["date"] = _("This date is in the future: give the date it happened.")
    if safety.taken_at is not None:
        if timezone.localtime(safety.taken_at, event.tz).date() < EARLIEST_DECLARATION_DATE:
            problems["taken_at"] = _("Check the date: it cannot be before %(earliest)s.") % {"earliest": earliest}
        elif safety.taken_at > event.ends_at:
            problems["taken_at"] = _("A test taken after the meeting cannot count: check the date and time.")
    return problems


def declaration_error_message(error: DeclarationError) -> str:
    """A sentence for a malformed declaration (the engine's codes), for a form field or a 422."""
    if error.code == "required":
        return _("This field is required.")
    if error.code == "naive":
        return _("Give the time with its offset from UTC, for example 2021-10-09T10:00:00+02:00.")
    if error.code == "unexpected":
        return _("The chosen basis does not use this value: leave it out.")
    if error.code == "unknown":
        return _("There is no such field.")
    return _("Enter a valid value.")
