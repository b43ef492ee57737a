"""Phone numbers: one rule for participants' and organisers' numbers."""

from __future__ import annotations

from typing import Any

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def normalise_phone(value: str) -> str:
    """Return the number in E.164 (+48123456789); '' stays ''. International format required."""
    value = (value or "").strip()
    if not value:
        return ""
    if not value.startswith(("+", "00")):
        raise ValidationError(
            _("Enter the number in international format, starting with + and the country code, e.g. +48 600 123 456."),
            code="phone_format",
        )
    if value.startswith("00"):
        value = "+" + value[2:]
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("This does not look like a valid phone number."), code="phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(value: str) -> str:
    """The stored E.164 number written for people (+48 600 123 456); unparsable values as they are."""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


class PhoneField(forms.CharField):
    """A phone number in a form: typed in international format, cleaned to E.164 by
    `normalise_phone`, with the phone keyboard and autofill on a phone."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", gettext_lazy("International format with the country code, e.g. +48 600 123 456.")
        )
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        return normalise_phone(super().clean(value))
