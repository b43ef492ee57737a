"""The organisation's profile as its representatives edit it, and the directory's filters.

The forms check what a person typed and keep it when something is wrong; the service
(services_profile.organisation_profile_update) decides and stores. Registry numbers are checked
here through the same functions the service uses, so their errors sit next to their fields.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicmeet.core.images import LOGO, ImageUploadField
from civicmeet.core.phones import PhoneField
from civicmeet.core.visibility import Visibility

from .languages import LanguagesField, language_choices
from .models import Community, NameKind, Organisation, OrganisationType, Region
from .registry_numbers import display_nip, krs_clean, nip_clean, regon_clean
from .selectors import DirectoryFilters, organisation_display_name, parent_choices
from .services_profile import FOUNDED_EARLIEST, KEEP_LOGO

EXTRA_NAME_ROWS = 2
MAX_NAMES = 20


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return organisation_display_name(obj)


class CommunitiesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Community) -> str:
        return obj.name


class OrganisationNameForm(forms.Form):
    """One more name of the organisation: in a language, another spelling, or a former name."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("What kind of name"), choices=NameKind.choices, initial=NameKind.TRANSLATION)
    language = forms.ChoiceField(
        label=_("Language of the name"),
        choices=[("", _("no particular language"))] + list(settings.LANGUAGES),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and data.get("kind") == NameKind.TRANSLATION and not data.get("language"):
            self.add_error("language", _("Say which language this name is in."))
        return data


class BaseNameFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            name = " ".join((form.cleaned_data.get("name") or "").split())
            if not name:
                continue
            if name.casefold() in seen:
                form.add_error("name", _("This name is already in the list."))
            seen.add(name.casefold())

    def names_data(self) -> list[dict[str, str]]:
        return [
            {
                "name": form.cleaned_data["name"],
                "kind": form.cleaned_data["kind"],
                "language": form.cleaned_data["language"],
            }
            for form in self.forms
            if form.cleaned_data.get("name")
        ]


NameFormSet = forms.formset_factory(
    OrganisationNameForm, formset=BaseNameFormSet, extra=EXTRA_NAME_ROWS, max_num=MAX_NAMES, validate_max=True
)


def name_formset(organisation: Organisation, data=None) -> BaseNameFormSet:
    initial = [
        {"name": variant.name, "kind": variant.kind, "language": variant.language}
        for variant in organisation.names.all()
    ]
    return cast(BaseNameFormSet, NameFormSet(data, initial=initial, prefix="names"))


class OrganisationProfileForm(forms.Form):
    """Every field of the profile a representative keeps, grouped in sections by the template."""

    name = forms.CharField(
        label=_("Main name"),
        max_length=200,
        help_text=_("Usually the registered Polish name, as in the KRS."),
    )
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
    type = forms.ChoiceField(
        label=_("Type of organisation"), choices=OrganisationType.choices, widget=forms.RadioSelect
    )
    communities = CommunitiesField(
        label=_("Communities you serve"),
        queryset=Community.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    working_languages = LanguagesField(help_text=_("The languages people can talk to you in."))
    description_pl = forms.CharField(
        label=_("Description in Polish"), required=False, widget=forms.Textarea(attrs={"rows": 4, "lang": "pl"})
    )
    description_uk = forms.CharField(
        label=_("Description in Ukrainian"), required=False, widget=forms.Textarea(attrs={"rows": 4, "lang": "uk"})
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 4, "lang": "en"})
    )
    founded_year = forms.IntegerField(label=_("Year founded"), required=False, widget=forms.NumberInput())
    parent = ParentChoiceField(
        label=_("Member of a federation or coalition"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("none"),
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    region = forms.ChoiceField(label=_("Region"), choices=[("", _("not given"))] + list(Region.choices), required=False)
    area_served = forms.CharField(
        label=_("Area served"),
        max_length=200,
        required=False,
        help_text=_("For example: Kraków and the surrounding districts, or all of Małopolska."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_phone = PhoneField(label=_("Contact phone"))
    contact_other = forms.CharField(
        label=_("Other ways to reach you"),
        max_length=300,
        required=False,
        help_text=_("For example Facebook, Telegram or Signal."),
    )
    contact_visibility = forms.ChoiceField(
        label=_("Who sees the contact details"), choices=Visibility.choices, widget=forms.RadioSelect
    )
    nip = forms.CharField(
        label=_("NIP"), max_length=20, required=False, help_text=_("Tax identification number, 10 digits.")
    )
    regon = forms.CharField(
        label=_("REGON"), max_length=20, required=False, help_text=_("9 digits, or 14 for a branch.")
    )
    krs = forms.CharField(
        label=_("KRS number"), max_length=20, required=False, help_text=_("National Court Register, 10 digits.")
    )
    logo = ImageUploadField(
        spec=LOGO,
        label=_("Logo"),
        help_text=_("A JPEG, PNG or WebP picture, up to 2 MB; PNG or WebP with a transparent background looks best."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    visibility = forms.ChoiceField(
        label=_("Who sees the profile"), choices=Visibility.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": organisation.name,
                "short_name": organisation.short_name,
                "type": organisation.type,
                "communities": [community.slug for community in organisation.communities.all()],
                "working_languages": list(organisation.working_languages or []),
                "description_pl": organisation.description_pl,
                "description_uk": organisation.description_uk,
                "description_en": organisation.description_en,
                "founded_year": organisation.founded_year,
                "parent": organisation.parent_id,
                "city": organisation.city,
                "region": organisation.region,
                "area_served": organisation.area_served,
                "website": organisation.website,
                "contact_email": organisation.contact_email,
                "contact_phone": organisation.contact_phone,
                "contact_other": organisation.contact_other,
                "contact_visibility": organisation.contact_visibility,
                "nip": display_nip(organisation.nip),
                "regon": organisation.regon,
                "krs": organisation.krs,
                "visibility": organisation.visibility,
            },
        )
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = parent_choices(organisation).prefetch_related(
            "names"
        )
        this_year = timezone.localdate().year
        self.fields["founded_year"].widget.attrs.update(
            {"min": FOUNDED_EARLIEST, "max": this_year, "inputmode": "numeric"}
        )
        cast(LanguagesField, self.fields["working_languages"]).choices = language_choices  # in the request's language

    def clean_founded_year(self) -> int | None:
        year = self.cleaned_data.get("founded_year")
        this_year = timezone.localdate().year
        if year is not None and not (FOUNDED_EARLIEST <= year <= this_year):
            raise ValidationError(
                _("Give a year between %(earliest)s and %(latest)s.")
                % {"earliest": FOUNDED_EARLIEST, "latest": this_year},
                code="year",
            )
        return year

    def clean_nip(self) -> str:
        return nip_clean(self.cleaned_data.get("nip", ""))

    def clean_regon(self) -> str:
        return regon_clean(self.cleaned_data.get("regon", ""))

    def clean_krs(self) -> str:
        return krs_clean(self.cleaned_data.get("krs", ""))

    def profile_data(self, names: list[dict[str, str]]) -> dict[str, Any]:
        """What organisation_profile_update takes."""
        data = {
            field: self.cleaned_data[field]
            for field in self.fields
            if field not in ("logo", "remove_logo", "communities", "parent")
        }
        data["communities"] = [community.slug for community in self.cleaned_data["communities"]]
        data["parent"] = self.cleaned_data["parent"].pk if self.cleaned_data["parent"] else None
        data["names"] = names
        return data

    def logo_data(self) -> Any:
        """New variants, None to remove the logo, or KEEP_LOGO."""
        if self.cleaned_data.get("logo") is not None:
            return self.cleaned_data["logo"]
        return None if self.cleaned_data.get("remove_logo") else KEEP_LOGO


class DirectoryFilterForm(forms.Form):
    """The directory's filters (a GET form: the page works without JavaScript)."""

    type = forms.ChoiceField(label=_("Type"), required=False)
    community = forms.ChoiceField(label=_("Community"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, communities: list[Community], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("any"))]
        choices: dict[str, list[tuple[str, Any]]] = {
            "type": anything + list(OrganisationType.choices),
            "community": anything + [(community.slug, community.name) for community in communities],
            "language": anything + language_choices(),
            "region": anything + list(Region.choices),
        }
        for field, values in choices.items():
            cast(forms.ChoiceField, self.fields[field]).choices = values

    def filters(self) -> DirectoryFilters:
        if not self.is_valid():
            return DirectoryFilters()
        return DirectoryFilters(**{field: self.cleaned_data.get(field) or "" for field in self.fields})
