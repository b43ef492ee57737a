"""Adding a person to the event's team."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from civicmeet.accounts.models import TeamRole
from civicmeet.organisations.models import Organisation

from ..models import Event
from .fields import (
    EventsForm,
)


class TeamMemberAddForm(EventsForm):
    email = forms.EmailField(
        label=_("Email of their account"), help_text=_("The person must already have an account on this site.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices, initial=TeamRole.ORGANISER)
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organisation.objects.none(), required=False, empty_label="—"
    )

    def __init__(self, *args, event: Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = event.co_organisers.order_by("name")
