"""The participant's registration form (register and edit).

Single fields are validated here with the same helpers the API uses (`validation`), so the form
and the API accept and refuse the same things. Business rules (window, duplicates, consent) stay in
the services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.forms.fields import BaseTemporalField
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicmeet.core.i18n import localize
from civicmeet.eligibility import Basis, DeclarationError
from civicmeet.events.models import CustomQuestion, Event, QuestionKind
from civicmeet.events.safety_text import safety_rules_intro, safety_rules_text, verdict_display
from civicmeet.organisations.models import Organisation, OrganisationType

from .models import Dietary, Registration
from .safety import SafetyInput, consent_health_required, safety_check
from .services import RegistrationData
from .validation import (
    clean_answer,
    declaration_error_message,
    needs_dietary_details,
    normalise_phone,
    safety_input_problems,
)

# A datalist longer than this is slow on a phone and no help to anyone; typing still works.
KNOWN_ORGANISATIONS_LIMIT = 500
QUESTION_PREFIX = "q_"
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 3000


def known_organisation_names(limit: int = KNOWN_ORGANISATIONS_LIMIT) -> list[str]:
    return list(Organisation.objects.order_by("name").values_list("name", flat=True)[:limit])


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


# -- The safety rule's declaration ----------------------------------------------------------------

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


def _live_check_attrs(event: Event) -> dict[str, str]:
    """htmx: each change asks the server for the verdict and shows it in the live region.

    Only the declaration (and the CSRF token) is sent, not the rest of the form: the check needs
    nothing else, and a name or an email has no business travelling with it.
    """
    return {
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


class RegistrationForm(SafetyFieldsMixin, forms.Form):
    """Register for `event`, or (with `registration`) change an existing registration."""

    first_name = forms.CharField(
        label=gettext_lazy("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=gettext_lazy("Last name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Email"),
        max_length=254,
        help_text=gettext_lazy("We send the organisers' decision and your personal link here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone (optional)"),
        max_length=32,
        required=False,
        help_text=gettext_lazy("International format with the country code, e.g. +48 600 123 456."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the messages we send you"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )
    organisation_name = forms.CharField(
        label=gettext_lazy("Organisation"),
        max_length=200,
        help_text=gettext_lazy("Start typing to pick a known organisation, or type the name of a new one."),
        widget=forms.TextInput(attrs={"list": "known-organisations", "autocomplete": "organization"}),
    )
    organisation_type = forms.ChoiceField(
        label=gettext_lazy("Type of organisation"),
        choices=OrganisationType.choices,
        widget=forms.RadioSelect,
    )
    organisation_role = forms.CharField(
        label=gettext_lazy("Your role in the organisation (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    dietary = forms.ChoiceField(
        label=gettext_lazy("Diet"),
        choices=Dietary.choices,
        initial=Dietary.NONE,
        widget=forms.RadioSelect,
    )
    dietary_details = forms.CharField(
        label=gettext_lazy("Other diet and allergies"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Required if you chose “Other”. Please also list any food allergies."),
    )
    accessibility_needs = forms.CharField(
        label=gettext_lazy("Accessibility needs (optional)"),
        max_length=1000,
        required=False,
        help_text=gettext_lazy("For example step-free access, a sign language interpreter or large print."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    interpreting_needs = forms.CharField(
        label=gettext_lazy("Interpreting needs (optional)"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Which languages you would need interpreting from or into."),
    )
    consent_processing = forms.BooleanField(
        label=gettext_lazy("I agree to the processing of my personal data for the purpose described below."),
        error_messages={"required": gettext_lazy("Please give your consent: we cannot register you without it.")},
    )
    consent_listing = forms.BooleanField(
        label=gettext_lazy(
            "Show my name and organisation on the participant list that other participants can see (optional)."
        ),
        required=False,
        help_text=gettext_lazy("You can take part without this, and change your mind later on your personal page."),
    )

    def __init__(
        self,
        event: Event,
        *args: Any,
        registration: Registration | None = None,
        language: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        self.registration = registration
        self.page_language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
        self.questions: list[CustomQuestion] = list(event.questions.all())
        self.fields["language"].initial = self.page_language
        for question in self.questions:
            self.fields[QUESTION_PREFIX + question.key] = _answer_field(question, self.page_language)
        self.fields["consent_processing"].help_text = self._processing_text()
        self._add_safety_fields(event)
        if self.safety_policy is not None:
            self.fields["consent_health"] = forms.BooleanField(
                label=_("I agree to the processing of my health declaration for this meeting's safety rule."),
                required=False,
                help_text=self._health_consent_text(event),
            )
            # The consents come last, after everything they are about.
            self.order_fields([name for name in self.fields if not name.startswith("consent_")])
        if registration is not None:
            self._prepare_for_edit(registration)

    # -- building -------------------------------------------------------------------------------

    @cached_property
    def known_organisations(self) -> list[str]:
        """Names offered while typing; read only when the form is shown (not for a valid POST)."""
        return known_organisation_names()

    def _processing_text(self) -> str:
        purpose = localize(self.event.processing_purpose, self.page_language, self.event.fallback_language).strip()
        if not purpose:
            purpose = _(
                "Your data is used only to handle your registration for this event: to review it, to tell you "
                "the organisers' decision, and to plan seats, catering, accessibility and interpreting."
            )
        names = [organisation.name for organisation in self.event.co_organisers.all()]
        controllers = ", ".join(names) if names else _("the organisers of this event")
        return "\n".join(
            [
                _("Purpose: %(purpose)s") % {"purpose": purpose},
                _("Joint controllers of your personal data: %(controllers)s.") % {"controllers": controllers},
            ]
        )

    def _prepare_for_edit(self, registration: Registration) -> None:
        """Prefill from the registration; the email identifies the registration and is not editable."""
        self.fields["email"].disabled = True
        self.fields["email"].help_text = _("To use a different email address, contact the organisers.")
        # Consent was given when registering; the edit form does not ask again.
        del self.fields["consent_processing"]
        organisation = registration.organisation
        self.initial = {
            "first_name": registration.first_name,
            "last_name": registration.last_name,
            "email": registration.email,
            "phone": registration.phone,
            "language": registration.language,
            "organisation_name": organisation.name if organisation else "",
            "organisation_type": organisation.type if organisation else OrganisationType.OTHER,
            "organisation_role": registration.organisation_role,
            "dietary": registration.dietary,
            "dietary_details": registration.dietary_details,
            "accessibility_needs": registration.accessibility_needs,
            "interpreting_needs": registration.interpreting_needs,
            "consent_listing": registration.consent_listing,
            **self.initial,
        }
        if self.safety_policy is not None:
            self.initial = {**self._safety_initial(registration), **self.initial}
        answers = registration.answers or {}
        for question in self.questions:
            if question.key in answers:
                self.initial.setdefault(
                    QUESTION_PREFIX + question.key, _answer_initial(question, answers[question.key])
                )

    @staticmethod
    def _safety_initial(registration: Registration) -> dict[str, Any]:
        """The stored declaration, as the form shows it; no declaration means "I will bring a test"."""
        declaration = getattr(registration, "health_declaration", None)
        if declaration is None:
            return {"safety_basis": BRING_TEST}
        initial: dict[str, Any] = {
            "safety_basis": declaration.basis,
            "consent_health": registration.consent_health_at is not None,
        }
        if declaration.basis == Basis.VACCINATED:
            initial["safety_vaccinated_on"] = declaration.date
        elif declaration.basis == Basis.RECOVERED:
            initial["safety_recovered_on"] = declaration.date
        else:
            initial["safety_taken_at"] = declaration.taken_at
            initial["safety_test_kind"] = declaration.test_kind
        return initial

    @classmethod
    def unchecked(
        cls, event: Event, data: Mapping[str, Any], *, registration: Registration | None = None
    ) -> RegistrationForm:
        """An unbound form showing `data` as typed, without error messages.

        For "Check my declaration" without JavaScript: the page comes back filled in with the
        verdict, and nothing the person has not finished yet is flagged as an error.
        """
        probe = cls(event, registration=registration)
        typed = {}
        for name, field in probe.fields.items():
            if field.disabled:
                continue
            value = field.widget.value_from_datadict(data, {}, probe.add_prefix(name))
            if value not in (None, "", []):
                typed[name] = value
            elif isinstance(field, forms.BooleanField):
                typed[name] = False
        return cls(event, registration=registration, initial=typed)

    # -- validation -----------------------------------------------------------------------------

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean_organisation_name(self) -> str:
        return " ".join(self.cleaned_data.get("organisation_name", "").split())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        if needs_dietary_details(cleaned.get("dietary"), cleaned.get("dietary_details")):
            self.add_error("dietary_details", _("Please describe your diet or allergies."))
        self._clean_safety(cleaned, require_consent=True)
        return cleaned

    # -- reading --------------------------------------------------------------------------------

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[QUESTION_PREFIX + question.key] for question in self.questions]

    @property
    def error_summary(self) -> list[dict[str, str]]:
        """Every field error with the id to jump to, in the order the fields appear."""
        summary = []
        for name, field in self.fields.items():
            bound = self[name]
            if not bound.errors:
                continue
            anchor = bound.auto_id
            if bound.use_fieldset:
                # A group of radios or checkboxes: jump to its first option.
                anchor = f"{bound.auto_id}_0"
            for message in bound.errors:
                # str(): ErrorList yields the messages as text (its stubs also allow ValidationError).
                summary.append({"anchor": anchor, "label": str(field.label), "message": str(message)})
        return summary

    def registration_data(self) -> RegistrationData:
        """The cleaned input for registration_submit / registration_update. Call after is_valid()."""
        data = self.cleaned_data
        answers = {}
        for question in self.questions:
            value = data.get(QUESTION_PREFIX + question.key)
            if value is not None:
                answers[question.key] = value
        return RegistrationData.from_values(
            data,
            email=self.registration.email if self.registration is not None else data["email"],
            answers=answers,
            # In the edit form consent was given at registration and is not asked again.
            consent_processing=data.get("consent_processing", self.registration is not None),
            # None for "I will bring a test" and for an event without a safety rule: nothing is stored.
            safety=self.safety_input,
            consent_health=bool(data.get("consent_health")) and self.safety_input is not None,
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
