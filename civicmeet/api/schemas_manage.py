"""Request and response shapes of the organisers' API (`/api/v1/manage/...`, civicmeet/api/manage.py).

Built from the same pieces as schemas.py: every text checked for what no database stores, every
request schema refusing unknown fields (`Input`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

# The API's one import of the team roles (manage.py takes them from here): they live with the teams.
from civicmeet.accounts.models import TeamRole
from civicmeet.events.models import EventAction, QuestionKind
from civicmeet.organisations.models import OrganisationType
from civicmeet.registrations.models import Dietary

from .errors import SLUG_PATTERN
from .schemas import (
    MAX_INT,
    Email,
    EventOut,
    HistoryEntryOut,
    Input,
    Language,
    Localized,
    Moment,
    OrganisationName,
    PersonName,
    Phone,
    ProgrammeSlug,
    RegistrationOut,
    SafetyDeclarationOut,
    SafetyPolicyIn,
    ShortText200,
    ShortText500,
    TimeZoneName,
)

# -- Events ------------------------------------------------------------------------------------


def _no_default(schema: dict[str, Any]) -> None:
    # A field left out of a PATCH is not changed: there is no default to document.
    schema.pop("default", None)


def unchanged(**kwargs: Any) -> Any:
    """A PATCH field: left out, the stored value stays as it is."""
    return Field(default=None, json_schema_extra=_no_default, **kwargs)


# The create body's fields that have no "none" value: null is refused for them in a PATCH.
NOT_NULL_FIELDS = (
    "slug",
    "title",
    "starts_at",
    "ends_at",
    "timezone",
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
    "fallback_language",
    "contact_email",
    "contact_phone",
    "contact_languages",
)

# How participants reach the organisers: changed through events.services.event_identity_update.
ContactEmail = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)]


class EventPatchIn(Input):
    """Any field of the create body; only the fields sent change, each one as a whole."""

    slug: Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=SLUG_PATTERN)] = unchanged(
        description="Cannot be changed after creation: only the event's current slug is accepted."
    )
    title: Localized = unchanged()
    starts_at: Moment = unchanged()
    ends_at: Moment = unchanged()
    timezone: TimeZoneName = unchanged()
    registration_opens_at: Moment = unchanged()
    registration_closes_at: Moment = unchanged()
    capacity: int = unchanged(ge=0, le=MAX_INT)
    seats_per_organisation: int | None = unchanged(ge=1, le=MAX_INT, description="null: no limit.")
    safety_policy: SafetyPolicyIn | None = unchanged(
        description="Replaces the rule as a whole (a parameter left out takes its default); null: no rule."
    )
    description: Localized | None = unchanged(description="null or {}: no description.")
    venue: Localized | None = unchanged(description="null or {}: no venue.")
    fallback_language: Language = unchanged(
        description="The language shown when a text is missing in the reader's language."
    )
    contact_email: ContactEmail = unchanged(
        description='Where participants write; the emails to them carry it as Reply-To. "": none.'
    )
    contact_phone: Phone = unchanged(
        description='International format, e.g. +48 600 123 456; stored as E.164 (+48600123456). "": none.'
    )
    contact_languages: list[Language] = unchanged(description="The languages the organisers answer in.")
    programme: ProgrammeSlug | None = unchanged(description="The grant programme's slug; null: part of none.")

    @field_validator(*NOT_NULL_FIELDS, mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        if value is None:
            raise PydanticCustomError("null_not_allowed", _("This field cannot be null."))
        return value


class RegistrationCountsOut(Schema):
    submitted: int
    accepted: int
    waitlisted: int
    rejected: int
    cancelled: int


class ManageEventOut(EventOut):
    fallback_language: str
    co_organisers: list[str] = Field(description="The co-organising organisations' names.")
    contact_email: str = Field(description='Where participants write to the organisers; "" for none.')
    contact_phone: str = Field(description='The organisers\' phone in E.164; "" for none.')
    contact_languages: list[str] = Field(description="The languages the organisers answer in.")
    registration_counts: RegistrationCountsOut = Field(description="Registrations per state, guests included.")


class ManageEventListOut(Schema):
    count: int = Field(description="All the organiser's events, not just this page.")
    items: list[ManageEventOut]


# -- Custom questions --------------------------------------------------------------------------

QuestionKey = Annotated[
    str,
    Field(
        description="Latin letters, digits, `-` and `_`, at most 40; answers are stored under it.",
        json_schema_extra={"maxLength": 40},
    ),
]


class QuestionOptionIn(Input):
    key: QuestionKey
    label: Localized


class QuestionIn(Input):
    key: QuestionKey
    kind: QuestionKind
    label: Localized
    required: bool = False
    counts_for_catering: bool = Field(
        default=False,
        description="A yes/no question whose answer catering counts (only those who say yes); at most one.",
    )
    options: list[QuestionOptionIn] = Field(
        default_factory=list, description="For single_choice and multiple_choice only (at least one)."
    )


class QuestionsIn(Input):
    questions: list[QuestionIn] = Field(description="The whole list, in order; it replaces the current one.")


class QuestionOptionOut(Schema):
    key: str
    label: dict[str, str]


class QuestionOut(Schema):
    key: str
    kind: str
    label: dict[str, str]
    required: bool
    counts_for_catering: bool
    options: list[QuestionOptionOut]


class QuestionsOut(Schema):
    questions: list[QuestionOut]


# -- Team --------------------------------------------------------------------------------------


class TeamMemberIn(Input):
    email: Email = Field(description="The email of an existing account.")
    role: TeamRole = Field(description="organiser: runs the event; desk: checks people in (no organiser access).")
    organisation: OrganisationName | None = Field(
        default=None, description="On behalf of which co-organising organisation (its name); null: none."
    )


class TeamMemberOut(Schema):
    id: int
    email: str
    role: TeamRole
    role_label: str
    organisation: str | None = Field(description="The co-organising organisation's name, or null.")


class TeamOut(Schema):
    count: int
    items: list[TeamMemberOut]


# -- Guests and registrations ------------------------------------------------------------------


class GuestIn(Input):
    """A guest (e.g. a city-office representative): accepted at once, outside the capacity."""

    first_name: PersonName
    last_name: PersonName
    email: Email
    organisation_name: ShortText200 = Field(default="", description="Organisation or institution.")
    organisation_type: OrganisationType = OrganisationType.OTHER
    organisation_role: ShortText200 = ""
    language: Language = Field(description="The language of the emails the guest receives.")
    dietary: Dietary = Dietary.NONE
    dietary_details: ShortText500 = Field(default="", description="Needed with `other`; allergies for any diet.")


class OrganiserRegistrationOut(RegistrationOut):
    history: list[HistoryEntryOut] = Field(description="What happened, oldest first; who acted only as a kind.")
    safety_declaration: SafetyDeclarationOut | None = Field(
        description="What is stored of the declaration; null when none is (no rule, a test to bring, deleted)."
    )
    safety_reason: str | None


# -- The event's history -----------------------------------------------------------------------


class EventHistoryEntryOut(Schema):
    at: datetime = Field(description="When, in the event's time zone.")
    action: EventAction = Field(description="What happened, as a dotted code.")
    action_label: str = Field(description="The same, in words, in the request's language.")
    actor: str | None = Field(description="The email of the team member who made the change; null for the system.")
    changes: dict[str, Any] = Field(
        description=(
            "Each changed field as `[before, after]` (texts per language); for the questions `added`, "
            "`removed`, `changed` (keys) and `order`; for the team `member` (email), `role` and "
            "`organisation`; for a guest the `registration` id."
        )
    )


class EventHistoryOut(Schema):
    count: int
    items: list[EventHistoryEntryOut]
