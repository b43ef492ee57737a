"""Form widgets for organiser-written content."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property


class EventsFormRenderer(DjangoTemplates):
    """Django's renderer with our field template (required marks, checkbox labels, fieldsets),
    which can also reach the project's templates (templates/components/: one form row for all)."""

    @cached_property
    def engine(self):
        dirs = [*settings.TEMPLATES[0].get("DIRS", []), Path(forms.__file__).parent / "templates"]
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
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {}
        for code, _name in settings.LANGUAGES:
            sub_attrs = {"lang": code}
            if max_length:
                sub_attrs["maxlength"] = str(max_length)
            if long:
                sub_attrs["rows"] = "4"
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

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, (code, language_name) in zip(context["widget"]["subwidgets"], settings.LANGUAGES, strict=True):
            subwidget["language_code"] = code
            subwidget["language_name"] = language_name
        return context

    def id_for_label(self, id_):
        # The field is a fieldset with a legend; each input has its own <label for>.
        return ""


class DateTimeLocalInput(forms.DateTimeInput):
    """An `<input type="datetime-local">`: a wall-clock time without a zone (the event's zone applies)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
