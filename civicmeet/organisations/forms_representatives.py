"""Forms of the representatives' pages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .duplicates import name_key, pair_score
from .models import Organisation, OrganisationStatus

# How alike a typed name and a directory name must be (pair_score, 0–100) to be offered instead.
CLOSE_ENOUGH = 70


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
    """A signed-in person asks to represent an organisation of the directory.

    The organisation is typed by name (in any of its names), not picked from a list: a directory of
    thousands makes no list anyone can use on a phone. A name the directory does not hold is refused
    with the closest names it does hold.
    """

    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        help_text=_("Type its name as it is in the directory, in any language. The moderators confirm your request."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    role = forms.CharField(
        label=_("Your role in the organisation"),
        max_length=200,
        required=False,
        help_text=_("For example: president, project coordinator, volunteer."),
    )

    def __init__(self, *args, exclude_ids=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_ids = set(exclude_ids)

    def clean_organisation(self) -> Organisation:
        typed = " ".join(self.cleaned_data["organisation"].split())
        published = Organisation.objects.filter(status=OrganisationStatus.PUBLISHED)
        found = (
            published.filter(Q(name__iexact=typed) | Q(names__name__iexact=typed)).order_by("pk").distinct().first()
            if typed
            else None
        )
        if found is not None and found.pk in self.exclude_ids:
            raise ValidationError(_("This organisation is already on your list in the network."), code="mine")
        if found is not None:
            return found
        closest = closest_names(typed, published.exclude(pk__in=self.exclude_ids))
        if closest:
            raise ValidationError(
                _("No organisation of the directory has this name. Did you mean: %(names)s?"),
                code="unknown",
                params={"names": "; ".join(closest)},
            )
        raise ValidationError(
            _("No organisation of the directory has this name. Look for it with the search of the network."),
            code="unknown",
        )


def closest_names(typed: str, organisations, *, limit: int = 3) -> list[str]:
    """The main names of the organisations whose names (any variant) come closest to `typed`."""
    key = name_key(typed)
    if not key:
        return []
    scored: dict[int, tuple[float, str]] = {}
    rows = organisations.values_list("pk", "name", "names__name")
    for pk, name, variant in rows.iterator(chunk_size=2000):
        score = max(pair_score(key, name_key(name)), pair_score(key, name_key(variant)) if variant else 0.0)
        if score >= CLOSE_ENOUGH and score > scored.get(pk, (0.0, ""))[0]:
            scored[pk] = (score, name)
    best = sorted(scored.values(), key=lambda item: (-item[0], item[1]))
    return [name for _score, name in best[:limit]]


class ConsentForm(forms.Form):
    contact_public = forms.BooleanField(label=_("Show my name and email to members of the network"), required=False)
