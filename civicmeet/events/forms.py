"""Organisers' forms: the event, its custom questions and its team.

Forms only validate and shape data for the services in events.services; they write nothing.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from civicmeet.accounts.models import TeamRole
from civicmeet.core.i18n import localize
from civicmeet.core.lookups import lower_equals
from civicmeet.eligibility import BOUNDS, PolicyError, SafetyPolicy
from civicmeet.organisations.models import Organisation, OrganisationType
from civicmeet.organisations.services import normalise_organisation_name

from .models import CustomQuestion, Event, QuestionKind
from .safety_text import policy_error_message
from .services import LOCALIZED_FIELDS, PLAIN_FIELDS, event_check
from .widgets import DateTimeLocalInput, EventsFormRenderer, LocalizedWidget

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
NEW_ORGANISATION_ROWS = 3
MAX_OPTIONS = 50


class EventsForm(forms.Form):
    default_renderer = EventsFormRenderer()


class LocalizedField(forms.MultiValueField):
    """A {language: text} mapping typed into one input per language. Empty texts are dropped.

    `required` means "in at least one language".
    """

    default_error_messages = {"required": _("Write this in at least one language.")}

    def __init__(self, *, long: bool = False, max_length: int | None = None, **kwargs) -> None:
        fields = [forms.CharField(required=False, max_length=max_length) for _code in LANGUAGE_CODES]
        kwargs.setdefault("widget", LocalizedWidget(long=long, max_length=max_length))
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list) -> dict[str, str]:
        return {code: text for code, text in zip(LANGUAGE_CODES, data_list or [], strict=False) if text}

    def validate(self, value) -> None:
        # Texts of only spaces pass MultiValueField's own emptiness check but are dropped above.
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class LocalDateTimeField(forms.Field):
    """A wall-clock date and time, returned naive; the form makes it aware in the event's time zone.

    Django's DateTimeField would interpret the input in the *server's* current zone, which is wrong
    for an event held elsewhere.
    """

    widget = DateTimeLocalInput
    input_formats = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S")
    default_error_messages = {"invalid": _("Enter a date and time, for example 2021-10-01 10:00.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.replace(tzinfo=None)
        text = str(value).strip()
        for fmt in self.input_formats:
            try:
                return datetime.strptime(text, fmt)  # noqa: DTZ007 - the zone is applied by the form
            except ValueError:
                continue
        raise ValidationError(self.error_messages["invalid"], code="invalid")


def _timezone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def _aware(naive: datetime, tz: zoneinfo.ZoneInfo) -> datetime | None:
    """The naive wall-clock time in `tz`, or None when it does not exist there (clocks jump forward)."""
    aware = naive.replace(tzinfo=tz)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        return None
    return aware


def _local_naive(moment: datetime | None, tz: zoneinfo.ZoneInfo) -> datetime | None:
    return moment.astimezone(tz).replace(tzinfo=None) if moment else None


# The safety rule ------------------------------------------------------------------------------

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
        initial=getattr(SafetyPolicy(), name),  # the invitation's numbers as a starting point
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


class EventForm(EventsForm):
    """Every field of an event. `slug` only when creating (it is part of the public address)."""

    DATETIME_FIELDS = _DATETIME_FIELDS
    AS_STORED_FIELDS = _AS_STORED_FIELDS

    slug = forms.SlugField(
        label=_("Web address (slug)"),
        max_length=80,
        help_text=_(
            "Part of the event's address, e.g. networking-meeting-2021: Latin letters (a–z), digits, hyphens and underscores."
        ),
    )
    title = LocalizedField(label=_("Title"), max_length=200, help_text=_("In at least one language."))
    description = LocalizedField(label=_("Description"), long=True, max_length=20000, required=False)
    agenda = LocalizedField(
        label=_("Agenda topics"), long=True, max_length=20000, required=False, help_text=_("One topic per line.")
    )
    venue = LocalizedField(label=_("Venue"), long=True, max_length=1000, required=False)
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_timezone_choices,
        initial=settings.TIME_ZONE,
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
    is_free = forms.BooleanField(label=_("Participation is free of charge"), required=False, initial=True)
    provides_materials = forms.BooleanField(
        label=_("The organisers provide training materials"), required=False, initial=True
    )
    provides_catering = forms.BooleanField(label=_("The organisers provide catering"), required=False, initial=True)
    conditions = LocalizedField(label=_("Further conditions"), long=True, max_length=20000, required=False)
    safety_rule = forms.ChoiceField(
        label=_("Safety rule for admission"),
        choices=SAFETY_RULE_CHOICES,
        initial=SAFETY_NONE,
        widget=forms.RadioSelect,
        help_text=_(
            "With the safety rule, people declare when registering whether they are vaccinated, recovered or "
            "tested, and see at once whether they meet the rule. The event page and the emails describe the rule "
            "from the numbers below, in every language."
        ),
    )
    vaccinated_after_days = _parameter_field(
        "vaccinated_after_days",
        _("Vaccinated: days after completing the vaccination cycle"),
        _("A vaccinated person meets the rule from this many days after the last dose (14 in the invitation)."),
    )
    recovered_within_months = _parameter_field(
        "recovered_within_months",
        _("Recovered: months after the first positive test"),
        _(
            "A recovered person meets the rule for this many months after their first positive test (6 in the invitation)."
        ),
    )
    tested_within_hours = _parameter_field(
        "tested_within_hours",
        _("Tested: hours since the negative test"),
        _(
            "A negative test counts for this many hours after it was taken, up to the start of the meeting (48 in the invitation)."
        ),
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

    def __init__(self, *args, event: Event | None = None, **kwargs) -> None:
        self.event = event
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(event)
        super().__init__(*args, **kwargs)
        if event is not None:
            del self.fields["slug"]
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
        initial["audience_types"] = list(event.audience_types or [])
        initial.update(EventForm.safety_initial(event.safety_policy))
        for name in EventForm.DATETIME_FIELDS:
            initial[name] = _local_naive(getattr(event, name), tz)
        initial["co_organisers"] = [org.pk for org in event.co_organisers.all()]
        return initial

    @staticmethod
    def safety_initial(data: dict | None) -> dict[str, Any]:
        """The rule's choice and parameters; without a rule, the invitation's numbers as a starting point."""
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

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if Event.objects.filter(slug=slug).exists():
            raise ValidationError(gettext("An event with this address already exists."), code="slug_taken")
        return slug

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
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
        names = [
            "slug",
            "title",
            "description",
            "agenda",
            "venue",
            "conditions",
            "safety_rules",
            "processing_purpose",
            "fallback_language",
            "timezone",
            *self.DATETIME_FIELDS,
            "capacity",
            "seats_per_organisation",
            "is_free",
            "provides_materials",
            "provides_catering",
            "privacy_notice",
            "health_data_retention_days",
            "personal_data_retention_days",
        ]
        if partial:
            data = {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}
            if "safety_policy" in self.cleaned_data and self.cleaned_data.get("safety_rule") is not None:
                data["safety_policy"] = self.cleaned_data["safety_policy"]
            return data
        data = {name: self.cleaned_data[name] for name in names if name in self.fields}
        data["safety_policy"] = self.cleaned_data["safety_policy"]
        data["audience_types"] = sorted(set(self.cleaned_data.get("audience_types") or []))
        return data


# Custom questions -----------------------------------------------------------------------------


# Letters that Unicode normalisation cannot reduce to ASCII: Polish ł and Ukrainian Cyrillic
# (the national transliteration, simplified), so keys stay readable in exports.
_TRANSLITERATION = str.maketrans(
    {
        "ł": "l", "Ł": "L", "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
        "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
        "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
        "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "",
    }
)  # fmt: skip


def _ascii_slug(text: str) -> str:
    return slugify(text.lower().translate(_TRANSLITERATION))


def _unique_key(text: str, taken: set[str], default: str) -> str:
    base = _ascii_slug(text)[:32].strip("-") or default
    key, number = base, 2
    while key in taken:
        key = f"{base}-{number}"
        number += 1
    taken.add(key)
    return key


def _key_source(label: dict[str, str]) -> str:
    """The label text that reads best as an ASCII key: English first, then the others."""
    for code in ("en", *LANGUAGE_CODES):
        if _ascii_slug(label.get(code, "")):
            return label[code]
    return ""


def _option_lines(options: dict[str, str]) -> dict[str, list[str]]:
    return {
        code: [line.strip() for line in text.splitlines() if line.strip()]
        for code, text in options.items()
        if text.strip()
    }


class QuestionForm(EventsForm):
    """One custom question. Options: one per line in each language, in the same order."""

    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    label = LocalizedField(label=_("Question"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices, initial=QuestionKind.SHORT_TEXT)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    options = LocalizedField(
        label=_("Options (for choice questions)"),
        long=True,
        max_length=5000,
        required=False,
        help_text=_("One option per line, in the same order in every language."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        assert cleaned is not None  # Form.clean returns cleaned_data
        if cleaned.get("DELETE"):
            return cleaned
        if "label" in cleaned and not cleaned["label"]:
            self.add_error("label", gettext("Write the question in at least one language."))
        kind = cleaned.get("kind")
        lines = _option_lines(cleaned.get("options") or {})
        cleaned["option_lines"] = lines
        if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE) and "options" in cleaned:
            counts = {len(values) for values in lines.values()}
            if not counts:
                self.add_error("options", gettext("A choice question needs at least one option."))
            elif len(counts) > 1:
                self.add_error(
                    "options",
                    gettext("Give every language the same number of options (one per line), or leave it empty."),
                )
            elif counts.pop() > MAX_OPTIONS:
                self.add_error(
                    "options",
                    ngettext(
                        "A question can have at most %(max)d option.",
                        "A question can have at most %(max)d options.",
                        MAX_OPTIONS,
                    )
                    % {"max": MAX_OPTIONS},
                )
        return cleaned


class BaseQuestionFormSet(forms.BaseFormSet):
    default_renderer = EventsFormRenderer()

    def __init__(self, *args, event: Event, **kwargs) -> None:
        self.event = event
        self.existing = {question.key: question for question in event.questions.all()}
        if "initial" not in kwargs:
            kwargs["initial"] = [self.initial_for(question) for question in self.existing.values()]
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_for(question: CustomQuestion) -> dict[str, Any]:
        options: dict[str, str] = {}
        for code in LANGUAGE_CODES:
            labels = [(option.get("label") or {}).get(code, "") for option in question.options]
            if any(labels):
                # Lines must match across languages: a missing translation shows what visitors
                # see in its place (the fallback text), so saving the form unchanged keeps working.
                options[code] = "\n".join(
                    label or localize(option.get("label"), code, question.event.fallback_language) or option["key"]
                    for label, option in zip(labels, question.options, strict=True)
                )
        return {
            "key": question.key,
            "label": question.label,
            "kind": question.kind,
            "required": question.required,
            "options": options,
        }

    def questions_data(self) -> list[dict[str, Any]]:
        """The questions in their new order, for services.questions_replace.

        Existing questions keep their key (answers are stored under it); new ones get a key made
        from their label. An option keeps its key while any of its texts stays the same.
        """
        taken = set(self.existing)  # Never reuse a key that answers may already be stored under.
        used: set[str] = set()
        result = []
        for form in self.ordered_forms:
            data = form.cleaned_data
            key = data.get("key") or ""
            if key in self.existing and key not in used:
                previous = self.existing[key]
            else:
                key = _unique_key(_key_source(data["label"]), taken, "question")
                previous = None
            used.add(key)
            options = []
            if data["kind"] in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
                options = self._options(data["option_lines"], previous)
            result.append(
                {
                    "key": key,
                    "kind": data["kind"],
                    "label": data["label"],
                    "required": data["required"],
                    "options": options,
                }
            )
        return result

    @staticmethod
    def _options(lines: dict[str, list[str]], previous: CustomQuestion | None) -> list[dict[str, Any]]:
        old = list(previous.options) if previous else []
        taken = {option["key"] for option in old}
        count = max((len(values) for values in lines.values()), default=0)
        options = []
        for index in range(count):
            label = {code: values[index] for code, values in lines.items()}
            match = next(
                (
                    option
                    for option in old
                    if any((option.get("label") or {}).get(code) == text for code, text in label.items())
                ),
                None,
            )
            if match is not None:
                old.remove(match)
                key = match["key"]
            else:
                key = _unique_key(_key_source(label), taken, "option")
            options.append({"key": key, "label": label})
        return options


# formset_factory returns a subclass of `formset` (django-stubs say only BaseFormSet).
QuestionFormSet = cast(
    "type[BaseQuestionFormSet]",
    forms.formset_factory(
        QuestionForm,
        formset=BaseQuestionFormSet,
        extra=3,
        can_delete=True,
        can_delete_extra=False,
        can_order=True,
        max_num=50,
        validate_max=True,
    ),
)


# Team -----------------------------------------------------------------------------------------


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
