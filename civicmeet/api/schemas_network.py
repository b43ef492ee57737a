"""Response shapes (and query filters) of the network's read-only API (`/api/v1/network/…`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from civicmeet.channels.models import Topic
from civicmeet.organisations.models import OrganisationType, Region
from civicmeet.programmes.models import OfferKind
from civicmeet.resources.models import Category, Direction

from .pagination import PageParams

Code = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
CommunitySlug = Annotated[str, StringConstraints(pattern=r"^[-a-z0-9]{1,40}$")]
VisibilityName = Literal["public", "members", "private"]


class LanguageOut(Schema):
    code: str = Field(description="ISO 639 code (639-1 where the language has one).")
    name: str = Field(description="The language's name in the request's language.")


class CommunityOut(Schema):
    slug: str
    name: str = Field(description="In the request's language.")
    names: dict[str, str] = Field(description='Per language: {"pl": …, "uk": …, "en": …}.')


class CommunityListOut(Schema):
    count: int
    items: list[CommunityOut]


class OrganisationRefOut(Schema):
    id: int
    name: str = Field(description="In the request's language (its translation there, else the main name).")


class OrganisationSummaryOut(Schema):
    id: int
    url: str = Field(description="The public profile page.")
    name: str = Field(description="The main (usually registered Polish) name.")
    display_name: str = Field(description="The name in the request's language.")
    short_name: str
    type: OrganisationType
    communities: list[str] = Field(description="Community slugs (GET /api/v1/network/communities).")
    working_languages: list[str] = Field(description="ISO 639 codes.")
    city: str
    region: Region | Literal[""]
    visibility: VisibilityName


class OrganisationListOut(Schema):
    count: int
    items: list[OrganisationSummaryOut]


class NameVariantOut(Schema):
    name: str
    language: str = Field(description='The language of a translation; "" for other names.')
    kind: Literal["translation", "alternate", "former"]


class ContactOut(Schema):
    email: str
    phone: str
    other: str


class RepresentativeOut(Schema):
    name: str
    role: str
    email: str


class OrganisationOut(OrganisationSummaryOut):
    names: list[NameVariantOut]
    communities_served: list[CommunityOut]
    languages: list[LanguageOut]
    description: dict[str, str] = Field(description="Per language, only those written.")
    area_served: str
    website: str
    founded_year: int | None
    nip: str
    regon: str
    krs: str
    last_checked_on: date | None = Field(description="When the information was last checked.")
    parent: OrganisationRefOut | None = Field(description="The federation or coalition it belongs to, if visible.")
    members: list[OrganisationRefOut] = Field(description="Member organisations the caller may see.")
    contact: ContactOut | None = Field(
        description="null when the organisation shows its contact details to fewer people than the caller."
    )
    representatives: list[RepresentativeOut] = Field(
        description="Approved representatives who agreed to be shown; only for members of the network."
    )


class OrganisationFilters(PageParams):
    q: Annotated[str, StringConstraints(max_length=200)] = Field(
        default="",
        description="Words to search for (any name variant, in any language; case, diacritics and one typo "
        "do not matter). Results are then in order of relevance.",
    )
    type: OrganisationType | None = None
    community: CommunitySlug | None = Field(default=None, description="A community slug.")
    language: Code | None = Field(default=None, description="A working language (ISO 639 code).")
    region: Region | None = None


# -- Activities, offers and needs ------------------------------------------------------------------


class ActivityOut(Schema):
    id: int
    organisation: OrganisationRefOut
    title: str
    description: str
    written_in: str = Field(description="The language the texts are written in.")
    starts_on: date | None
    ends_on: date | None = Field(description="null: ongoing.")
    timing: Literal["current", "planned", "past"]
    languages: list[str]
    looking_for_partners: bool


class ActivityListOut(Schema):
    count: int
    items: list[ActivityOut]


class ActivityFilters(PageParams):
    organisation: int | None = Field(default=None, ge=1, le=2**63 - 1, description="An organisation's id.")
    language: Code | None = None
    looking_for_partners: bool | None = None


class ResourceOut(Schema):
    id: int
    organisation: OrganisationRefOut
    direction: Direction
    category: Category
    title: str
    description: str
    written_in: str
    quantity: int | None = Field(description="People for a room or transport, pieces, hours…; null: not given.")
    available_from: date | None
    available_until: date | None
    weekdays: list[int] = Field(description="Recurring days, 0 = Monday.")
    any_time: bool
    languages: list[str]
    city: str
    region: Region | Literal[""]
    online: bool = Field(description="Online or anywhere.")


class ResourceListOut(Schema):
    count: int
    items: list[ResourceOut]


class ResourceFilters(PageParams):
    direction: Direction | None = None
    category: Category | None = None
    organisation: int | None = Field(default=None, ge=1, le=2**63 - 1, description="An organisation's id.")
    region: Region | None = None
    language: Code | None = None


# -- Channels to local government ------------------------------------------------------------------


class ExperienceOut(Schema):
    organisation: OrganisationRefOut | None
    text: str
    written_in: str
    happened_on: date | None
    helpful: Literal["helpful", "partly", "not_helpful"]


class ChannelOut(Schema):
    id: int
    name: str
    department: str
    kind: str
    city: str
    region: Region | Literal[""]
    topics: list[str]
    purpose: str
    address: str
    opening_hours: str
    phone: str
    email: str
    website: str
    booking: str
    languages: list[str] = Field(description="Languages spoken at the office.")
    interpreter_available: bool
    language_notes: str
    written_in: str
    published_at: datetime | None


class ChannelDetailOut(ChannelOut):
    experiences: list[ExperienceOut] = Field(description="Published experiences the caller may see.")


class ChannelListOut(Schema):
    count: int
    items: list[ChannelOut]


class ChannelFilters(PageParams):
    region: Region | None = None
    topic: Topic | None = None
    interpreter_available: bool | None = None


class GoodPracticeFilters(PageParams):
    region: Region | None = None


class GoodPracticeOut(Schema):
    id: int
    title: str
    text: str
    written_in: str
    region: Region | Literal[""]
    organisation: OrganisationRefOut | None
    channels: list[int] = Field(description="Ids of the published channels it is about.")


class GoodPracticeListOut(Schema):
    count: int
    items: list[GoodPracticeOut]


# -- Programmes, projects and their offers --------------------------------------------------------------


class ProjectSummaryOut(Schema):
    slug: str
    short_name: str
    title: str = Field(description="In the request's language.")
    organisation: OrganisationRefOut


class ProgrammeOut(Schema):
    slug: str
    name: dict[str, str]
    funder: str
    operator: str
    description: dict[str, str]
    website: str
    projects: list[ProjectSummaryOut] = Field(description="Projects the caller may see.")


class ProgrammeListOut(Schema):
    count: int
    items: list[ProgrammeOut]


class ProjectOfferOut(Schema):
    id: int
    project: str = Field(description="The project's slug.")
    kind: OfferKind
    title: dict[str, str]
    description: dict[str, str]
    starts_at: datetime | None = Field(description="null: dates to be agreed.")
    ends_at: datetime | None
    online: bool
    address: str
    city: str
    region: Region | Literal[""]
    languages: list[str]
    seats: int | None = Field(description="null: no limit.")
    signup_until: datetime | None
    status: Literal["open", "closed", "cancelled"]
    url: str = Field(description="The offer's page, with its sign-up form.")


class ProjectOut(Schema):
    slug: str
    programme: str = Field(description="The programme's slug.")
    short_name: str
    title: dict[str, str]
    description: dict[str, str]
    website: str
    starts_on: date | None
    ends_on: date | None
    organisation: OrganisationRefOut
    partners: list[OrganisationRefOut]
    offers: list[ProjectOfferOut] = Field(description="Offers the caller may see.")


class ProjectOfferListOut(Schema):
    count: int
    items: list[ProjectOfferOut]


class ProjectOfferFilters(PageParams):
    project: Annotated[str, StringConstraints(pattern=r"^[-a-zA-Z0-9_]{1,80}$")] | None = Field(
        default=None, description="A project's slug."
    )
    kind: OfferKind | None = None
    language: Code | None = None
    open_only: bool = Field(default=False, description="Only offers open for sign-up.")
