"""Forms of the organisers' registration pages: filters, decisions, guests, email retries."""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civicmeet.core.widgets import PlainSelect
from civicmeet.events.models import Event
from civicmeet.notifications.models import RETRYABLE_STATUSES, OutgoingEmail
from civicmeet.organisations.models import Organisation, OrganisationType

from ..models import Dietary, Registration, SafetyVerdict, State
from ..selectors import RegistrationFilters, registration_organisations
from ..services import RegistrationData
from ..validation import needs_dietary_details

MESSAGE_MAX_LENGTH = 2000

DECISION_CHOICES = [
    ("accept", _("Accept")),
    ("waitlist", _("Put on the waiting list")),
    ("reject", _("Reject")),
]


# The buttons of one decision, worded by what happens and coloured by consequence (primary: the
# main way forward; secondary: a step aside; danger: a person loses their place or hope of one).
DECISION_BUTTONS = {
    "accept": (_("Accept and tell them"), "btn-primary"),
    "waitlist": (_("Put on the waiting list and tell them"), "btn-secondary"),
    "reject": (_("Reject and tell them"), "btn-danger"),
}
CANCEL_BUTTON = (_("Cancel the registration and tell them"), "btn-danger")


def _any(label):
    return [("", label)]


class RegistrationFilterForm(forms.Form):
    """The dashboard's search and filters (GET). Also narrows the exports."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=forms.SearchInput())
    state = forms.ChoiceField(label=_("State"), required=False, widget=PlainSelect)
    organisation_type = forms.ChoiceField(label=_("Organisation type"), required=False, widget=PlainSelect)
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=None,
        empty_label=_("All organisations"),
        widget=PlainSelect,
    )
    language = forms.ChoiceField(label=_("Preferred language"), required=False, widget=PlainSelect)
    dietary = forms.ChoiceField(label=_("Diet"), required=False, widget=PlainSelect)
    safety_verdict = forms.ChoiceField(label=_("Safety rule"), required=False, widget=PlainSelect)
    outside_audience = forms.BooleanField(label=_("Only people outside the intended audience"), required=False)

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"placeholder": _("Name, email or organisation"), "autocomplete": "off"})
        # Form.fields is typed with the base Field: each is cast to the class it is declared with.
        cast(forms.ChoiceField, self.fields["state"]).choices = _any(_("All states")) + list(State.choices)
        cast(forms.ChoiceField, self.fields["organisation_type"]).choices = _any(_("All types")) + list(
            OrganisationType.choices
        )
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = registration_organisations(event=event)
        cast(forms.ChoiceField, self.fields["language"]).choices = _any(_("All languages")) + list(settings.LANGUAGES)
        cast(forms.ChoiceField, self.fields["dietary"]).choices = _any(_("All diets")) + list(Dietary.choices)
        cast(forms.ChoiceField, self.fields["safety_verdict"]).choices = _any(_("Any verdict")) + list(
            SafetyVerdict.choices
        )
        # Filters that mean nothing for this event are not offered (a URL naming them is ignored).
        if not event.safety_policy:
            del self.fields["safety_verdict"]
        if not event.audience_types:
            del self.fields["outside_audience"]

    def filters(self) -> RegistrationFilters:
        """The valid filters; an invalid value (an edited URL) is ignored rather than refused."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        organisation = data.get("organisation")
        return RegistrationFilters(
            search=data.get("q") or "",
            state=data.get("state") or "",
            organisation_type=data.get("organisation_type") or "",
            organisation_id=organisation.pk if organisation else None,
            language=data.get("language") or "",
            dietary=data.get("dietary") or "",
            safety_verdict=data.get("safety_verdict") or "",
            outside_audience=bool(data.get("outside_audience")),
        )

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields)


CONFIRM_LABEL = _("I confirm accepting this person although their declaration does not meet the safety rule")
BULK_CONFIRM_LABEL = _("Confirm accepting people whose declaration does not meet the safety rule")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=DECISION_CHOICES)
    message = forms.CharField(
        label=_("Message to the participant (optional)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The organiser's explicit yes to accepting a declaration that does not meet the safety rule.
    confirm = forms.BooleanField(label=CONFIRM_LABEL, required=False)


class CancelForm(forms.Form):
    message = forms.CharField(required=False, max_length=MESSAGE_MAX_LENGTH)


class UndoForm(forms.Form):
    """The history entry of the decision to undo: a later change makes it stale, and the undo is refused."""

    entry = forms.IntegerField(min_value=1, error_messages={"required": _("There is no decision to undo.")})


class BulkDecisionForm(forms.Form):
    registrations: forms.ModelMultipleChoiceField[Registration] = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={
            "required": _("Select at least one registration."),
            "invalid_choice": _("One of the selected registrations does not belong to this event."),
            "invalid_pk_value": _("One of the selected registrations does not belong to this event."),
        },
    )
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES)
    message = forms.CharField(
        label=_("Message to the participants (optional)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(label=BULK_CONFIRM_LABEL, required=False)

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["registrations"]).queryset = Registration.objects.filter(
            event=event
        )


class GuestForm(forms.Form):
    """A guest (a city-office representative, an international organisation) added by organisers."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email"), max_length=254)
    organisation_name = forms.CharField(label=_("Organisation or institution"), max_length=200, required=False)
    organisation_type = forms.ChoiceField(
        label=_("Organisation type"), choices=OrganisationType.choices, initial=OrganisationType.OTHER
    )
    organisation_role = forms.CharField(label=_("Role in the organisation"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Preferred language for messages"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    dietary = forms.ChoiceField(label=_("Diet"), choices=Dietary.choices, initial=Dietary.NONE)
    dietary_details = forms.CharField(
        label=_("Other diet and allergies"),
        max_length=500,
        required=False,
        help_text=_("Needed when you choose “Other”; allergies for any diet."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        autocomplete = {"first_name": "off", "last_name": "off", "email": "off"}
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value

    def clean(self):
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        if needs_dietary_details(cleaned.get("dietary"), cleaned.get("dietary_details")):
            self.add_error("dietary_details", _("Describe the diet or allergies."))
        return cleaned

    def to_data(self) -> RegistrationData:
        return RegistrationData.from_values(self.cleaned_data)


class EmailRetryForm(forms.Form):
    email: forms.ModelChoiceField[OutgoingEmail] = forms.ModelChoiceField(
        queryset=None,
        error_messages={"invalid_choice": _("This email cannot be sent again: only failed emails can.")},
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["email"]).queryset = OutgoingEmail.objects.filter(
            registration__event=event, status__in=RETRYABLE_STATUSES
        )
