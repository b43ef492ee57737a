"""The safety rule's declaration: its fields, shared by the registration form and the live check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.forms.fields import BaseTemporalField
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicmeet.eligibility import Basis, DeclarationError
from civicmeet.events.models import Event
from civicmeet.events.safety_text import safety_rules_intro, safety_rules_text, verdict_display

from ..safety import SafetyInput, consent_health_required, safety_check
from ..validation import (
    declaration_error_message,
    safety_input_problems,
)

# "I will bring a test": the test will be taken later, so there is nothing to declare yet. Nothing
# about the person's health is stored (so no health consent is needed) and the verdict is
# `to_be_checked` — exactly what the engine says of a `tested` declaration without a time.
BRING_TEST = "bring_test"
# Nothing the rule is about happened before this day: an earlier date is a typing mistake.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

SAFETY_DETAIL_FIELDS = ("safety_vaccinated_on", "safety_recovered_on", "safety_taken_at", "safety_test_kind")
SAFETY_FIELDS = ("safety_basis", *SAFETY_DETAIL_FIELDS)
# The fields each choice rests on; the others are ignored (and never stored) for that choice.
_FIELDS_USED: Mapping[str, tuple[str, ...]] = {
    Basis.VACCINATED: ("safety_vaccinated_on",),
    Basis.RECOVERED: ("safety_recovered_on",),
    Basis.TESTED: ("safety_taken_at", "safety_test_kind"),
    BRING_TEST: (),
}
# The engine's name of each input, by form field.
_ENGINE_FIELD = {
    "safety_vaccinated_on": "date",
    "safety_recovered_on": "date",
    "safety_taken_at": "taken_at",
    "safety_test_kind": "test_kind",
    "safety_basis": "basis",
}
_REQUIRED_MESSAGES = {
    "safety_vaccinated_on": gettext_lazy("Give the date you completed the vaccination cycle."),
    "safety_recovered_on": gettext_lazy("Give the date of your first positive test."),
    "safety_taken_at": gettext_lazy("Give the date and time the test was taken."),
    "safety_test_kind": gettext_lazy("Say which kind of test it was."),
}


class EventDateTimeField(forms.DateTimeField):
    """A date and time typed into a datetime-local input, read in the event's own time zone.

    The time on a test certificate is local to where the person is: the meeting's place, not the
    server's zone. A time that does not exist there (clocks put forward) is refused; one that
    exists twice (clocks put back) is taken as the earlier moment, the stricter reading.
    """

    default_error_messages = {
        "nonexistent": gettext_lazy("This time does not exist in %(tz)s (the clocks were put forward): check it."),
    }

    def __init__(self, *, tz: ZoneInfo, **kwargs: Any) -> None:
        self.tz = tz
        kwargs.setdefault(
            "widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT_FORMATS[0])
        )
        super().__init__(input_formats=DATETIME_INPUT_FORMATS, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            return timezone.localtime(value, self.tz).replace(tzinfo=None)
        return value

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            wall = timezone.localtime(value, self.tz).replace(tzinfo=None) if timezone.is_aware(value) else value
        else:
            # Never None for a non-empty value: a datetime, or ValidationError (stubs say Optional).
            wall = cast(dt.datetime, BaseTemporalField.to_python(self, str(value).strip()))
        moment = wall.replace(tzinfo=self.tz)
        if moment.astimezone(dt.UTC).astimezone(self.tz).replace(tzinfo=None) != wall:
            raise forms.ValidationError(
                self.error_messages["nonexistent"], code="nonexistent", params={"tz": str(self.tz)}
            )
        return moment


def _live_check_attrs(event: Event) -> dict[str, str | bool]:
    """htmx: each change asks the server for the verdict and shows it in the live region.

    Only the declaration (and the CSRF token) is sent, not the rest of the form: the check needs
    nothing else, and a name or an email has no business travelling with it.
    """
    return {
        # Health data (GDPR Art. 9, special-category data): static/js/form-steps.js never keeps a
        # draft of an input marked so, not even in the participant's own browser.
        "data-no-draft": True,
        "hx-post": reverse("registrations:safety_check", kwargs={"slug": event.slug}),
        "hx-trigger": "change",
        "hx-target": "#safety-verdict",
        "hx-swap": "innerHTML",
        "hx-include": "#safety-inputs",
        "hx-params": ",".join([*SAFETY_FIELDS, "csrfmiddlewaretoken"]),
        "hx-sync": "closest form:replace",
    }


class SafetyFieldsMixin:
    """The safety rule's fields, for an event with a rule (`event.safety`); none for one without.

    Used by the registration form and by the live check, so both read the input the same way.
    """

    fields: dict[str, forms.Field]
    event: Event
    safety_input: SafetyInput | None = None

    def _add_safety_fields(self, event: Event) -> None:
        self.safety_policy = event.safety
        if self.safety_policy is None:
            return
        live = _live_check_attrs(event)
        self.fields["safety_basis"] = forms.ChoiceField(
            label=_("Which of these applies to you?"),
            choices=[
                (Basis.VACCINATED.value, _("I am vaccinated")),
                (Basis.RECOVERED.value, _("I have had COVID-19")),
                (Basis.TESTED.value, _("I have a negative test result")),
                (BRING_TEST, _("I will take a test shortly before the meeting and bring the result")),
            ],
            widget=forms.RadioSelect(attrs=live),
            error_messages={"required": _("Choose the one that applies to you.")},
        )
        date_widget = {"type": "date", **live}
        self.fields["safety_vaccinated_on"] = forms.DateField(
            label=_("If vaccinated: the date you completed the vaccination cycle"),
            required=False,
            input_formats=DATE_INPUT_FORMATS,
            widget=forms.DateInput(attrs=date_widget, format=DATE_INPUT_FORMATS[0]),
        )
        self.fields["safety_recovered_on"] = forms.DateField(
            label=_("If you have had COVID-19: the date of your first positive test"),
            required=False,
            input_formats=DATE_INPUT_FORMATS,
            widget=forms.DateInput(attrs=date_widget, format=DATE_INPUT_FORMATS[0]),
        )
        taken_at = EventDateTimeField(
            tz=event.tz,
            label=_("If you have a test result: when the test was taken"),
            required=False,
            help_text=_("Date and time in the meeting's time zone (%(tz)s).") % {"tz": event.timezone},
        )
        taken_at.widget.attrs.update(live)
        self.fields["safety_taken_at"] = taken_at
        self.fields["safety_test_kind"] = forms.ChoiceField(
            label=_("If you have a test result: the kind of test"),
            required=False,
            choices=[("pcr", _("PCR test")), ("antigen", _("Rapid antigen test"))],
            widget=forms.RadioSelect(attrs=live),
        )

    def _health_consent_summary(self, event: Event) -> str:
        """Next to the box, in two lines; the full text is `_health_consent_text`."""
        days = event.health_data_retention_days
        return ngettext(
            "Your answer is health data (GDPR Art. 9). Only the basis, its date or time and the verdict are "
            "stored, and deleted %(days)d day after the meeting.",
            "Your answer is health data (GDPR Art. 9). Only the basis, its date or time and the verdict are "
            "stored, and deleted %(days)d days after the meeting.",
            days,
        ) % {"days": days}

    def _health_consent_text(self, event: Event) -> str:
        names = [organisation.name for organisation in event.co_organisers.all()]
        controllers = ", ".join(names) if names else _("the organisers of this event")
        days = event.health_data_retention_days
        return "\n".join(
            [
                _(
                    "Your answer about the safety rule is health data, so we ask for your explicit consent to "
                    "process it (GDPR Art. 9), separately from the consent above."
                ),
                _("Purpose: checking whether you meet this meeting's safety rule."),
                _(
                    "What is stored: only the basis you chose, its date or time, and the verdict. Never a "
                    "certificate, a document or a scan."
                ),
                ngettext(
                    "Retention: deleted %(days)d day after the meeting.",
                    "Retention: deleted %(days)d days after the meeting.",
                    days,
                )
                % {"days": days},
                _("Joint controllers: %(controllers)s.") % {"controllers": controllers},
                _("Not needed if you will bring a test: then nothing about your health is stored."),
            ]
        )

    def _clean_safety(self, cleaned: dict[str, Any], *, require_consent: bool) -> None:
        """Check the chosen basis and its date or time; set `self.safety_input` (None: nothing to store)."""
        self.safety_input = None
        if self.safety_policy is None:
            return
        basis = cleaned.get("safety_basis")
        if not basis:
            return
        used = _FIELDS_USED[basis]
        for name in SAFETY_DETAIL_FIELDS:
            if name not in used:
                # A value left behind after switching basis: ignored, never stored.
                self._errors.pop(name, None)  # type: ignore[attr-defined]
                cleaned[name] = None
        for name in used:
            if cleaned.get(name) in (None, "") and name not in self._errors:  # type: ignore[attr-defined]
                self.add_error(name, str(_REQUIRED_MESSAGES[name]))  # type: ignore[attr-defined]
        if basis == BRING_TEST or any(name in self._errors for name in used):  # type: ignore[attr-defined]
            return
        date_field = next((name for name in used if name.endswith("_on")), None)
        safety = SafetyInput(
            basis=basis,
            date=cleaned.get(date_field) if date_field else None,
            taken_at=cleaned.get("safety_taken_at"),
            test_kind=cleaned.get("safety_test_kind") or None,
        )
        by_engine_name = {_ENGINE_FIELD[name]: name for name in ("safety_basis", *used)}
        try:
            safety.declaration()
        except DeclarationError as error:
            self.add_error(by_engine_name.get(error.field), declaration_error_message(error))  # type: ignore[attr-defined]
            return
        problems = safety_input_problems(self.event, safety)
        for engine_name, message in problems.items():
            self.add_error(by_engine_name.get(engine_name), message)  # type: ignore[attr-defined]
        if problems:
            return
        if require_consent and not cleaned.get("consent_health"):
            self.add_error("consent_health", consent_health_required())  # type: ignore[attr-defined]
        self.safety_input = safety

    @property
    def safety_rules(self) -> dict[str, Any] | None:
        """The rule's text, generated from its parameters in the active language."""
        if self.safety_policy is None:
            return None
        return {"intro": safety_rules_intro(), "items": safety_rules_text(self.safety_policy)}

    @property
    def safety_basis_chosen(self) -> str:
        return (getattr(self, "cleaned_data", None) or {}).get("safety_basis") or ""

    def safety_verdict_display(self) -> dict[str, Any] | None:
        """The verdict on the declaration as typed (bound form), or None when there is nothing to show."""
        if self.safety_policy is None or not self.is_bound:  # type: ignore[attr-defined]
            return None
        self.is_valid()  # type: ignore[attr-defined]
        if any(name in self.errors for name in SAFETY_FIELDS):  # type: ignore[attr-defined]
            return None
        if self.safety_basis_chosen == BRING_TEST:
            return verdict_display(self.event, safety_check(event=self.event, safety=SafetyInput(basis=Basis.TESTED)))
        if self.safety_input is None:
            return None
        return verdict_display(self.event, safety_check(event=self.event, safety=self.safety_input))
