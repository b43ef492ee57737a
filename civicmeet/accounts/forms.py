from __future__ import annotations

import math

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services


class LoginForm(AuthenticationForm):
    """Django's login form with the account lock-out (see services.login_lockout_remaining).

    A locked account gets the same message whether it exists or not, and its password is not
    checked at all while it is locked, so the answer says nothing about the password either.
    """

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password:
            return super().clean()
        self._refuse_if_locked(services.login_lockout_remaining(username))
        try:
            cleaned_data = super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                self._refuse_if_locked(services.login_failure_record(username))
            raise
        services.login_failures_reset(username)
        return cleaned_data

    def _refuse_if_locked(self, seconds: int) -> None:
        if seconds <= 0:
            return
        minutes = max(1, math.ceil(seconds / 60))
        raise forms.ValidationError(
            ngettext(
                "Too many failed attempts to log in to this account. For your security, logging in is "
                "paused: try again in %(minutes)d minute.",
                "Too many failed attempts to log in to this account. For your security, logging in is "
                "paused: try again in %(minutes)d minutes.",
                minutes,
            ),
            code="locked",
            params={"minutes": minutes},
        )


class InvitationAccountForm(forms.Form):
    """A new account for an invited address: a name and a password (typed twice)."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("The password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The configured validators' own rules, in the reader's language (one per line).
        self.fields["password1"].help_text = "\n".join(password_validation.password_validators_help_texts())

    def clean(self):
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        return cleaned


class SignInLinkForm(forms.Form):
    """The address to send a sign-in link to."""

    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("The address your organisation's profile or your registration uses."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)
