"""Pieces the organisers' forms share: multilingual fields, times in the event's zone."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..widgets import DateTimeLocalInput, EventsFormRenderer, LocalizedWidget

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
NEW_ORGANISATION_ROWS = 3


class EventsForm(forms.Form):
    default_renderer = EventsFormRenderer()

    def open_language(self, code: str | None) -> None:
        """Long texts per language show `code` (the event's fallback language) open, the others folded."""
        for field in self.fields.values():
            if isinstance(field.widget, LocalizedWidget):
                field.widget.open_language = code


class LocalizedField(forms.MultiValueField):
    """A {language: text} mapping typed into one input per language. Empty texts are dropped.

    `required` means "in at least one language".
    """

    default_error_messages = {"required": _("Write this in at least one language.")}

    def __init__(self, *, long: bool = False, max_length: int | None = None, **kwargs) -> None:
        fields = [forms.CharField(required=False, max_length=max_length) for _code in LANGUAGE_CODES]
        kwargs.setdefault("widget", LocalizedWidget(long=long, max_length=max_length))
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list) -> dict[str, str]:
        return {code: text for code, text in zip(LANGUAGE_CODES, data_list or [], strict=False) if text}

    def validate(self, value) -> None:
        # Texts of only spaces pass MultiValueField's own emptiness check but are dropped above.
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class LocalDateTimeField(forms.Field):
    """A wall-clock date and time, returned naive; the form makes it aware in the event's time zone.

    Django's DateTimeField would interpret the input in the *server's* current zone, which is wrong
    for an event held elsewhere.
    """

    widget = DateTimeLocalInput
    input_formats = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
    default_error_messages = {"invalid": _("Enter a date and time, for example 2021-10-01 10:00.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        text = str(value).strip()
        for fmt in self.input_formats:
            try:
                return datetime.strptime(text, fmt)  # noqa: DTZ007 - the zone is applied by the form
            except ValueError:
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")


def _aware(naive: datetime, tz: zoneinfo.ZoneInfo) -> datetime | None:
    """The naive wall-clock time in `tz`, or None when it does not exist there (clocks jump forward)."""
    aware = naive.replace(tzinfo=tz)
    try:
        if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
            return None
    except OverflowError:
        pass  # at the end of the calendar: Event.clean refuses it (core.moments)
    return aware


def _local_naive(moment: datetime | None, tz: zoneinfo.ZoneInfo) -> datetime | None:
    return moment.astimezone(tz).replace(tzinfo=None) if moment else None
