"""The sign-up form on an offer's page."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from civicmeet.core.phones import PhoneField
from civicmeet.core.visibility import Visibility
from civicmeet.organisations.languages import LanguagesField
from civicmeet.organisations.models import Organisation, Region
from civicmeet.organisations.services import organisation_find

from .models import OfferKind, OfferStatus, Project, ProjectOffer
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


# -- The team's and the moderators' forms ---------------------------------------------------------
#
# Texts per language are one input per language (`title_pl`, `title_uk`, `title_en`), each with
# its `lang`; the form turns them into the {language: text} mapping the services take. The forms
# only read and check input: the services write (and refuse with an error per field).

# Each language by its own name, as the language switcher names them.
LANGUAGE_NAMES = {"pl": "Polski", "uk": "Українська", "en": "English"}
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _datetime_field(label, help_text="") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        help_text=help_text,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        error_messages={"invalid": _("Enter a date and time, for example 2025-10-01 10:00.")},
    )


class LocalizedFormMixin:
    """Adds `<name>_<language>` fields for each entry of `localized`: name → (label, long, max_length)."""

    localized: dict[str, tuple[Any, bool, int]] = {}
    required_localized: tuple[str, ...] = ()
    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_localized_fields(self) -> None:
        for name, (label, long, max_length) in self.localized.items():
            for code in LANGUAGE_CODES:
                attrs = {"lang": code}
                widget = forms.Textarea(attrs={**attrs, "rows": 4}) if long else forms.TextInput(attrs=attrs)
                self.fields[f"{name}_{code}"] = forms.CharField(
                    label=f"{label} – {LANGUAGE_NAMES.get(code, code)}",
                    required=False,
                    max_length=max_length,
                    widget=widget,
                )

    def localized_field_name(self, name: str) -> str:
        """The input an error of the whole text goes next to: the reader's language's."""
        code = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        return f"{name}_{code if code in LANGUAGE_CODES else LANGUAGE_CODES[0]}"

    def localized_value(self, name: str) -> dict[str, str]:
        return {
            code: text for code in LANGUAGE_CODES if (text := (self.cleaned_data.get(f"{name}_{code}") or "").strip())
        }

    def localized_initial(self, name: str, value: dict[str, str] | None) -> dict[str, str]:
        return {f"{name}_{code}": (value or {}).get(code, "") for code in LANGUAGE_CODES}

    def localized_groups(self) -> list[dict[str, Any]]:
        """For the template: each text with its label and its inputs (one per language)."""
        return [
            {
                "name": name,
                "label": label,
                "required": name in self.required_localized,
                "fields": [self[f"{name}_{code}"] for code in LANGUAGE_CODES],  # type: ignore[index]
            }
            for name, (label, _long, _max) in self.localized.items()
        ]

    def check_required_localized(self) -> None:
        for name in self.required_localized:
            if not self.localized_value(name):
                self.add_error(  # type: ignore[attr-defined]
                    self.localized_field_name(name), _("Write this in at least one language.")
                )


class ProgrammeForm(LocalizedFormMixin, forms.Form):
    localized = {"name": (_("Name"), False, 200), "description": (_("Description"), True, 20000)}
    required_localized = ("name",)

    slug = forms.SlugField(
        label=_("Address (slug)"),
        max_length=80,
        help_text=_("Latin letters, digits and hyphens, for example aktywni-obywatele. It cannot be changed later."),
    )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug == "new":  # the address of this very page
            raise forms.ValidationError(_("This address is already taken. Choose another one."))
        return slug

    funder = forms.CharField(label=_("Funded by"), max_length=200, required=False)
    operator = forms.CharField(label=_("Operated by"), max_length=200, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_localized_fields()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_required_localized()
        return cleaned

    def programme_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": self.localized_value("name"),
            "description": self.localized_value("description"),
            "funder": data.get("funder") or "",
            "operator": data.get("operator") or "",
            "website": data.get("website") or "",
        }


def _organisation_by_name(name: str):
    return organisation_find(name=name) if name.strip() else None


class ProjectForm(LocalizedFormMixin, forms.Form):
    """The project's own page: what the team (and the moderators) may change."""

    localized = {"title": (_("Title"), False, 300), "description": (_("Description"), True, 20000)}
    required_localized = ("title",)

    short_name = forms.CharField(
        label=_("Short name"), max_length=40, required=False, help_text=_("For example IDZ or KOMM.")
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput())
    visibility = forms.ChoiceField(
        label=_("Who sees the project"), choices=Visibility.choices, widget=forms.RadioSelect
    )
    partners = forms.CharField(
        label=_("Partner organisations"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name per line, as the organisation is named in the directory."),
    )

    def __init__(self, *args: Any, project: Project | None = None, **kwargs: Any) -> None:
        if project is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **self.localized_initial("title", project.title),
                **self.localized_initial("description", project.description),
                "short_name": project.short_name,
                "website": project.website,
                "starts_on": project.starts_on,
                "ends_on": project.ends_on,
                "visibility": project.visibility,
                "partners": "\n".join(sorted(partner.name for partner in project.partners.all())),
            }
        super().__init__(*args, **kwargs)
        self.add_localized_fields()
        self.fields["visibility"].initial = self.fields["visibility"].initial or Visibility.PUBLIC

    def clean_partners(self) -> list:
        names = [" ".join(line.split()) for line in (self.cleaned_data.get("partners") or "").splitlines()]
        found: list[Organisation] = []
        unknown: list[str] = []
        for name in dict.fromkeys(name for name in names if name):
            organisation = _organisation_by_name(name)
            if organisation is None:
                unknown.append(name)
            elif organisation.pk not in {partner.pk for partner in found}:
                found.append(organisation)
        if unknown:
            raise forms.ValidationError(
                _("We do not know these organisations: %(names)s. Write each name as it is in the directory.")
                % {"names": ", ".join(unknown)}
            )
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_required_localized()
        return cleaned

    def project_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": self.localized_value("title"),
            "description": self.localized_value("description"),
            "short_name": (data.get("short_name") or "").strip(),
            "website": data.get("website") or "",
            "starts_on": data.get("starts_on"),
            "ends_on": data.get("ends_on"),
            "visibility": data["visibility"],
        }


class NewProjectForm(ProjectForm):
    """A moderator's new project of a programme: also its address and the organisation running it."""

    slug = forms.SlugField(
        label=_("Address (slug)"),
        max_length=80,
        help_text=_("Latin letters, digits and hyphens, for example komm. It cannot be changed later."),
    )
    organisation = forms.CharField(
        label=_("Run by"),
        max_length=300,
        help_text=_(
            "The organisation's name as it is in the directory. Its approved representatives become the project's team."
        ),
    )

    field_order = ["slug", "organisation"]

    def clean_organisation(self):
        organisation = _organisation_by_name(self.cleaned_data.get("organisation") or "")
        if organisation is None:
            raise forms.ValidationError(
                _("We do not know this organisation. Write its name as it is in the directory.")
            )
        return organisation


class OfferForm(LocalizedFormMixin, forms.Form):
    """An offer of a project (a training, workshop…), for the project's team."""

    localized = {"title": (_("Title"), False, 300), "description": (_("Description"), True, 20000)}
    required_localized = ("title",)

    kind = forms.ChoiceField(label=_("Kind"), choices=OfferKind.choices)
    starts_at = _datetime_field(_("Starts at"), _("Leave empty if the dates are to be agreed with those who sign up."))
    ends_at = _datetime_field(_("Ends at"))
    online = forms.BooleanField(label=_("Online"), required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    languages = LanguagesField(label=_("Languages of the offer"))
    seats = forms.IntegerField(
        label=_("Seats"), required=False, min_value=1, max_value=100000, help_text=_("Leave empty for no limit.")
    )
    signup_until = _datetime_field(_("Sign-up open until"), _("Leave empty to take sign-ups until you close them."))
    visibility = forms.ChoiceField(label=_("Who sees the offer"), choices=Visibility.choices, widget=forms.RadioSelect)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=OfferStatus.choices,
        widget=forms.RadioSelect,
        help_text=_("Cancelling is final: everyone signed up gets an email in their language."),
    )

    def __init__(self, *args: Any, offer: ProjectOffer | None = None, **kwargs: Any) -> None:
        if offer is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **self.localized_initial("title", offer.title),
                **self.localized_initial("description", offer.description),
                **{name: getattr(offer, name) for name in OFFER_FIELDS},
            }
        super().__init__(*args, **kwargs)
        self.add_localized_fields()
        cast(forms.ChoiceField, self.fields["region"]).choices = [("", _("Choose the region"))] + list(Region.choices)
        if offer is None:
            # A new offer is open or closed; cancelling is for an offer people know.
            cast(forms.ChoiceField, self.fields["status"]).choices = [
                (value, label) for value, label in OfferStatus.choices if value != OfferStatus.CANCELLED
            ]
            self.fields["status"].help_text = ""
        self.fields["visibility"].initial = self.fields["visibility"].initial or Visibility.PUBLIC
        self.fields["status"].initial = self.fields["status"].initial or OfferStatus.OPEN

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.check_required_localized()
        return cleaned

    def offer_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data.get(name) for name in OFFER_FIELDS}
        for name in ("address", "city", "region"):
            values[name] = (values[name] or "").strip()
        values["languages"] = list(values["languages"] or [])
        return {"title": self.localized_value("title"), "description": self.localized_value("description"), **values}


OFFER_FIELDS = (
    "kind",
    "starts_at",
    "ends_at",
    "online",
    "address",
    "city",
    "region",
    "languages",
    "seats",
    "signup_until",
    "visibility",
    "status",
)
