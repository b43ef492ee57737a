"""The rules for an event's custom questions, as one list: what the organisers' questions page
accepts, written once so that the API and the page (which reads its limits from here) cannot
judge differently.

The page builds keys from labels and options from lines of text; the API is given them. Both end
up as the list `events.services.questions_replace` takes, and this module checks that list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicmeet.core.i18n import clean_localized

from .models import QuestionKind

# The limits, read by the page too (events.forms.questions: the formset's max_num, the fields'
# max_length).
MAX_QUESTIONS = 50
MAX_OPTIONS = 50
MAX_LABEL_LENGTH = 500
# The page takes a choice question's options as lines of one text per language, at most this long.
MAX_OPTIONS_TEXT_LENGTH = 5000
# CustomQuestion.key's max_length; option keys follow the same rule.
MAX_KEY_LENGTH = 40

CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})
_KEY = re.compile(r"[-a-zA-Z0-9_]+")


def _key_problem(key: Any) -> ValidationError | None:
    if not isinstance(key, str) or not _KEY.fullmatch(key) or len(key) > MAX_KEY_LENGTH:
        return ValidationError(
            ngettext(
                "Use at most %(max)d character: Latin letters (a–z), digits, hyphens or underscores.",
                "Use at most %(max)d characters: Latin letters (a–z), digits, hyphens or underscores.",
                MAX_KEY_LENGTH,
            )
            % {"max": MAX_KEY_LENGTH},
            code="invalid_key",
        )
    return None


def _label_problem(label: Mapping[str, str]) -> ValidationError | None:
    too_long = [text for text in label.values() if len(text) > MAX_LABEL_LENGTH]
    if too_long:
        return ValidationError(
            ngettext(
                "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
                "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
                MAX_LABEL_LENGTH,
            )
            % {"limit_value": MAX_LABEL_LENGTH, "show_value": max(len(text) for text in too_long)},
            code="string_too_long",
        )
    return None


def _options_clean(
    question: Mapping[str, Any], errors: dict[str, list[ValidationError]], prefix: str
) -> list[dict[str, Any]]:
    options = list(question.get("options") or [])
    if question.get("kind") not in CHOICE_KINDS:
        if options:
            errors[prefix + "options"] = [
                ValidationError(_("Only choice questions have options: leave them out."), code="unexpected")
            ]
        return []
    if not options:
        errors[prefix + "options"] = [
            ValidationError(_("A choice question needs at least one option."), code="required")
        ]
        return []
    if len(options) > MAX_OPTIONS:
        errors[prefix + "options"] = [
            ValidationError(
                ngettext(
                    "A question can have at most %(max)d option.",
                    "A question can have at most %(max)d options.",
                    MAX_OPTIONS,
                )
                % {"max": MAX_OPTIONS},
                code="too_many",
            )
        ]
        return []
    cleaned, seen = [], set()
    for number, option in enumerate(options):
        where = f"{prefix}options.{number}."
        key = option.get("key")
        problem = _key_problem(key)
        if problem is not None:
            errors[where + "key"] = [problem]
        elif key in seen:
            errors[where + "key"] = [
                ValidationError(_("Another option of this question has this key."), code="duplicate")
            ]
        seen.add(key)
        label = clean_localized(option.get("label"))
        if not label:
            errors[where + "label"] = [
                ValidationError(_("Write the option in at least one language."), code="required")
            ]
        cleaned.append({"key": key, "label": label})
    languages = {code for option in cleaned for code in option["label"]}
    for code in sorted(languages):
        length = len("\n".join(option["label"].get(code, "") for option in cleaned))
        if length > MAX_OPTIONS_TEXT_LENGTH:
            errors[prefix + "options"] = [
                ValidationError(
                    ngettext(
                        "The options are too long together: at most %(max)d character per language.",
                        "The options are too long together: at most %(max)d characters per language.",
                        MAX_OPTIONS_TEXT_LENGTH,
                    )
                    % {"max": MAX_OPTIONS_TEXT_LENGTH},
                    code="string_too_long",
                )
            ]
            break
    return cleaned


def catering_kind_error() -> ValidationError:
    return ValidationError(_("Only a yes/no question can count for catering."), code="catering_kind")


def catering_count_error() -> ValidationError:
    return ValidationError(_("Only one question of an event can count for catering."), code="catering_twice")


def questions_clean(questions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The questions, in order, as `questions_replace` takes them (texts trimmed, empty
    translations dropped, no options on other kinds).

    Each item: `key`, `kind`, `label` ({language: text}), `required`, `counts_for_catering`
    (a yes/no question whose "yes" catering counts: at most one per event), and `options`
    ([{key, label}]) for choice questions. Raises ValidationError with every problem, keyed by its place
    in the list: ``"0.key"``, ``"2.options"``, ``"2.options.1.label"``; a problem of the whole
    list under ``"__all__"``.
    """
    errors: dict[str, list[ValidationError]] = {}
    if len(questions) > MAX_QUESTIONS:
        message = ngettext(
            "An event can have at most %(max)d question.", "An event can have at most %(max)d questions.", MAX_QUESTIONS
        ) % {"max": MAX_QUESTIONS}
        raise ValidationError({"__all__": [ValidationError(message, code="too_many")]})
    cleaned, seen = [], set()
    for number, question in enumerate(questions):
        prefix = f"{number}."
        key = question.get("key")
        problem = _key_problem(key)
        if problem is not None:
            errors[prefix + "key"] = [problem]
        elif key in seen:
            errors[prefix + "key"] = [ValidationError(_("Another question has this key."), code="duplicate")]
        seen.add(key)
        kind = question.get("kind")
        if kind not in QuestionKind.values:
            errors[prefix + "kind"] = [
                ValidationError(
                    _("Select a valid choice. %(value)s is not one of the available choices.") % {"value": kind},
                    code="invalid_choice",
                )
            ]
        label = clean_localized(question.get("label"))
        if not label:
            errors[prefix + "label"] = [
                ValidationError(_("Write the question in at least one language."), code="required")
            ]
        elif problem := _label_problem(label):
            errors[prefix + "label"] = [problem]
        options = _options_clean(question, errors, prefix)
        catering = bool(question.get("counts_for_catering"))
        if catering and kind != QuestionKind.YES_NO:
            errors[prefix + "counts_for_catering"] = [catering_kind_error()]
        cleaned.append(
            {
                "key": key,
                "kind": kind,
                "label": label,
                "required": bool(question.get("required")),
                "counts_for_catering": catering,
                "options": options,
            }
        )
    counting = [number for number, question in enumerate(cleaned) if question["counts_for_catering"]]
    if len(counting) > 1:
        for number in counting:
            errors.setdefault(f"{number}.counts_for_catering", []).append(catering_count_error())
    if errors:
        raise ValidationError(errors)
    return cleaned
