"""The declaration alone, for the live verdict and for "Check my declaration" without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from civicmeet.events.models import Event

from .declaration import (
    SAFETY_FIELDS,
    SafetyFieldsMixin,
)


class SafetyCheckForm(SafetyFieldsMixin, forms.Form):
    """The declaration alone, for the live verdict and for "Check my declaration" without JavaScript."""

    def __init__(self, event: Event, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self._add_safety_fields(event)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        self._clean_safety(cleaned, require_consent=False)
        return cleaned

    def display(self) -> dict[str, Any]:
        """For `registrations/_verdict.html`: the verdict, or what to fix before there can be one."""
        if self.safety_policy is None:
            return {"errors": [_("This meeting has no safety rule: there is nothing to check.")]}
        verdict = self.safety_verdict_display()
        if verdict is not None:
            return verdict
        return {"errors": [message for name in SAFETY_FIELDS for message in self.errors.get(name, [])]}
