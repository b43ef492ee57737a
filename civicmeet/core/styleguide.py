"""Sample content for the style guide (`/styleguide/`, development only): a form and a table."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class SampleForm(forms.Form):
    """A form row of every kind: text with help, email, radios, a consent checkbox, a long text."""

    name = forms.CharField(label=_("Full name"), help_text=_("As it should appear on your badge."))
    email = forms.EmailField(label=_("Email"))
    language = forms.ChoiceField(
        label=_("Language of the emails"),
        choices=[("pl", "Polski"), ("uk", "Українська"), ("en", "English")],
        widget=forms.RadioSelect,
    )
    needs = forms.CharField(
        label=_("Accessibility needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Tell us what would make the day easier for you."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree to the processing of my personal data for organising this meeting, as the privacy notice describes."
        ),
    )


def sample_registrations() -> list[dict[str, str]]:
    return [
        {
            "name": "Olena Kovalenko",
            "organisation": "Fundacja Przystań",
            "state": "accepted",
            "label": gettext("Accepted"),
        },
        {
            "name": "Jan Nowak",
            "organisation": "Stowarzyszenie Most",
            "state": "waitlisted",
            "label": gettext("On the waiting list"),
        },
        {
            "name": "Mar'yana Shevchuk",
            "organisation": "Dom Ukraiński",
            "state": "submitted",
            "label": gettext("Submitted — waiting for the organisers"),
        },
    ]
