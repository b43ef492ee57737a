"""The sign-up form on an offer's page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civicmeet.core.phones import PhoneField

from .services import SignUpData


class SignUpForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("We send the confirmation and your own link to see or cancel the sign-up here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = PhoneField(label=_("Phone (optional)"))
    organisation_name = forms.CharField(
        label=_("Organisation (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the messages we send you"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=_("Message to the project's team (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("I agree that the project's team processes my name and contact details for this sign-up"),
        error_messages={"required": _("Please give your consent: we cannot sign you up without it.")},
    )

    def __init__(self, *args: Any, language: str = settings.LANGUAGE_CODE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = language

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data.get("name", "").split())

    def signup_data(self) -> SignUpData:
        data = self.cleaned_data
        return SignUpData(
            name=data["name"],
            email=data["email"],
            language=data["language"],
            phone=data.get("phone") or "",
            organisation_name=data.get("organisation_name") or "",
            message=data.get("message") or "",
        )
