"""Inviting a person to the event's team by email."""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civicmeet.accounts.models import TeamRole
from civicmeet.accounts.services import INVITATION_DAYS
from civicmeet.organisations.models import Organisation

from ..models import Event
from .fields import EventsForm

# Each language by its own name, as the language switcher shows them.
LANGUAGE_NAMES = {"pl": "Polski", "uk": "Українська", "en": "English"}


class TeamInviteForm(EventsForm):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=TeamRole.choices,
        initial=TeamRole.ORGANISER,
        widget=forms.RadioSelect,
        help_text=_("Organisers manage the event and decide on registrations. Desk staff check people in."),
    )
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), required=False, empty_label="—"
    )
    language = forms.ChoiceField(label=_("Language of the email"), required=False)

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = event.co_organisers.order_by("name")
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(code, LANGUAGE_NAMES.get(code, str(name))) for code, name in settings.LANGUAGES]
        field.initial = translation.get_language() or settings.LANGUAGE_CODE
        self.fields["email"].help_text = ngettext(
            "We send a link there to join the team. It works once, for %(days)d day.",
            "We send a link there to join the team. It works once, for %(days)d days.",
            INVITATION_DAYS,
        ) % {"days": INVITATION_DAYS}

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or translation.get_language() or settings.LANGUAGE_CODE
