"""Forms of the representatives' pages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Organisation, OrganisationStatus


class RepresentativeInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Their email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )
    name = forms.CharField(label=_("Their name"), max_length=150, required=False)
    role = forms.CharField(
        label=_("Their role in the organisation"),
        max_length=200,
        required=False,
        help_text=_("For example: president, project coordinator, volunteer."),
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES, widget=forms.RadioSelect
    )


class RepresentRequestForm(forms.Form):
    """A signed-in person asks to represent an organisation of the directory."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        help_text=_("Only organisations already in the directory are listed. The moderators confirm your request."),
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )
    role = forms.CharField(
        label=_("Your role in the organisation"),
        max_length=200,
        required=False,
        help_text=_("For example: president, project coordinator, volunteer."),
    )

    def __init__(self, *args, exclude_ids=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Organisation.objects.filter(status=OrganisationStatus.PUBLISHED)
            .exclude(pk__in=exclude_ids)
            .order_by("name")
        )


class ConsentForm(forms.Form):
    contact_public = forms.BooleanField(label=_("Show my name and email to members of the network"), required=False)
