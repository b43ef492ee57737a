"""Form widgets for organiser-written content."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property

# Each language by its own name (as the language switcher names them), also for screen readers.
LANGUAGE_NAMES = {"pl": "Polski", "uk": "Українська", "en": "English"}


class EventsFormRenderer(DjangoTemplates):
    """Django's renderer with our field template (required marks, checkbox labels, fieldsets),
    which can also reach the project's templates (templates/components/: one form row for all)."""

    @cached_property
    def engine(self):
        dirs: list = list(settings.TEMPLATES[0].get("DIRS") or [])  # type: ignore[call-overload]
        dirs.append(Path(forms.__file__).parent / "templates")
        return self.backend({"APP_DIRS": True, "DIRS": dirs, "NAME": "civicmeet-forms", "OPTIONS": {}})

    field_template_name = "events/forms/field.html"


class LocalizedWidget(forms.MultiWidget):
    """One input per language (Polski / Українська / English), each with its own label and `lang`.

    The data arrive as ``<name>_pl``, ``<name>_uk``, ``<name>_en``; the value is a
    ``{language: text}`` mapping (see civicmeet.core.i18n).
    """

    template_name = "events/widgets/localized.html"
    use_fieldset = True

    def __init__(self, *, long: bool = False, max_length: int | None = None, attrs=None) -> None:
        self.long = long
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {}
        for code, _name in settings.LANGUAGES:
            sub_attrs = {"lang": code}
            if max_length:
                sub_attrs["maxlength"] = str(max_length)
            if long:
                sub_attrs["rows"] = "3"
                widgets[code] = forms.Textarea(attrs=sub_attrs)
            else:
                widgets[code] = forms.TextInput(attrs=sub_attrs)
        super().__init__(widgets, attrs)

    def decompress(self, value) -> list[str]:
        if isinstance(value, str):
            # A plain string (e.g. old data) is shown in the first language.
            return [value] + [""] * (len(settings.LANGUAGES) - 1)
        value = value or {}
        return [value.get(code, "") for code, _name in settings.LANGUAGES]

    # Long texts show one language open (`open_language`, set by the form: its fallback language)
    # and the others folded in a <details> each, opened when they hold text.
    open_language: str | None = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = self.decompress(value) if not isinstance(value, list) else value
        for subwidget, (code, language_name), text in zip(
            context["widget"]["subwidgets"], settings.LANGUAGES, values or [""] * len(settings.LANGUAGES), strict=False
        ):
            subwidget["language_code"] = code
            subwidget["language_name"] = LANGUAGE_NAMES.get(code, language_name)
            subwidget["open"] = code == (self.open_language or settings.LANGUAGE_CODE) or bool((text or "").strip())
        return context

    def id_for_label(self, id_):
        # The field is a fieldset with a legend; each input has its own <label for>.
        return ""


class DateTimeLocalInput(forms.DateTimeInput):
    """An `<input type="datetime-local">`: a wall-clock time without a zone (the event's zone applies)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
