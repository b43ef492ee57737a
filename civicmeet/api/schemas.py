"""Request and response shapes of API v1.

String limits match the model fields' max_length, so anything the schema accepts fits the
database. Every text is checked for characters no database stores (NUL, lone surrogates), so
odd input is a 422 and never a 500.
"""

from __future__ import annotations

import enum
import math
from datetime import datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from civicmeet.core.moments import moment_in_range
from civicmeet.organisations.models import OrganisationType
from civicmeet.registrations.models import Dietary, State

from .errors import SLUG_PATTERN

# PositiveIntegerField's ceiling on every database Django supports.
MAX_INT = 2_147_483_647
MAX_BIGINT = 9_223_372_036_854_775_807

# Its members come from the settings, which mypy cannot read (it sees an Enum with no members).
Language = enum.Enum("Language", {code: code for code in settings.LANGUAGE_CODES}, type=str)  # type: ignore[misc]


def _leaves(value: Any):
    """Every string (keys included) and number in a JSON value; iterative, so depth is no risk."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            yield item


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as "\ud800"
        return False
    return True


def _check_storable(value: Any) -> Any:
    """Refuse what PostgreSQL cannot store: NUL characters, lone surrogates, NaN and infinity."""
    leaves = list(_leaves(value))
    strings = [leaf for leaf in leaves if isinstance(leaf, str)]
    if any("\x00" in text for text in strings):
        raise PydanticCustomError("null_characters", _("Null characters are not allowed."))
    if not all(_encodable(text) for text in strings):
        raise PydanticCustomError("invalid", _("Enter a valid value."))
    if not all(math.isfinite(leaf) for leaf in leaves if isinstance(leaf, float)):
        raise PydanticCustomError("invalid", _("Enter a valid value."))
    return value


def _check_email(value: str) -> str:
    try:
        validate_email(value)
    except DjangoValidationError:
        raise PydanticCustomError("invalid_email", _("Enter a valid email address.")) from None
    return value


def _check_languages(value: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(value) - set(settings.LANGUAGE_CODES))
    if unknown:
        raise PydanticCustomError(
            "unknown_language",
            _("Unknown language “%(code)s”. Use these language codes: %(codes)s.")
            % {"code": unknown[0], "codes": ", ".join(settings.LANGUAGE_CODES)},
        )
    return value


def text_limits(max_length: int, *, required: bool = False) -> StringConstraints:
    """A plain string's constraints: the model's length limit, whitespace trimmed."""
    return StringConstraints(strip_whitespace=True, min_length=1 if required else 0, max_length=max_length)


Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=254),
    AfterValidator(_check_storable),
    AfterValidator(_check_email),
    Field(json_schema_extra={"format": "email"}),
]
Localized = Annotated[
    dict[str, str],
    AfterValidator(_check_storable),
    AfterValidator(_check_languages),
    Field(description='Text per language code, e.g. {"pl": "…", "uk": "…", "en": "…"}.'),
]
JSONObject = Annotated[dict[str, Any], AfterValidator(_check_storable)]


def _check_moment(value: datetime) -> datetime:
    if not moment_in_range(value):
        raise PydanticCustomError("out_of_range", _("Enter a valid date/time."))
    return value


Moment = Annotated[AwareDatetime, AfterValidator(_check_moment)]

# Limits of the model fields they end up in. Written out as Annotated aliases (not built by a
# function) so that type checkers see them as types.
PersonName = Annotated[str, text_limits(100, required=True), AfterValidator(_check_storable)]
OrganisationName = Annotated[str, text_limits(200, required=True), AfterValidator(_check_storable)]
TimeZoneName = Annotated[str, text_limits(64, required=True), AfterValidator(_check_storable)]
Phone = Annotated[str, text_limits(32), AfterValidator(_check_storable)]
ShortText200 = Annotated[str, text_limits(200), AfterValidator(_check_storable)]
ShortText500 = Annotated[str, text_limits(500), AfterValidator(_check_storable)]
LongText1000 = Annotated[str, text_limits(1000), AfterValidator(_check_storable)]
Message = Annotated[str, text_limits(2000), AfterValidator(_check_storable)]


class Input(Schema):
    # A misspelt field name is an error the client wants to hear about, not a silent default.
    model_config = ConfigDict(extra="forbid")


# -- Errors ------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str
    code: str


class FieldErrorOut(Schema):
    field: str | None = Field(description="The field in error (dotted for nested values); null for the whole body.")
    message: str
    code: str


class ValidationErrorOut(Schema):
    detail: list[FieldErrorOut]


# -- Events ------------------------------------------------------------------------------------


# -- The safety rule ---------------------------------------------------------------------------


class SafetyPolicyIn(Input):
    """The event's safety rule (see docs/admission-rules.md). A parameter left out takes its default."""

    vaccinated_after_days: int = Field(default=14, description="Days after completing the vaccination cycle.")
    recovered_within_months: int = Field(default=6, description="Calendar months after the first positive test.")
    tested_within_hours: int = Field(default=48, description="Hours a negative test counts for.")
    test_kinds: list[str] = Field(default_factory=lambda: ["antigen", "pcr"], description="Accepted: pcr, antigen.")


class SafetyPolicyOut(Schema):
    vaccinated_after_days: int
    recovered_within_months: int
    tested_within_hours: int
    test_kinds: list[str]


class SafetyIn(Input):
    """A declaration: the basis and the date or moment it rests on. Nothing else is ever accepted."""

    basis: Literal["vaccinated", "recovered", "tested"]
    date: str | None = Field(
        default=None,
        description="vaccinated: the day the vaccination cycle was completed; recovered: the day of the first "
        "positive test. YYYY-MM-DD.",
        json_schema_extra={"format": "date"},
    )
    taken_at: str | None = Field(
        default=None,
        description="tested: when the test was taken, ISO 8601 with its offset. Leave out: a test will be brought.",
        json_schema_extra={"format": "date-time"},
    )
    test_kind: Literal["pcr", "antigen"] | None = Field(default=None, description="tested: the kind of test.")


class SafetyCheckOut(Schema):
    verdict: Literal["meets", "does_not_meet", "to_be_checked"]
    reason: str = Field(description="Why, in one sentence in the request's language.")
    reason_code: str = Field(description="The rules engine's reason code, e.g. vaccinated_too_early.")
    valid_from: datetime | None = Field(description="From when the basis meets the rule; null: unbounded or unknown.")
    valid_until: datetime | None = Field(description="Until when the basis meets the rule; null: unbounded or unknown.")


class SafetyDeclarationOut(Schema):
    basis: str
    date: str | None
    taken_at: datetime | None
    test_kind: str | None


# A programme by its slug (as in `/network/programmes`).
ProgrammeSlug = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=SLUG_PATTERN)]


class EventIn(Input):
    slug: Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=SLUG_PATTERN)]
    title: Localized
    starts_at: Moment
    ends_at: Moment
    timezone: TimeZoneName
    registration_opens_at: Moment
    registration_closes_at: Moment
    capacity: int = Field(ge=0, le=MAX_INT)
    seats_per_organisation: int | None = Field(default=None, ge=1, le=MAX_INT, description="null: no limit.")
    safety_policy: SafetyPolicyIn | None = Field(default=None, description="The safety rule; null: none.")
    description: Localized | None = None
    venue: Localized | None = None
    fallback_language: Language | None = Field(
        default=None, description="The language shown when a text is missing in the reader's language."
    )
    # How participants reach the organisers (events.services.event_identity_update).
    contact_email: Annotated[str, text_limits(254)] = Field(
        default="", description='Where participants write; the emails to them carry it as Reply-To. "": none.'
    )
    contact_phone: Phone = Field(
        default="", description='International format, e.g. +48 600 123 456; stored as E.164. "": none.'
    )
    contact_languages: list[Language] = Field(default=[], description="The languages the organisers answer in.")
    programme: ProgrammeSlug | None = Field(
        default=None, description="The slug of the grant programme the event is part of; null: none."
    )


class EventProgrammeOut(Schema):
    slug: str = Field(description="The programme's slug (as in `/network/programmes`).")
    name: dict[str, str] = Field(description="The programme's name per language.")
    url: str = Field(description="The programme's public page.")


class EventOut(Schema):
    slug: str
    url: str = Field(description="The public page of the event.")
    title: dict[str, str]
    description: dict[str, str]
    venue: dict[str, str]
    starts_at: datetime
    ends_at: datetime
    timezone: str
    registration_opens_at: datetime
    registration_closes_at: datetime
    registration_open: bool
    capacity: int
    seats_per_organisation: int | None
    seats_left: int
    safety_policy: SafetyPolicyOut | None
    is_published: bool
    programme: EventProgrammeOut | None = Field(description="The grant programme the event is part of, if any.")


class EventListOut(Schema):
    count: int
    items: list[EventOut]


# -- Registrations -----------------------------------------------------------------------------


class RegistrationIn(Input):
    first_name: PersonName
    last_name: PersonName
    email: Email
    phone: Phone = Field(default="", description="International format, e.g. +48 600 123 456.")
    organisation_name: OrganisationName
    organisation_type: OrganisationType
    organisation_role: ShortText200 = ""
    language: Language = Field(description="The language of the emails the participant receives.")
    dietary: Dietary = Dietary.NONE
    dietary_details: ShortText500 = ""
    accessibility_needs: LongText1000 = ""
    interpreting_needs: ShortText500 = ""
    answers: JSONObject = Field(default_factory=dict, description="Answers to the event's questions, by key.")
    consent_processing: bool = Field(description="Must be true.")
    consent_listing: bool = False
    safety: SafetyIn | None = Field(
        default=None,
        description="The declaration for the event's safety rule; ignored when the event has none. Left out, or "
        "`tested` without `taken_at`: the person will bring a test, and nothing is stored.",
    )
    consent_health: bool = Field(
        default=False, description="Explicit consent to processing the declaration (GDPR Art. 9); needed with one."
    )


class RegistrationCreatedOut(Schema):
    id: int
    state: Literal["submitted"]
    token: str = Field(description="The participant's personal key; keep it secret.")
    manage_url: str = Field(description="The participant's personal page.")
    safety_verdict: Literal["meets", "does_not_meet", "to_be_checked"] | None = Field(
        description="null: the event has no safety rule."
    )
    safety_reason: str | None


class HistoryEntryOut(Schema):
    at: datetime
    action: str
    from_state: str
    to_state: str
    actor: str = Field(description="participant, organiser or system")
    message: str


class RegistrationOut(Schema):
    id: int
    event_slug: str
    state: State
    state_label: str
    role: str
    first_name: str
    last_name: str
    email: str
    phone: str
    organisation_name: str
    organisation_type: str | None
    organisation_role: str
    language: str
    dietary: str
    dietary_details: str
    accessibility_needs: str
    interpreting_needs: str
    answers: dict[str, Any]
    consent_listing: bool
    safety_verdict: str | None = Field(description="meets, does_not_meet, to_be_checked; null: no safety rule.")
    created_at: datetime
    updated_at: datetime


class ParticipantRegistrationOut(RegistrationOut):
    manage_url: str
    history: list[HistoryEntryOut]
    safety_declaration: SafetyDeclarationOut | None = Field(
        description="What is stored of the declaration; null when none is (no rule, a test to bring, deleted)."
    )
    safety_reason: str | None


class RegistrationListOut(Schema):
    count: int = Field(description="All registrations matching the filter, not just this page.")
    items: list[RegistrationOut]


class DecisionIn(Input):
    decision: Literal["accept", "waitlist", "reject"]
    message: Message = Field(default="", description="Sent to the participant with the decision.")
    confirm: bool = Field(
        default=False,
        description="Accept although the declaration does not meet the event's safety rule (an explicit yes).",
    )
