"""Forms of activities, offers and needs. They only read and check input: the services write."""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civicmeet.core.visibility import Visibility
from civicmeet.organisations.languages import LanguagesField, language_choices
from civicmeet.organisations.models import Region

from .contact import MESSAGE_MAX_LENGTH
from .models import Activity, Category, Direction, Resource, Weekday


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _language_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Written in"),
        choices=settings.LANGUAGES,
        help_text=_("The language you write the title and description in."),
    )


class ActivityForm(forms.ModelForm):
    language = _language_field()
    languages = LanguagesField(label=_("Languages of the activity"))

    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "language",
            "starts_on",
            "ends_on",
            "languages",
            "looking_for_partners",
            "visibility",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "visibility": forms.RadioSelect,
        }
        help_texts = {
            "ends_on": _("Leave empty for an activity that goes on."),
            "starts_on": _("A start in the future makes it a planned activity."),
        }


class ResourceForm(forms.ModelForm):
    direction = forms.ChoiceField(label=_("Offer or need"), choices=Direction.choices, widget=forms.RadioSelect)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    language = _language_field()
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these days of the week"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For something available every week, for example on Saturdays."),
    )
    languages = LanguagesField(label=_("Languages"), help_text=_("The languages it can be used in, if that matters."))
    quantity = forms.IntegerField(
        label=_("How many"),
        required=False,
        min_value=1,
        max_value=1_000_000,
        help_text=_(
            "Optional. For a room: how many people it holds; equipment or materials: pieces; "
            "interpreting or expertise: hours; transport: seats; funding: PLN; volunteers: people."
        ),
    )

    class Meta:
        model = Resource
        fields = [
            "direction",
            "category",
            "title",
            "description",
            "language",
            "quantity",
            "city",
            "region",
            "online",
            "any_time",
            "weekdays",
            "available_from",
            "available_until",
            "languages",
            "visibility",
            "active",
            "active_until",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "available_from": DateInput(),
            "available_until": DateInput(),
            "active_until": DateInput(),
            "visibility": forms.RadioSelect,
        }
        help_texts = {
            "region": _("Needed unless it is online or anywhere."),
            "any_time": _("Tick when the days and dates do not matter."),
            "active": _("Untick to hide it without deleting it."),
            "active_until": _("After this day it is no longer shown or suggested."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = [("", _("Choose the region"))] + list(Region.choices)
        cast(forms.ChoiceField, self.fields["visibility"]).choices = Visibility.choices


class OffersFilterForm(forms.Form):
    """The public list's filters (GET): every one optional; a value not in the list is ignored."""

    direction = forms.ChoiceField(
        label=_("Offers or needs"), required=False, choices=[("", _("Both"))] + list(Direction.choices)
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories"))] + list(Category.choices)
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("All regions"))] + list(Region.choices)
    )
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["language"]).choices = [("", _("All languages")), *language_choices()]


class ContactForm(forms.Form):
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Say who you are and what you would like to do together. Your email address is not shown "
            "to them until they accept."
        ),
    )
