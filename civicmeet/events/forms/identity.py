"""The event's cover, its co-organisers' logos and the organisers' contact."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from civicmeet.core.images import COVER, LOGO, ImageUploadField
from civicmeet.core.phones import PhoneField
from civicmeet.organisations.models import Organisation

from ..models import Event
from ..services import KEEP_COVER
from .fields import EventsForm


class EventIdentityForm(EventsForm):
    """Validates and processes the uploads; events.services.event_identity_update stores them."""

    contact_email = forms.EmailField(
        label=_("Contact email"),
        required=False,
        help_text=_("Shown on the event page and in every email to participants; their replies come to this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_phone = PhoneField(label=_("Contact phone"))
    contact_languages = forms.MultipleChoiceField(
        label=_("Languages you answer in"),
        # Each language by its own name, as participants look for it.
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cover = ImageUploadField(
        spec=COVER,
        label=_("Cover image"),
        help_text=_(
            "A JPEG, PNG or WebP picture at least 480 pixels wide, up to 10 MB. It is shown as a wide band "
            "(twice as wide as high): the middle of the picture is kept. Location and camera details are removed."
        ),
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)

    def __init__(self, *args, event: Event, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "contact_email": event.contact_email,
                "contact_phone": event.contact_phone,
                "contact_languages": list(event.contact_languages or []),
            },
        )
        super().__init__(*args, **kwargs)
        self.event = event
        self.organisations: list[Organisation] = list(event.co_organisers.all())  # by name; prefetched with logos
        for organisation in self.organisations:
            self.fields[f"logo_{organisation.pk}"] = ImageUploadField(
                spec=LOGO,
                label=_("Logo of %(name)s") % {"name": organisation.name},
                help_text=_(
                    "A JPEG, PNG or WebP picture, up to 2 MB; PNG or WebP with a transparent background looks best."
                ),
            )
            self.fields[f"remove_logo_{organisation.pk}"] = forms.BooleanField(
                label=_("Remove the logo of %(name)s") % {"name": organisation.name}, required=False
            )

    def logo_rows(self) -> list[dict[str, Any]]:
        """For the template: each co-organiser with its upload and remove fields."""
        return [
            {
                "organisation": organisation,
                "upload": self[f"logo_{organisation.pk}"],
                "remove": self[f"remove_logo_{organisation.pk}"],
            }
            for organisation in self.organisations
        ]

    def contact_data(self) -> dict[str, Any]:
        return {
            "contact_email": self.cleaned_data["contact_email"],
            "contact_phone": self.cleaned_data["contact_phone"],
            # In the site's order, whatever order they were ticked in.
            "contact_languages": [
                code for code, _name in settings.LANGUAGES if code in self.cleaned_data["contact_languages"]
            ],
        }

    def cover_data(self) -> Any:
        """New variants, None to remove the cover, or KEEP_COVER."""
        if self.cleaned_data.get("cover") is not None:
            return self.cleaned_data["cover"]
        return None if self.cleaned_data.get("remove_cover") else KEEP_COVER

    def logos_data(self) -> dict[int, Any]:
        logos: dict[int, Any] = {}
        for organisation in self.organisations:
            upload = self.cleaned_data.get(f"logo_{organisation.pk}")
            if upload is not None:
                logos[organisation.pk] = upload
            elif self.cleaned_data.get(f"remove_logo_{organisation.pk}"):
                logos[organisation.pk] = None
        return logos
