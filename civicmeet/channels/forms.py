"""Forms of the channels' pages: they check what was typed; the services write it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicmeet.core.visibility import Visibility
from civicmeet.organisations.languages import LanguagesField
from civicmeet.organisations.models import Organisation, Region
from civicmeet.organisations.permissions import is_moderator, represented_organisation_ids

from .models import (
    CHANNEL_FIELDS,
    Channel,
    ChannelExperience,
    ChannelKind,
    GoodPractice,
    Helpfulness,
    ItemStatus,
    Topic,
)

TEXTAREA = {"rows": 3}


def _organisation_field(user, *, required: bool) -> forms.ModelChoiceField:
    """The organisations the user writes for: those they represent (moderators may leave it empty)."""
    queryset = Organisation.objects.filter(pk__in=represented_organisation_ids(user)).order_by("name")
    field = forms.ModelChoiceField(
        queryset=queryset,
        label=gettext_lazy("Written for the organisation"),
        required=required,
        empty_label=gettext_lazy("Choose the organisation") if required else gettext_lazy("No organisation"),
    )
    if required and len(queryset) == 1:
        field.initial = queryset[0].pk
    return field


class AuthoredForm(forms.ModelForm):
    """Adds the organisation a text is written for (not shown when changing an existing one)."""

    def __init__(self, *args: Any, user=None, with_organisation: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_organisation:
            self.fields["organisation"] = _organisation_field(user, required=not is_moderator(user))
            self.order_fields(["organisation"])
        if "language" in self.fields:
            self.fields["language"].help_text = _("The language you write the texts in.")
        if "visibility" in self.fields:
            self.fields["visibility"].widget = forms.RadioSelect(choices=Visibility.choices)

    def data_for_service(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name != "organisation"}


class ChannelForm(AuthoredForm):
    languages = LanguagesField(
        label=gettext_lazy("Languages the staff speak with visitors"),
        help_text=gettext_lazy("Only what you know works; Polish is usually the only one."),
    )
    topics = forms.MultipleChoiceField(
        label=gettext_lazy("Matters it deals with"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    website = forms.URLField(label=gettext_lazy("website"), required=False, assume_scheme="https")

    class Meta:
        model = Channel
        fields = list(CHANNEL_FIELDS)
        widgets = {
            "purpose": forms.Textarea(attrs=TEXTAREA),
            "address": forms.Textarea(attrs={"rows": 2}),
            "opening_hours": forms.Textarea(attrs={"rows": 2}),
            "booking": forms.Textarea(attrs={"rows": 2}),
            "language_notes": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "name": gettext_lazy("For example: Urząd Miasta Krakowa."),
            "department": gettext_lazy("For example: Wydział Polityki Społecznej i Zdrowia."),
            "purpose": gettext_lazy("What people or organisations can settle there."),
            "booking": gettext_lazy("An appointment system, a phone call, or just come: what works."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            ("", _("Choose the kind of office")),
            *ChannelKind.choices,
        ]
        cast(forms.ChoiceField, self.fields["region"]).choices = [("", _("Choose the region")), *Region.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(field) for field in ("address", "phone", "email", "website")):
            self.add_error(
                "address", _("Say how to reach the office: give an address, a phone, an email or a website.")
            )
        return data


class ProposalForm(ChannelForm):
    note = forms.CharField(
        label=gettext_lazy("Why the change"),
        help_text=gettext_lazy("For example: we called them in March, the hours have changed."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def data_for_service(self) -> dict[str, Any]:
        data = super().data_for_service()
        data.pop("note", None)
        return data


class ExperienceForm(AuthoredForm):
    class Meta:
        model = ChannelExperience
        fields = ["text", "happened_on", "helpful", "language", "visibility"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5}),
            "happened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "helpful": forms.RadioSelect(choices=Helpfulness.choices),
        }
        help_texts = {
            "text": gettext_lazy("What you went there for, what happened, what others should know. No personal data."),
        }


class GoodPracticeForm(AuthoredForm):
    channels = forms.ModelMultipleChoiceField(
        queryset=Channel.objects.none(),
        label=gettext_lazy("Offices it is about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = GoodPractice
        fields = ["title", "text", "region", "channels", "language", "visibility"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["channels"]).queryset = Channel.objects.filter(
            status=ItemStatus.PUBLISHED
        ).order_by("name")
        cast(forms.ChoiceField, self.fields["region"]).choices = [("", _("Choose the region")), *Region.choices]


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment to the author"),
        help_text=gettext_lazy("Needed when you send it back: say what to change. The author gets it by email."),
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )


class ChannelFilterForm(forms.Form):
    """The list's filters (GET): every field optional, a wrong value is ignored."""

    city = forms.CharField(label=gettext_lazy("City"), required=False, max_length=100)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    topic = forms.ChoiceField(label=gettext_lazy("Matter"), required=False)
    language_help = forms.BooleanField(label=gettext_lazy("Only with help in other languages"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [("", _("Every region")), *Region.choices]
        cast(forms.ChoiceField, self.fields["topic"]).choices = [("", _("Every matter")), *Topic.choices]
