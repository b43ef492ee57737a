"""The event's custom questions: one form per question, in an ordered formset."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from civicmeet.core.i18n import localize

from ..models import CustomQuestion, Event, QuestionKind
from ..questions import (
    MAX_KEY_LENGTH,
    MAX_LABEL_LENGTH,
    MAX_OPTIONS,
    MAX_OPTIONS_TEXT_LENGTH,
    MAX_QUESTIONS,
    catering_count_error,
    catering_kind_error,
)
from ..widgets import EventsFormRenderer
from .fields import (
    LANGUAGE_CODES,
    EventsForm,
    LocalizedField,
)

# Letters that Unicode normalisation cannot reduce to ASCII: Polish ł and Ukrainian Cyrillic
# (the national transliteration, simplified), so keys stay readable in exports.
_TRANSLITERATION = str.maketrans(
    {
        "ł": "l", "Ł": "L", "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
        "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
        "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
        "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "",
    }
)  # fmt: skip


def _ascii_slug(text: str) -> str:
    return slugify(text.lower().translate(_TRANSLITERATION))


def _unique_key(text: str, taken: set[str], default: str) -> str:
    base = _ascii_slug(text)[:32].strip("-") or default
    key, number = base, 2
    while key in taken:
        key = f"{base}-{number}"
        number += 1
    taken.add(key)
    return key


def _key_source(label: dict[str, str]) -> str:
    """The label text that reads best as an ASCII key: English first, then the others."""
    for code in ("en", *LANGUAGE_CODES):
        if _ascii_slug(label.get(code, "")):
            return label[code]
    return ""


def _option_lines(options: dict[str, str]) -> dict[str, list[str]]:
    return {
        code: [line.strip() for line in text.splitlines() if line.strip()]
        for code, text in options.items()
        if text.strip()
    }


class QuestionForm(EventsForm):
    """One custom question. Options: one per line in each language, in the same order."""

    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=MAX_KEY_LENGTH)
    label = LocalizedField(label=_("Question"), max_length=MAX_LABEL_LENGTH, required=False)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices, initial=QuestionKind.SHORT_TEXT)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    counts_for_catering = forms.BooleanField(
        label=_("Counts for catering"),
        required=False,
        help_text=_(
            "For a yes/no question such as “Will you join the lunch?”: catering counts only those who answer yes."
        ),
    )
    options = LocalizedField(
        label=_("Options (for choice questions)"),
        long=True,
        max_length=MAX_OPTIONS_TEXT_LENGTH,
        required=False,
        help_text=_("One option per line, in the same order in every language."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        if cleaned.get("DELETE"):
            return cleaned
        if "label" in cleaned and not cleaned["label"]:
            self.add_error("label", gettext("Write the question in at least one language."))
        kind = cleaned.get("kind")
        if cleaned.get("counts_for_catering") and kind and kind != QuestionKind.YES_NO:
            self.add_error("counts_for_catering", catering_kind_error())
        lines = _option_lines(cleaned.get("options") or {})
        cleaned["option_lines"] = lines
        if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE) and "options" in cleaned:
            counts = {len(values) for values in lines.values()}
            if not counts:
                self.add_error("options", gettext("A choice question needs at least one option."))
            elif len(counts) > 1:
                self.add_error(
                    "options",
                    gettext("Give every language the same number of options (one per line), or leave it empty."),
                )
            elif counts.pop() > MAX_OPTIONS:
                self.add_error(
                    "options",
                    ngettext(
                        "A question can have at most %(max)d option.",
                        "A question can have at most %(max)d options.",
                        MAX_OPTIONS,
                    )
                    % {"max": MAX_OPTIONS},
                )
        return cleaned


class BaseQuestionFormSet(forms.BaseFormSet):
    default_renderer = EventsFormRenderer()

    def __init__(self, *args, event: Event, **kwargs) -> None:
        self.event = event
        self.existing = {question.key: question for question in event.questions.all()}
        if args or kwargs.get("data") is not None:
            # Sent rows say everything (rows are added, moved and removed in place): a row counts
            # when it has content, whatever question stood at its place before.
            kwargs.setdefault("initial", [])
        elif "initial" not in kwargs:
            kwargs["initial"] = [self.initial_for(question) for question in self.existing.values()]
        super().__init__(*args, **kwargs)

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)  # type: ignore[misc]  # private: not in django-stubs
        form.open_language(self.event.fallback_language)
        return form

    @property
    def empty_form(self):
        form = super().empty_form
        form.open_language(self.event.fallback_language)
        return form

    def clean(self) -> None:
        super().clean()
        counting = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and form.cleaned_data.get("counts_for_catering")
            and not form.cleaned_data.get("DELETE")
        ]
        if len(counting) > 1:
            for form in counting:
                form.add_error("counts_for_catering", catering_count_error())

    def focus(self, index: int | None, control: str) -> None:
        """Mark the control that gets the focus when the rows are shown again (`autofocus`)."""
        if index is None or not 0 <= index < len(self.forms):
            return
        form = self.forms[index]
        form.focus = control  # read by the template
        if control == "label":
            widget = form.fields["label"].widget
            assert isinstance(widget, forms.MultiWidget)
            widget.widgets[0].attrs["autofocus"] = True

    def quiet(self) -> BaseQuestionFormSet:
        """Show the rows as sent, without judging them (rows added, moved or removed, not saved yet)."""
        # Django's own caches of a judged formset, filled as empty (private: not in django-stubs).
        self._errors: list = []
        self._non_form_errors = self.error_class(renderer=self.renderer)  # type: ignore[attr-defined]
        for form in self.forms:
            form._errors = ErrorDict(renderer=form.renderer)
        return self

    @staticmethod
    def initial_for(question: CustomQuestion) -> dict[str, Any]:
        options: dict[str, str] = {}
        for code in LANGUAGE_CODES:
            labels = [(option.get("label") or {}).get(code, "") for option in question.options]
            if any(labels):
                # Lines must match across languages: a missing translation shows what visitors
                # see in its place (the fallback text), so saving the form unchanged keeps working.
                options[code] = "\n".join(
                    label or localize(option.get("label"), code, question.event.fallback_language) or option["key"]
                    for label, option in zip(labels, question.options, strict=True)
                )
        return {
            "key": question.key,
            "label": question.label,
            "kind": question.kind,
            "required": question.required,
            "counts_for_catering": question.counts_for_catering,
            "options": options,
        }

    def questions_data(self) -> list[dict[str, Any]]:
        """The questions in their new order, for services.questions_replace.

        Existing questions keep their key (answers are stored under it); new ones get a key made
        from their label. An option keeps its key while any of its texts stays the same.
        """
        taken = set(self.existing)  # Never reuse a key that answers may already be stored under.
        used: set[str] = set()
        result = []
        for form in self.ordered_forms:
            data = form.cleaned_data
            key = data.get("key") or ""
            if key in self.existing and key not in used:
                previous = self.existing[key]
            else:
                key = _unique_key(_key_source(data["label"]), taken, "question")
                previous = None
            used.add(key)
            options = []
            if data["kind"] in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
                options = self._options(data["option_lines"], previous)
            result.append(
                {
                    "key": key,
                    "kind": data["kind"],
                    "label": data["label"],
                    "required": data["required"],
                    "counts_for_catering": bool(data.get("counts_for_catering")),
                    "options": options,
                }
            )
        return result

    @staticmethod
    def _options(lines: dict[str, list[str]], previous: CustomQuestion | None) -> list[dict[str, Any]]:
        old = list(previous.options) if previous else []
        taken = {option["key"] for option in old}
        count = max((len(values) for values in lines.values()), default=0)
        options = []
        for index in range(count):
            label = {code: values[index] for code, values in lines.items()}
            match = next(
                (
                    option
                    for option in old
                    if any((option.get("label") or {}).get(code) == text for code, text in label.items())
                ),
                None,
            )
            if match is not None:
                old.remove(match)
                key = match["key"]
            else:
                key = _unique_key(_key_source(label), taken, "option")
            options.append({"key": key, "label": label})
        return options


# formset_factory returns a subclass of `formset` (django-stubs say only BaseFormSet).
QuestionFormSet = cast(
    "type[BaseQuestionFormSet]",
    forms.formset_factory(
        QuestionForm,
        formset=BaseQuestionFormSet,
        extra=1,
        can_delete=True,
        can_delete_extra=False,
        can_order=True,
        max_num=MAX_QUESTIONS,
        validate_max=True,
    ),
)


# Rows added, moved and removed in place: the page sends every row with an operation (the
# button pressed: "add", "up-2", "down-0", "remove-1"); the rows come back in their new order,
# as typed, not saved yet. htmx swaps just the rows; without JavaScript the page comes back whole.
_ROW_FIELDS = (
    "key",
    *(f"label_{code}" for code in LANGUAGE_CODES),
    "kind",
    "required",
    "counts_for_catering",
    *(f"options_{code}" for code in LANGUAGE_CODES),
)


def question_rows(data: QueryDict, prefix: str) -> list[dict[str, str]]:
    """The rows as sent, in order (rows marked for deletion left out)."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", "0")), MAX_QUESTIONS + 1)
    except ValueError:
        total = 0
    rows = []
    for index in range(max(total, 0)):
        row = {
            name: str(data[f"{prefix}-{index}-{name}"]) for name in _ROW_FIELDS if f"{prefix}-{index}-{name}" in data
        }
        if data.get(f"{prefix}-{index}-DELETE"):
            continue
        rows.append(row)
    return rows


def question_rows_apply(
    rows: list[dict[str, str]], operation: str
) -> tuple[list[dict[str, str]], tuple[int | None, str]]:
    """`rows` after the operation, and what should have the focus afterwards: (row, "label" /
    "up" / "down") or (None, "add"), so a keyboard user stays where they were."""
    rows = list(rows)
    name, _sep, number = operation.partition("-")
    if name == "add":
        if len(rows) >= MAX_QUESTIONS:
            return rows, (None, "add")
        rows.append({"kind": QuestionKind.SHORT_TEXT})
        return rows, (len(rows) - 1, "label")
    try:
        index = int(number)
    except ValueError:
        return rows, (None, "")
    if not 0 <= index < len(rows):
        return rows, (None, "")
    if name == "up" and index > 0:
        rows[index - 1], rows[index] = rows[index], rows[index - 1]
        return rows, (index - 1, "up" if index - 1 > 0 else "down")
    if name == "down" and index < len(rows) - 1:
        rows[index + 1], rows[index] = rows[index], rows[index + 1]
        return rows, (index + 1, "down" if index + 1 < len(rows) - 1 else "up")
    if name == "remove":
        del rows[index]
        return rows, (None, "add")
    return rows, (None, "")


def question_rows_data(rows: list[dict[str, str]], prefix: str) -> QueryDict:
    """The rows as a formset's data: every row new to the formset (it judges them by content)."""
    data = QueryDict(mutable=True)
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(len(rows)),
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": str(MAX_QUESTIONS),
        }
    )
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data
