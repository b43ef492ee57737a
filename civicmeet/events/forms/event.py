"""The event form: its page, dates, seats, safety rule, audience and data protection."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civicmeet.core.lookups import lower_equals
from civicmeet.eligibility import BOUNDS, PolicyError, SafetyPolicy
from civicmeet.organisations.models import Organisation, OrganisationType
from civicmeet.organisations.services import normalise_organisation_name
from civicmeet.programmes.models import Programme, ProjectOffer
from civicmeet.programmes.services import interest_offers_available

from ..models import Event
from ..safety_text import policy_error_message
from ..services import EVENT_FIELDS, LOCALIZED_FIELDS, PLAIN_FIELDS, event_check
from ..slugs import MAX_SLUG_LENGTH, slug_free, slug_from_text, slug_propose, slug_source
from ..timezones import canonical_name, timezone_choices
from .fields import (
    NEW_ORGANISATION_ROWS,
    EventsForm,
    LocalDateTimeField,
    LocalizedField,
    _aware,
    _local_naive,
)

SAFETY_NONE = "none"
SAFETY_POLICY = "safety"
SAFETY_RULE_CHOICES = [
    (SAFETY_NONE, _("No safety rule")),
    (SAFETY_POLICY, _("The safety rule: vaccinated, recovered or tested")),
]
SAFETY_PARAMETERS = ("vaccinated_after_days", "recovered_within_months", "tested_within_hours")
TEST_KIND_CHOICES = [("pcr", _("PCR test")), ("antigen", _("Rapid antigen test"))]

RETENTION_BOUNDS = {"health_data_retention_days": (0, 365), "personal_data_retention_days": (0, 3650)}


def _parameter_field(name: str, label, help_text) -> forms.IntegerField:
    # No Django min/max validators: SafetyPolicy.from_data is the one judge of the bounds, so the
    # form and the API can never disagree; the HTML attributes only help the browser's spinner.
    low, high = BOUNDS[name]
    return forms.IntegerField(
        label=label,
        required=False,
        help_text=help_text,
        initial=getattr(SafetyPolicy(), name),  # the rule's usual numbers as a starting point
        widget=forms.NumberInput(attrs={"min": low, "max": high}),
    )


_DATETIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")
# The event's fields the form shows as they are stored; the others are converted (times into the
# event's zone, the rule and the audience into their own fields) or not editable (slug).
_AS_STORED_FIELDS = tuple(
    name
    for name in (*LOCALIZED_FIELDS, *PLAIN_FIELDS)
    if name not in ("slug", "safety_policy", "audience_types", *_DATETIME_FIELDS)
)


# The fields in the order of the page's sections (basics, dates, place, texts, seats and
# conditions, rules, data protection).
PAGE_ORDER = [
    "title",
    "slug",
    "fallback_language",
    "co_organisers",
    "programme",
    *(
        f"new_organisation_{number}{suffix}"
        for number in range(1, NEW_ORGANISATION_ROWS + 1)
        for suffix in ("", "_type")
    ),
    "timezone",
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
    "venue",
    "description",
    "agenda",
    "conditions",
    "capacity",
    "seats_per_organisation",
    "is_free",
    "provides_materials",
    "provides_catering",
    "reconfirm_days_before",
    "offer_hours",
    "offers_automatic",
    "safety_rule",
    *SAFETY_PARAMETERS,
    "test_kinds",
    "safety_rules",
    "audience_types",
    "processing_purpose",
    "privacy_notice",
    "health_data_retention_days",
    "personal_data_retention_days",
    "interest_offers",
]


class EventForm(EventsForm):
    """Every field of an event. `slug` only when creating (it is part of the public address)."""

    DATETIME_FIELDS = _DATETIME_FIELDS
    AS_STORED_FIELDS = _AS_STORED_FIELDS

    slug = forms.SlugField(
        label=_("Web address (slug)"),
        max_length=MAX_SLUG_LENGTH,
        required=False,
        help_text=_("Made from the title; you may change it. Latin letters (a–z), digits and hyphens."),
    )
    title = LocalizedField(label=_("Title"), max_length=200, help_text=_("In at least one language."))
    description = LocalizedField(label=_("Description"), long=True, max_length=20000, required=False)
    agenda = LocalizedField(
        label=_("Agenda topics"), long=True, max_length=20000, required=False, help_text=_("One topic per line.")
    )
    venue = LocalizedField(label=_("Venue"), long=True, max_length=1000, required=False)
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=timezone_choices,
        initial=lambda: canonical_name(settings.TIME_ZONE),
        help_text=_("All dates and times on this form are in this time zone."),
    )
    starts_at = LocalDateTimeField(label=_("Starts at"))
    ends_at = LocalDateTimeField(label=_("Ends at"))
    registration_opens_at = LocalDateTimeField(label=_("Registration opens at"))
    registration_closes_at = LocalDateTimeField(
        label=_("Registration closes at"), help_text=_("The registration deadline, enforced by the site.")
    )
    capacity = forms.IntegerField(label=_("Capacity (seats)"), min_value=1, max_value=100000)
    seats_per_organisation = forms.IntegerField(
        label=_("Seats per organisation"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    # No claim is made for the organisers: each box is ticked on purpose (the model agrees).
    is_free = forms.BooleanField(label=_("Participation is free of charge"), required=False)
    provides_materials = forms.BooleanField(label=_("The organisers provide training materials"), required=False)
    provides_catering = forms.BooleanField(label=_("The organisers provide catering"), required=False)
    conditions = LocalizedField(label=_("Further conditions"), long=True, max_length=20000, required=False)
    # Before the day (registrations/reconfirmation.py, offers.py); bounds from the model's validators.
    reconfirm_days_before = forms.IntegerField(
        label=_("Ask “Are you still coming?” this many days before"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_(
            "Accepted participants get an email with “Yes, I am coming” and “No, I cannot come”; "
            "a “no” frees the seat. Leave empty not to ask."
        ),
    )
    offer_hours = forms.IntegerField(
        label=_("Hours a freed seat offered to the waiting list stays open"),
        min_value=1,
        max_value=336,
        initial=48,
        required=False,  # empty: the usual 48 hours (clean_offer_hours)
        help_text=_("If the person does not accept in time, the seat goes to the next one on the waiting list."),
    )
    offers_automatic = forms.BooleanField(
        label=_("Offer freed seats to the waiting list automatically"),
        required=False,
        help_text=_("Unticked: you offer each freed seat yourself on the “Before the day” page."),
    )
    safety_rule = forms.ChoiceField(
        label=_("Safety rule for admission"),
        choices=SAFETY_RULE_CHOICES,
        initial=SAFETY_NONE,
        widget=forms.RadioSelect,
        help_text=_(
            "People declare whether they are vaccinated, recovered or tested and see at once whether they meet "
            "the rule. Its text on the event page and in the emails is written from the numbers below."
        ),
    )
    vaccinated_after_days = _parameter_field(
        "vaccinated_after_days",
        _("Vaccinated: days after completing the vaccination cycle"),
        _("A vaccinated person meets the rule from this many days after the last dose."),
    )
    recovered_within_months = _parameter_field(
        "recovered_within_months",
        _("Recovered: months after the first positive test"),
        _("A recovered person meets the rule for this many months after their first positive test."),
    )
    tested_within_hours = _parameter_field(
        "tested_within_hours",
        _("Tested: hours since the negative test"),
        _("A negative test counts for this many hours after it was taken, up to the start of the meeting."),
    )
    test_kinds = forms.MultipleChoiceField(
        label=_("Accepted kinds of test"),
        choices=TEST_KIND_CHOICES,
        initial=list(SafetyPolicy().test_kinds),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    safety_rules = LocalizedField(
        label=_("Notes on safety"),
        long=True,
        max_length=20000,
        required=False,
        help_text=_(
            "Optional. Shown on the event page below the safety rule, e.g. where to take a test nearby. "
            "Do not describe the rule itself here: its text is written from the numbers above."
        ),
    )
    audience_types = forms.MultipleChoiceField(
        label=_("Intended audience"),
        choices=OrganisationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Leave all unticked if the meeting is for everyone. People from other organisations can still "
            "register: they are marked in your list, not refused."
        ),
    )
    processing_purpose = LocalizedField(
        label=_("Purpose of processing personal data"),
        long=True,
        max_length=20000,
        required=False,
        help_text=_("Shown next to the consent on the registration form."),
    )
    privacy_notice = LocalizedField(
        label=_("Privacy notice of the joint controllers"),
        long=True,
        max_length=50000,
        required=False,
        help_text=_(
            "Who processes participants' personal data, for what, on what legal basis, for how long, and how "
            "to exercise their rights. Linked from the event page and the registration form."
        ),
    )
    health_data_retention_days = forms.IntegerField(
        label=_("Days to keep health declarations after the event"),
        min_value=RETENTION_BOUNDS["health_data_retention_days"][0],
        max_value=RETENTION_BOUNDS["health_data_retention_days"][1],
        initial=lambda: settings.HEALTH_DATA_RETENTION_DAYS,  # read when the form is shown
        help_text=_(
            "Health declarations (the basis and its date, nothing else) are deleted automatically this many "
            "days after the event ends. Only the counts of verdicts remain."
        ),
    )
    personal_data_retention_days = forms.IntegerField(
        label=_("Days to keep other personal data after the event"),
        min_value=RETENTION_BOUNDS["personal_data_retention_days"][0],
        max_value=RETENTION_BOUNDS["personal_data_retention_days"][1],
        initial=lambda: settings.PERSONAL_DATA_RETENTION_DAYS,
        help_text=_(
            "After this many days from the end of the event, registrations are anonymised: names, contact "
            "details and answers are removed and only counts remain."
        ),
    )
    fallback_language = forms.ChoiceField(
        label=_("Fallback language"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        help_text=_("Shown to visitors when a text is missing in their language."),
    )
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Co-organising organisations"),
        queryset=Organisation.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # Programmes have no draft state: every programme of the network is public (its page is).
    programme = forms.ModelChoiceField(
        label=_("Grant programme"),
        queryset=Programme.objects.order_by("slug"),
        required=False,
        empty_label=_("— Not part of a programme —"),
        help_text=_(
            "The programme that funds this meeting, if any. The event page names it, and the report "
            "compares the programme's events."
        ),
    )

    interest_offers = forms.ModelMultipleChoiceField(
        label=_("Project offers on the registration form"),
        queryset=ProjectOffer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Each offer you tick is shown on the registration form with an “I am interested” box; "
            "the people who tick it reach the project's team."
        ),
    )

    def __init__(self, *args, event: Event | None = None, **kwargs) -> None:
        self.event = event
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(event)
        super().__init__(*args, **kwargs)
        # Open public offers, and those already chosen (one that closed since stays visible to untick).
        chosen = Q(pk__in=event.interest_offers.values("pk")) if event is not None else Q(pk__in=[])
        offers = self.fields["interest_offers"]
        offers.queryset = (  # type: ignore[attr-defined]
            ProjectOffer.objects.filter(Q(pk__in=interest_offers_available().values("pk")) | chosen)
            .select_related("project")
            .order_by("project__short_name", "project__slug", "starts_at", "pk")
        )
        offers.label_from_instance = lambda offer: " – ".join(  # type: ignore[attr-defined]
            part for part in (offer.project.short_name, offer.display_title()) if part
        )
        if event is not None:
            del self.fields["slug"]
        self.order_fields(PAGE_ORDER)  # as the page shows them: the error summary follows it
        fallback = self.data.get("fallback_language") if self.is_bound else None
        self.open_language(fallback or self.initial.get("fallback_language") or settings.LANGUAGE_CODE)
        for number in range(1, NEW_ORGANISATION_ROWS + 1):
            self.fields[f"new_organisation_{number}"] = forms.CharField(
                label=_("New organisation %(number)s: name") % {"number": number}, max_length=200, required=False
            )
            self.fields[f"new_organisation_{number}_type"] = forms.ChoiceField(
                label=_("New organisation %(number)s: type") % {"number": number},
                choices=[("", "—"), *OrganisationType.choices],
                required=False,
            )

    @staticmethod
    def initial_for(event: Event) -> dict[str, Any]:
        tz = event.tz
        initial: dict[str, Any] = {name: getattr(event, name) for name in EventForm.AS_STORED_FIELDS}
        # An event stored under an old name of its zone (Europe/Kiev) shows the canonical one.
        initial["timezone"] = canonical_name(event.timezone)
        initial["audience_types"] = list(event.audience_types or [])
        initial.update(EventForm.safety_initial(event.safety_policy))
        for name in EventForm.DATETIME_FIELDS:
            initial[name] = _local_naive(getattr(event, name), tz)
        initial["programme"] = event.programme_id
        initial["co_organisers"] = [org.pk for org in event.co_organisers.all()]
        initial["interest_offers"] = [offer.pk for offer in event.interest_offers.all()]
        return initial

    @staticmethod
    def safety_initial(data: dict | None) -> dict[str, Any]:
        """The rule's choice and parameters; without a rule, the usual numbers as a starting point."""
        policy = SafetyPolicy.from_data(data) if data is not None else SafetyPolicy()
        return {
            "safety_rule": SAFETY_NONE if data is None else SAFETY_POLICY,
            **{name: value for name, value in policy.to_data().items()},
        }

    def new_organisation_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"new_organisation_{number}"], self[f"new_organisation_{number}_type"])
            for number in range(1, NEW_ORGANISATION_ROWS + 1)
        ]

    def clean_offer_hours(self) -> int:
        hours = self.cleaned_data.get("offer_hours")
        return hours if hours is not None else Event._meta.get_field("offer_hours").get_default()

    def _clean_slug(self, cleaned: dict[str, Any]) -> None:
        """The address: made from the title when left empty; the proposal made from the title gets
        `-2`, `-3` … when it is taken, an address typed by hand is refused with a free one proposed."""
        if "slug" not in self.fields or "slug" not in cleaned:
            return
        slug = cleaned["slug"]
        title = cleaned.get("title") or {}
        source = slug_source(title, cleaned.get("fallback_language"))
        if not slug:
            if not source:
                cleaned.pop("slug")  # the title's own error says what is missing
                return
            cleaned["slug"] = slug_propose(title, cleaned.get("fallback_language"))
            return
        if not Event.objects.filter(slug=slug).exists():
            return
        if slug == slug_from_text(source):
            cleaned["slug"] = slug_free(slug)  # the proposal shown while typing: the next free one
            return
        self.add_error(
            "slug",
            ValidationError(
                gettext("An event with this address already exists. This one is free: %(slug)s")
                % {"slug": slug_free(slug)},
                code="slug_taken",
            ),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        self._clean_slug(cleaned)
        tz_name = cleaned.get("timezone")
        if tz_name:
            tz = zoneinfo.ZoneInfo(tz_name)
            for name in self.DATETIME_FIELDS:
                naive = cleaned.get(name)
                if naive is None:
                    continue
                aware = _aware(naive, tz)
                if aware is None:
                    self.add_error(
                        name, gettext("This time does not exist in the chosen time zone (the clocks change then).")
                    )
                else:
                    cleaned[name] = aware
        else:
            for name in self.DATETIME_FIELDS:
                cleaned.pop(name, None)

        cleaned["safety_policy"] = self._clean_safety_policy(cleaned)

        new_organisations = []
        for number in range(1, NEW_ORGANISATION_ROWS + 1):
            name = normalise_organisation_name(cleaned.get(f"new_organisation_{number}") or "")
            kind = cleaned.get(f"new_organisation_{number}_type")
            if not name:
                continue
            if not kind and not Organisation.objects.filter(lower_equals("name", name)).exists():
                self.add_error(f"new_organisation_{number}_type", gettext("Choose the type of this organisation."))
                continue
            new_organisations.append((name, kind or OrganisationType.OTHER))
        cleaned["new_co_organisers"] = new_organisations
        return cleaned

    def _post_clean(self) -> None:
        """The event's own rules (Event.clean, its validators), asked of the service before the
        form is called valid: the form, the API and the admin share them and cannot disagree."""
        super()._post_clean()  # type: ignore[misc]  # private: not in django-stubs
        at_fault = set(self.errors)
        data = self.event_data(partial=True)
        exclude = [field.name for field in Event._meta.fields if field.name not in data or field.name in at_fault]
        try:
            event_check(data=data, event=self.event, exclude=exclude)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field not in at_fault:
                    self.add_error(field if field in self.fields else None, messages)

    def _clean_safety_policy(self, cleaned: dict[str, Any]) -> dict | None:
        """The rule as SafetyPolicy.to_data(), or None; errors go next to the parameter at fault."""
        if cleaned.get("safety_rule") != SAFETY_POLICY:
            return None
        data: dict[str, Any] = {}
        for name in SAFETY_PARAMETERS:
            if name not in cleaned:
                return None  # Not a whole number: the field already carries its error.
            if cleaned[name] is None:
                self.add_error(name, policy_error_message(PolicyError(name, "required")))
                return None
            data[name] = cleaned[name]
        data["test_kinds"] = list(cleaned.get("test_kinds") or [])
        try:
            return SafetyPolicy.from_data(data).to_data()
        except PolicyError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, policy_error_message(error))
            return None

    def event_data(self, *, partial: bool = False) -> dict[str, Any]:
        """The cleaned values as events.services expects them (`partial`: those that are clean)."""
        # Every field of the event the services take; the rule and the audience are built below.
        names = [name for name in EVENT_FIELDS if name not in ("safety_policy", "audience_types")]
        if partial:
            data = {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}
            if "safety_policy" in self.cleaned_data and self.cleaned_data.get("safety_rule") is not None:
                data["safety_policy"] = self.cleaned_data["safety_policy"]
            return data
        data = {name: self.cleaned_data[name] for name in names if name in self.fields}
        data["safety_policy"] = self.cleaned_data["safety_policy"]
        data["audience_types"] = sorted(set(self.cleaned_data.get("audience_types") or []))
        return data
