"""The participant's registration form (register and edit).

Single fields are validated here with the same helpers the API uses (`validation`), so the form
and the API accept and refuse the same things. Business rules (window, duplicates, consent) stay in
the services.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civicmeet.core.i18n import localize
from civicmeet.core.phones import PhoneField
from civicmeet.eligibility import Basis
from civicmeet.events.models import CustomQuestion, Event
from civicmeet.organisations.models import OrganisationType
from civicmeet.programmes.services import interest_offers_available

from ..models import Dietary, Registration
from ..services import RegistrationData
from ..validation import needs_dietary_details
from .answers import (
    QUESTION_PREFIX,
    _answer_field,
    _answer_initial,
    known_organisation_names,
)
from .declaration import (
    BRING_TEST,
    SAFETY_FIELDS,
    SafetyFieldsMixin,
)

# The sections of the form, in page order; `RegistrationForm.section_fields` lists their fields.
SECTION_YOU = "you"
SECTION_ORGANISATION = "organisation"
SECTION_NEEDS = "needs"
SECTION_SAFETY = "safety"
SECTION_CONSENT = "consent"
SECTION_INTERESTS = "interests"
YOU_FIELDS = ("first_name", "last_name", "email", "phone", "language")
ORGANISATION_FIELDS = ("organisation_name", "organisation_type", "organisation_role")
NEEDS_FIELDS = ("dietary", "dietary_details", "accessibility_needs", "interpreting_needs")
CONSENT_FIELDS = ("consent_processing", "consent_listing")


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
    phone = PhoneField(label=gettext_lazy("Phone (optional)"))
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
    # data-no-draft (here and on every safety and consent input): static/js/form-steps.js never
    # copies the value into the browser's storage. Allergies and accessibility needs can reveal
    # health (GDPR Art. 9, special-category data): they travel only to our server, never to a draft.
    dietary_details = forms.CharField(
        label=gettext_lazy("Other diet and allergies"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Required if you chose “Other”. Please also list any food allergies."),
        widget=forms.TextInput(attrs={"data-no-draft": True}),
    )
    accessibility_needs = forms.CharField(
        label=gettext_lazy("Accessibility needs (optional)"),
        max_length=1000,
        required=False,
        help_text=gettext_lazy("For example step-free access, a sign language interpreter or large print."),
        widget=forms.Textarea(attrs={"rows": 3, "data-no-draft": True}),
    )
    interpreting_needs = forms.CharField(
        label=gettext_lazy("Interpreting needs (optional)"),
        max_length=500,
        required=False,
        help_text=gettext_lazy("Which languages you would need interpreting from or into."),
    )
    # Labels without a final full stop: the error summary puts "label: message" in one line.
    consent_processing = forms.BooleanField(
        label=gettext_lazy("I agree to the processing of my personal data for this registration"),
        error_messages={"required": gettext_lazy("Please give your consent: we cannot register you without it.")},
        widget=forms.CheckboxInput(attrs={"data-no-draft": True}),
    )
    consent_listing = forms.BooleanField(
        label=gettext_lazy(
            "Show my name and organisation on the participant list that other participants can see (optional)"
        ),
        required=False,
        help_text=gettext_lazy("You can take part without this, and change your mind later on your personal page."),
        widget=forms.CheckboxInput(attrs={"data-no-draft": True}),
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
        # The legal texts in full sit one tap away (<details>); next to the box, a summary.
        self.fields["consent_processing"].help_text = self._processing_summary()
        self.processing_details = self._processing_text()
        self.health_consent_details = ""
        self._add_safety_fields(event)
        if self.safety_policy is not None:
            self.fields["consent_health"] = forms.BooleanField(
                label=_("I agree to the processing of my health declaration for this meeting's safety rule"),
                required=False,
                help_text=self._health_consent_summary(event),
                widget=forms.CheckboxInput(attrs={"data-no-draft": True}),
            )
            self.health_consent_details = self._health_consent_text(event)
        if registration is None:
            self._add_interest_field(event)
        if registration is not None:
            self._prepare_for_edit(registration)
        # The fields in the order the page shows them, so that the error summary lists them so.
        self.order_fields([name for _key, names in self.section_fields() for name in names])

    # -- building -------------------------------------------------------------------------------

    @cached_property
    def known_organisations(self) -> list[str]:
        """Names offered while typing; read only when the form is shown (not for a valid POST)."""
        return known_organisation_names()

    def section_fields(self) -> list[tuple[str, list[str]]]:
        """The form's sections in page order (the steps on a phone), each with its fields' names.

        The consents come last, after everything they are about; the health-data consent stays in
        the safety section, next to the declaration it is about.
        """
        questions = [QUESTION_PREFIX + question.key for question in self.questions]
        sections = [
            (SECTION_YOU, list(YOU_FIELDS)),
            (SECTION_ORGANISATION, list(ORGANISATION_FIELDS)),
            (SECTION_NEEDS, [*NEEDS_FIELDS, *questions]),
            (SECTION_SAFETY, [*SAFETY_FIELDS, "consent_health"]),
            (SECTION_INTERESTS, ["interest_offers"]),
            (SECTION_CONSENT, list(CONSENT_FIELDS)),
        ]
        present = [(key, [name for name in names if name in self.fields]) for key, names in sections]
        return [(key, names) for key, names in present if names]

    def _add_interest_field(self, event: Event) -> None:
        """The project offers the organisers chose, each with an "I am interested" tick (optional)."""
        offers = list(interest_offers_available().filter(pk__in=event.interest_offers.values("pk")))
        if not offers:
            return
        language = self.page_language
        field = forms.ModelMultipleChoiceField(
            label=_("I am interested"),
            queryset=interest_offers_available().filter(pk__in=[offer.pk for offer in offers]),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=_(
                "Optional. Your name, email and organisation go to the team of each project you tick, "
                "who will write to you about it."
            ),
        )
        field.label_from_instance = lambda offer: " – ".join(  # type: ignore[method-assign,assignment]
            part for part in (offer.project.short_name, localize(offer.title, language)) if part
        )
        self.fields["interest_offers"] = field

    @cached_property
    def _controllers(self) -> str:
        names = [organisation.name for organisation in self.event.co_organisers.all()]
        return ", ".join(names) if names else _("the organisers of this event")

    def _processing_summary(self) -> str:
        return _(
            "Only the organisers (%(controllers)s) see your data, to handle your registration for this meeting. "
            "You can download or erase it on your personal page at any time."
        ) % {"controllers": self._controllers}

    def _processing_text(self) -> str:
        purpose = localize(self.event.processing_purpose, self.page_language, self.event.fallback_language).strip()
        if not purpose:
            purpose = _(
                "Your data is used only to handle your registration for this event: to review it, to tell you "
                "the organisers' decision, and to plan seats, catering, accessibility and interpreting."
            )
        days = self.event.personal_data_retention_days
        return "\n".join(
            [
                _("Purpose: %(purpose)s") % {"purpose": purpose},
                _("Joint controllers of your personal data: %(controllers)s.") % {"controllers": self._controllers},
                ngettext(
                    "Retention: your personal data is anonymised %(days)d day after the meeting.",
                    "Retention: your personal data is anonymised %(days)d days after the meeting.",
                    days,
                )
                % {"days": days},
                _("You can withdraw your consent at any time by erasing your registration on your personal page."),
            ]
        )

    def _prepare_for_edit(self, registration: Registration) -> None:
        """Prefill from the registration; the email identifies the registration and is not editable."""
        self.fields["email"].disabled = True
        self.fields["email"].help_text = _("To use a different email address, contact the organisers.")
        # A walk-in who gave no email at the desk has none to show (the field is not editable anyway).
        self.fields["email"].required = bool(registration.email)
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
