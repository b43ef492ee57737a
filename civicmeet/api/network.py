"""The network's directory, read-only: `/api/v1/network/…`.

Organisations, the communities they serve, their activities, offers and needs, the channels to
local government with good practice, and the programmes with their projects and offers.

Who sees what follows `organisations.permissions` exactly as the pages do: without a token, public
items only; with the token of a member of the network (an approved representative, a moderator,
an event organiser) also the items for members; their own organisation's private items to its
representatives; everything to moderators. An item of an organisation the caller may not see, or
of a draft organisation, is not shown either. A token that is sent but unknown is 401 (a client
should hear that its token no longer works rather than silently see less).

Every list runs a constant number of queries whatever it holds (asserted in the tests).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Query, Router

from civicmeet.channels.models import Channel, ChannelExperience, GoodPractice, ItemStatus
from civicmeet.organisations.languages import language_name
from civicmeet.organisations.models import Community, Organisation, OrganisationName, OrganisationStatus
from civicmeet.organisations.permissions import (
    is_moderator,
    is_network_member,
    may_see,
    represented_organisation_ids,
    visible_filter,
)
from civicmeet.organisations.selectors import (
    DirectoryFilters,
    directory_list,
    organisation_display_name,
    organisation_profile_get,
    organisation_slug,
)
from civicmeet.programmes.models import OfferStatus, Programme, Project, ProjectOffer
from civicmeet.resources.models import Activity, Resource
from civicmeet.search.selectors import search, visibilities_for

from .auth import OrganiserToken
from .schemas import MAX_BIGINT, ErrorOut, ValidationErrorOut
from .schemas_network import (
    ActivityFilters,
    ActivityListOut,
    ChannelDetailOut,
    ChannelFilters,
    ChannelListOut,
    CommunityListOut,
    GoodPracticeFilters,
    GoodPracticeListOut,
    OrganisationFilters,
    OrganisationListOut,
    OrganisationOut,
    ProgrammeListOut,
    ProjectOfferFilters,
    ProjectOfferListOut,
    ProjectOut,
    ResourceFilters,
    ResourceListOut,
)

router = Router(tags=["network"])

SITE_LANGUAGES = [code for code, _name in settings.LANGUAGES]


class MemberToken(OrganiserToken):
    """Optional: no Authorization header is an anonymous caller; a header must hold a valid token."""

    def __call__(self, request: HttpRequest):
        if not request.headers.get(self.header):
            return AnonymousUser()
        return super().__call__(request)


member_auth = MemberToken()


def _responses(out: type) -> dict[int, type]:
    return {200: out, 401: ErrorOut, 422: ValidationErrorOut}


def _detail_responses(out: type) -> dict[int, type]:
    return {200: out, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _caller(request: HttpRequest):
    return request.auth  # type: ignore[attr-defined]  # set by member_auth


def _valid_id(value: int) -> int:
    if not 0 < value <= MAX_BIGINT:
        raise Http404
    return value


def _absolute(name: str, **kwargs: Any) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _has_language(field: str, code: str) -> Q:
    # The code with its JSON quotes, so "uk" does not match a code containing it (SQLite and
    # PostgreSQL alike), as organisations.selectors.directory_list does.
    return Q(**{f"{field}__icontains": f'"{code}"'})


def _page(queryset: QuerySet, page) -> tuple[int, list]:
    return queryset.count(), list(queryset[page.offset : page.offset + page.limit])


def _visible_items(user, *, organisation_field: str = "organisation", also: tuple[str, ...] = ()) -> Q:
    """The item's own visibility (and that of each of `also`, e.g. its project's), and its
    organisation published and visible to `user`."""
    allowed = Q(**{f"{organisation_field}__status": OrganisationStatus.PUBLISHED})
    for visibility_field in ("visibility", *also, f"{organisation_field}__visibility"):
        allowed &= visible_filter(user, organisation_field=organisation_field, visibility_field=visibility_field)
    return allowed


def _names_prefetch(lookup: str) -> Prefetch:
    return Prefetch(lookup, queryset=OrganisationName.objects.order_by("kind", "language", "name"))


def _ref(organisation: Organisation | None) -> dict[str, Any] | None:
    if organisation is None:
        return None
    return {"id": organisation.pk, "name": organisation_display_name(organisation)}


# -- Organisations and communities -----------------------------------------------------------------


def _community_out(community: Community) -> dict[str, Any]:
    return {
        "slug": community.slug,
        "name": community.name,
        "names": {language: getattr(community, f"name_{language}") for language in SITE_LANGUAGES},
    }


def _organisation_summary(organisation: Organisation) -> dict[str, Any]:
    return {
        "id": organisation.pk,
        "url": _absolute("directory:organisation", pk=organisation.pk, slug=organisation_slug(organisation)),
        "name": organisation.name,
        "display_name": organisation_display_name(organisation),
        "short_name": organisation.short_name,
        "type": organisation.type,
        "communities": [community.slug for community in organisation.communities.all()],
        "working_languages": list(organisation.working_languages or []),
        "city": organisation.city,
        "region": organisation.region,
        "visibility": organisation.visibility,
    }


@router.get("/network/communities", auth=member_auth, response=_responses(CommunityListOut), summary="List communities")
def community_list(request: HttpRequest):
    """The communities organisations serve (a list the moderators keep), with their names in each
    language. Public."""
    communities = list(Community.objects.order_by("order", "name_en"))
    return {"count": len(communities), "items": [_community_out(community) for community in communities]}


@router.get(
    "/network/organisations",
    auth=member_auth,
    response=_responses(OrganisationListOut),
    summary="List or search the directory's organisations",
)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]):
    """Published organisations the caller may see, by name; filtered by type, community, working
    language and region. With `q`, the directory's full-text search (the same as the site's search
    box, across every name variant and language), best match first."""
    user = _caller(request)
    directory = directory_list(
        user=user,
        filters=DirectoryFilters(
            type=filters.type.value if filters.type else "",
            community=filters.community or "",
            language=filters.language or "",
            region=filters.region.value if filters.region else "",
        ),
    )
    if not filters.q.strip():
        count, organisations = _page(directory, filters)
        return {"count": count, "items": [_organisation_summary(organisation) for organisation in organisations]}
    facets = {
        name: [value]
        for name, value in (
            ("type", filters.type.value if filters.type else None),
            ("communities", filters.community),
            ("languages", filters.language),
            ("region", filters.region.value if filters.region else None),
        )
        if value
    }
    results = search(
        filters.q,
        visibilities=visibilities_for(member=is_network_member(user), moderator=is_moderator(user)),
        own_organisation_ids=represented_organisation_ids(user),
        kinds=["organisation"],
        facets=facets,
        limit=filters.limit,
        offset=filters.offset,
        language=get_language(),
        count_limit=None,  # the API's count is exact (organisations only: at most the directory)
    )
    ranked = [int(hit.key) for hit in results.hits if hit.key.isdigit()]
    found = {organisation.pk: organisation for organisation in directory.filter(pk__in=ranked)}
    items = [_organisation_summary(found[pk]) for pk in ranked if pk in found]
    return {"count": results.total, "items": items}


@router.get(
    "/network/organisations/{organisation_id}",
    auth=member_auth,
    response=_detail_responses(OrganisationOut),
    summary="Get an organisation's profile",
)
def organisation_detail(request: HttpRequest, organisation_id: int):
    """One published organisation the caller may see (unknown ones, drafts and those it may not
    see answer 404): its names, communities, working languages by name, description in each
    language, registry numbers, parent federation and members; its contact details only when the
    organisation shows them to the caller; the representatives who agreed to be shown, only to
    members of the network."""
    user = _caller(request)
    organisation = organisation_profile_get(pk=_valid_id(organisation_id), user=user)
    if organisation is None or organisation.status != OrganisationStatus.PUBLISHED:
        raise Http404
    contact_visible = may_see(user, visibility=organisation.contact_visibility, organisation_id=organisation.pk)
    member = is_network_member(user)
    return {
        **_organisation_summary(organisation),
        "names": [
            {"name": variant.name, "language": variant.language, "kind": variant.kind}
            for variant in organisation.names.all()
        ],
        "communities_served": [_community_out(community) for community in organisation.communities.all()],
        "languages": [{"code": code, "name": language_name(code)} for code in organisation.working_languages or []],
        "description": {
            language: text
            for language in SITE_LANGUAGES
            if (text := getattr(organisation, f"description_{language}", ""))
        },
        "area_served": organisation.area_served,
        "website": organisation.website,
        "founded_year": organisation.founded_year,
        "nip": organisation.nip,
        "regon": organisation.regon,
        "krs": organisation.krs,
        "last_checked_on": organisation.last_checked_on,
        "parent": _ref(getattr(organisation, "visible_parent", None)),
        "members": [_ref(member_organisation) for member_organisation in getattr(organisation, "visible_members", [])],
        "contact": {
            "email": organisation.contact_email,
            "phone": organisation.contact_phone,
            "other": organisation.contact_other,
        }
        if contact_visible
        else None,
        "representatives": [
            {
                "name": representative.user.get_full_name() or representative.user.email,
                "role": representative.role,
                "email": representative.user.email,
            }
            for representative in getattr(organisation, "consenting_representatives", [])
        ]
        if member
        else [],
    }


# -- Activities, offers and needs --------------------------------------------------------------------


def _activity_out(activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "organisation": _ref(activity.organisation),
        "title": activity.title,
        "description": activity.description,
        "written_in": activity.language,
        "starts_on": activity.starts_on,
        "ends_on": activity.ends_on,
        "timing": activity.timing(),
        "languages": list(activity.languages or []),
        "looking_for_partners": activity.looking_for_partners,
    }


@router.get("/network/activities", auth=member_auth, response=_responses(ActivityListOut), summary="List activities")
def activity_list(request: HttpRequest, filters: Query[ActivityFilters]):
    """Current and planned activities of the organisations the caller may see (finished ones are
    left out), soonest first; filtered by organisation, language or "looking for partners"."""
    user = _caller(request)
    today = timezone.localdate()
    activities = Activity.objects.filter(_visible_items(user)).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    if filters.organisation:
        activities = activities.filter(organisation_id=filters.organisation)
    if filters.language:
        activities = activities.filter(_has_language("languages", filters.language))
    if filters.looking_for_partners is not None:
        activities = activities.filter(looking_for_partners=filters.looking_for_partners)
    activities = (
        activities.select_related("organisation")
        .prefetch_related(_names_prefetch("organisation__names"))
        .order_by("starts_on", "pk")
    )
    count, items = _page(activities, filters)
    return {"count": count, "items": [_activity_out(activity) for activity in items]}


def _resource_out(resource: Resource) -> dict[str, Any]:
    return {
        "id": resource.pk,
        "organisation": _ref(resource.organisation),
        "direction": resource.direction,
        "category": resource.category,
        "title": resource.title,
        "description": resource.description,
        "written_in": resource.language,
        "quantity": resource.quantity,
        "available_from": resource.available_from,
        "available_until": resource.available_until,
        "weekdays": list(resource.weekdays or []),
        "any_time": resource.any_time,
        "languages": list(resource.languages or []),
        "city": resource.city,
        "region": resource.region,
        "online": resource.online,
    }


@router.get(
    "/network/resources", auth=member_auth, response=_responses(ResourceListOut), summary="List offers and needs"
)
def resource_list(request: HttpRequest, filters: Query[ResourceFilters]):
    """What organisations offer to share and what they need (current ones only: active and not past
    their "show until" day), newest first; filtered by offer or need, category, organisation, region
    and language."""
    user = _caller(request)
    today = timezone.localdate()
    resources = Resource.objects.filter(_visible_items(user)).filter(
        Q(active=True), Q(active_until__isnull=True) | Q(active_until__gte=today)
    )
    if filters.direction:
        resources = resources.filter(direction=filters.direction)
    if filters.category:
        resources = resources.filter(category=filters.category)
    if filters.organisation:
        resources = resources.filter(organisation_id=filters.organisation)
    if filters.region:
        resources = resources.filter(region=filters.region)
    if filters.language:
        resources = resources.filter(_has_language("languages", filters.language))
    resources = (
        resources.select_related("organisation")
        .prefetch_related(_names_prefetch("organisation__names"))
        .order_by("-updated_at", "-pk")
    )
    count, items = _page(resources, filters)
    return {"count": count, "items": [_resource_out(resource) for resource in items]}


# -- Channels to local government and good practice ---------------------------------------------------


def _author_ref(user, organisation: Organisation | None) -> dict[str, Any] | None:
    """The organisation that wrote a channel item, named only when the caller may see its profile."""
    if (
        organisation is None
        or organisation.status != OrganisationStatus.PUBLISHED
        or not may_see(user, visibility=organisation.visibility, organisation_id=organisation.pk)
    ):
        return None
    return _ref(organisation)


def _published(user, *, organisation_field: str = "organisation") -> Q:
    """A published channel item the caller may see (an item without an organisation follows its own
    visibility only)."""
    return Q(status=ItemStatus.PUBLISHED) & visible_filter(user, organisation_field=organisation_field)


def _channel_out(channel: Channel) -> dict[str, Any]:
    return {
        "id": channel.pk,
        "name": channel.name,
        "department": channel.department,
        "kind": channel.kind,
        "city": channel.city,
        "region": channel.region,
        "topics": list(channel.topics or []),
        "purpose": channel.purpose,
        "address": channel.address,
        "opening_hours": channel.opening_hours,
        "phone": channel.phone,
        "email": channel.email,
        "website": channel.website,
        "booking": channel.booking,
        "languages": list(channel.languages or []),
        "interpreter_available": channel.interpreter_available,
        "language_notes": channel.language_notes,
        "written_in": channel.language,
        "published_at": channel.published_at,
    }


@router.get(
    "/network/channels", auth=member_auth, response=_responses(ChannelListOut), summary="List channels to officials"
)
def channel_list(request: HttpRequest, filters: Query[ChannelFilters]):
    """Published offices and departments of local government (and other public bodies) the caller
    may see: what each is for, how to reach it, which languages it helps in; by name."""
    channels = Channel.objects.filter(_published(_caller(request)))
    if filters.region:
        channels = channels.filter(region=filters.region)
    if filters.topic:
        channels = channels.filter(topics__icontains=f'"{filters.topic.value}"')
    if filters.interpreter_available is not None:
        channels = channels.filter(interpreter_available=filters.interpreter_available)
    count, items = _page(channels.order_by("name", "pk"), filters)
    return {"count": count, "items": [_channel_out(channel) for channel in items]}


@router.get(
    "/network/channels/{channel_id}",
    auth=member_auth,
    response=_detail_responses(ChannelDetailOut),
    summary="Get a channel with organisations' experiences",
)
def channel_detail(request: HttpRequest, channel_id: int):
    """One published channel the caller may see, with the published experiences of organisations
    with it (those the caller may see). Others answer 404."""
    user = _caller(request)
    experiences = (
        ChannelExperience.objects.filter(_published(user))
        .select_related("organisation")
        .prefetch_related(_names_prefetch("organisation__names"))
        .order_by("-happened_on", "-pk")
    )
    channel = (
        Channel.objects.filter(_published(user), pk=_valid_id(channel_id))
        .prefetch_related(Prefetch("experiences", queryset=experiences, to_attr="visible_experiences"))
        .first()
    )
    if channel is None:
        raise Http404
    return {
        **_channel_out(channel),
        "experiences": [
            {
                "organisation": _author_ref(user, experience.organisation),
                "text": experience.text,
                "written_in": experience.language,
                "happened_on": experience.happened_on,
                "helpful": experience.helpful,
            }
            for experience in channel.visible_experiences
        ],
    }


@router.get(
    "/network/good-practices",
    auth=member_auth,
    response=_responses(GoodPracticeListOut),
    summary="List good practice in working with local government",
)
def good_practice_list(request: HttpRequest, page: Query[GoodPracticeFilters]):
    """Published good-practice notes the caller may see, newest first, with the channels they are
    about; `region` narrows them."""
    user = _caller(request)
    practices = GoodPractice.objects.filter(_published(user))
    if page.region:
        practices = practices.filter(region=page.region)
    practices = (
        practices.select_related("organisation")
        .prefetch_related(
            _names_prefetch("organisation__names"),
            Prefetch(
                "channels", queryset=Channel.objects.filter(_published(user)).only("pk"), to_attr="visible_channels"
            ),
        )
        .order_by("-published_at", "-pk")
    )
    count, items = _page(practices, page)
    return {
        "count": count,
        "items": [
            {
                "id": practice.pk,
                "title": practice.title,
                "text": practice.text,
                "written_in": practice.language,
                "region": practice.region,
                "organisation": _author_ref(user, practice.organisation),
                "channels": [channel.pk for channel in practice.visible_channels],
            }
            for practice in items
        ],
    }


# -- Programmes, projects and their offers --------------------------------------------------------------


def _visible_projects(user) -> QuerySet[Project]:
    return (
        Project.objects.filter(_visible_items(user))
        .select_related("organisation", "programme")
        .prefetch_related(_names_prefetch("organisation__names"))
    )


def _visible_offers(user) -> QuerySet[ProjectOffer]:
    """Offers the caller may see: their own visibility, their project's and their organisation's."""
    return ProjectOffer.objects.filter(
        _visible_items(user, organisation_field="project__organisation", also=("project__visibility",))
    )


def _offer_out(offer: ProjectOffer, project_slug: str) -> dict[str, Any]:
    return {
        "id": offer.pk,
        "project": project_slug,
        "kind": offer.kind,
        "title": dict(offer.title or {}),
        "description": dict(offer.description or {}),
        "starts_at": offer.starts_at,
        "ends_at": offer.ends_at,
        "online": offer.online,
        "address": offer.address,
        "city": offer.city,
        "region": offer.region,
        "languages": list(offer.languages or []),
        "seats": offer.seats,
        "signup_until": offer.signup_until,
        "status": offer.status,
        "url": _absolute("programmes:offer", pk=offer.pk),
    }


@router.get(
    "/network/programmes",
    auth=member_auth,
    response=_responses(ProgrammeListOut),
    summary="List programmes and their projects",
)
def programme_list(request: HttpRequest):
    """Funding programmes (such as "Active Citizens – National Fund") with the projects the caller
    may see, each with the organisation that runs it."""
    user = _caller(request)
    programmes = Programme.objects.prefetch_related(
        Prefetch(
            "projects", queryset=_visible_projects(user).order_by("short_name", "slug"), to_attr="visible_projects"
        )
    ).order_by("slug")
    items = [
        {
            "slug": programme.slug,
            "name": dict(programme.name or {}),
            "funder": programme.funder,
            "operator": programme.operator,
            "description": dict(programme.description or {}),
            "website": programme.website,
            "projects": [
                {
                    "slug": project.slug,
                    "short_name": project.short_name,
                    "title": project.display_title(),
                    "organisation": _ref(project.organisation),
                }
                for project in programme.visible_projects
            ],
        }
        for programme in programmes
    ]
    return {"count": len(items), "items": items}


@router.get(
    "/network/projects/{slug}",
    auth=member_auth,
    response=_detail_responses(ProjectOut),
    summary="Get a project with its offers",
)
def project_detail(request: HttpRequest, slug: str):
    """One project the caller may see, with its partners and its offers (trainings, workshops,
    activities…) that the caller may see. Others answer 404."""
    user = _caller(request)
    if len(slug) > 80:
        raise Http404
    project = (
        _visible_projects(user)
        .filter(slug=slug)
        .prefetch_related(
            Prefetch(
                "partners",
                queryset=Organisation.objects.filter(status=OrganisationStatus.PUBLISHED)
                .filter(visible_filter(user, organisation_field="pk"))
                .prefetch_related(_names_prefetch("names"))
                .order_by("name"),
                to_attr="visible_partners",
            ),
            Prefetch(
                "offers",
                queryset=_visible_offers(user).exclude(status=OfferStatus.CANCELLED).order_by("starts_at", "pk"),
                to_attr="visible_offers",
            ),
        )
        .first()
    )
    if project is None:
        raise Http404
    return {
        "slug": project.slug,
        "programme": project.programme.slug,
        "short_name": project.short_name,
        "title": dict(project.title or {}),
        "description": dict(project.description or {}),
        "website": project.website,
        "starts_on": project.starts_on,
        "ends_on": project.ends_on,
        "organisation": _ref(project.organisation),
        "partners": [_ref(partner) for partner in project.visible_partners],
        "offers": [_offer_out(offer, project.slug) for offer in project.visible_offers],
    }


@router.get(
    "/network/project-offers",
    auth=member_auth,
    response=_responses(ProjectOfferListOut),
    summary="List the projects' offers",
)
def project_offer_list(request: HttpRequest, filters: Query[ProjectOfferFilters]):
    """Trainings, workshops, activities and consultations of the projects the caller may see
    (cancelled ones left out), soonest first; filtered by project, kind, language, or only those
    open for sign-up."""
    user = _caller(request)
    offers = _visible_offers(user).exclude(status=OfferStatus.CANCELLED)
    if filters.project:
        offers = offers.filter(project__slug=filters.project)
    if filters.kind:
        offers = offers.filter(kind=filters.kind)
    if filters.language:
        offers = offers.filter(_has_language("languages", filters.language))
    if filters.open_only:
        offers = offers.filter(status=OfferStatus.OPEN).filter(
            Q(signup_until__isnull=True) | Q(signup_until__gte=timezone.now())
        )
    offers = offers.select_related("project").order_by("starts_at", "pk")
    count, items = _page(offers, filters)
    return {"count": count, "items": [_offer_out(offer, offer.project.slug) for offer in items]}
