"""Forms of the desk: one person's check-in (the page without JavaScript) and a walk-in."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civicmeet.registrations.services import RegistrationData

from .models import Basis

# "" = the person showed nothing (or the event has no rule); never a document or its number.
BASIS_CHOICES = [("", _("Nothing shown")), *Basis.choices]


class DeskCheckInForm(forms.Form):
    registration = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    client_id = forms.CharField(max_length=100, widget=forms.HiddenInput)
    basis = forms.ChoiceField(label=_("What the person showed"), choices=BASIS_CHOICES, required=False)


class WalkInForm(forms.Form):
    """Someone who did not register comes to the door: the least the desk needs to type."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    organisation_name = forms.CharField(label=_("Organisation or institution"), max_length=200)
    # Optional at the door only (the public form requires it): someone may have none or not want to
    # give it. One registration per email and event holds among those who give one.
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        required=False,
        help_text=_(
            "Optional. Without an email the person gets no messages: no ticket by email and no "
            "certificate by email. The organisers can print or download them from the person's page."
        ),
    )
    language = forms.ChoiceField(
        label=_("Preferred language for messages"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )
    consent_processing = forms.BooleanField(
        label=_("The person agrees that their data is kept for this event, as the privacy notice says."),
    )
    # Made when the form is shown: sending the same form twice (a double tap, a retry) checks in once.
    client_id = forms.CharField(max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "email", "organisation_name"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def to_data(self) -> RegistrationData:
        return RegistrationData.from_values(self.cleaned_data)
