"""Reads of organisations and their pictures: the directory, the profile, the review queue.

Every list here runs a constant number of queries whatever it holds (asserted in the tests): what a
card or the profile shows is fetched with select_related / prefetch_related.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, Prefetch, QuerySet, Value
from django.utils.translation import get_language
from slugify import slugify

from .models import (
    NameKind,
    Organisation,
    OrganisationName,
    OrganisationStatus,
    Representative,
    RepresentativeStatus,
    StoredImageVariant,
)
from .permissions import may_edit_organisation, may_see, visible_filter

SLUG_MAX_LENGTH = 60
# The reverse relation of a registration to the organisation it names (registrations.Registration,
# related_name "registrations"): counted by name, since organisations cannot import registrations.
REGISTRATIONS_RELATION = "registrations"


def image_variants_prefetch(lookup: str) -> Prefetch:
    """Prefetch a picture's variants for an <img srcset> without loading their bytes.

    `lookup` leads to the variants, e.g. "cover__variants" or "co_organisers__logo__variants".
    """
    return Prefetch(lookup, queryset=StoredImageVariant.objects.defer("data").order_by("width"))


def image_variant_get(*, digest: str) -> StoredImageVariant | None:
    """The variant with these bytes (the same upload may be stored twice: any copy will do)."""
    return StoredImageVariant.objects.filter(digest=digest).only("content_type", "data", "digest").first()


# -- Names and addresses ------------------------------------------------------------------------


def organisation_slug(organisation: Organisation) -> str:
    """The readable part of the profile's address, from the main name ("fundacja-zustricz")."""
    return slugify(organisation.name or "", max_length=SLUG_MAX_LENGTH, word_boundary=True) or "organisation"


def organisation_display_name(organisation: Organisation, language: str | None = None) -> str:
    """The name in `language` (the active one by default): its translation there, else the main
    name. Reads `organisation.names.all()`, so prefetch "names" for lists."""
    language = language or get_language() or "en"
    for variant in organisation.names.all():
        if variant.kind == NameKind.TRANSLATION and variant.language == language:
            return variant.name
    return organisation.name


# -- The directory -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryFilters:
    type: str = ""
    community: str = ""  # a Community slug
    language: str = ""  # an ISO 639 code
    region: str = ""


def _with_card(queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """What a directory card shows: names, communities, the logo's variants."""
    return queryset.select_related("logo").prefetch_related(
        Prefetch("names", queryset=OrganisationName.objects.order_by("kind", "language", "name")),
        "communities",
        image_variants_prefetch("logo__variants"),
    )


def directory_list(*, user, filters: DirectoryFilters | None = None) -> QuerySet[Organisation]:
    """The published organisations `user` may see, filtered, by name."""
    filters = filters or DirectoryFilters()
    queryset = Organisation.objects.filter(status=OrganisationStatus.PUBLISHED).filter(
        visible_filter(user, organisation_field="pk")
    )
    if filters.type:
        queryset = queryset.filter(type=filters.type)
    if filters.region:
        queryset = queryset.filter(region=filters.region)
    if filters.community:
        queryset = queryset.filter(communities__slug=filters.community)
    if filters.language:
        # The code with its JSON quotes, so "uk" does not match another code containing it; works
        # on SQLite (no JSON containment there) and PostgreSQL alike.
        queryset = queryset.filter(working_languages__icontains=f'"{filters.language}"')
    return _with_card(queryset).order_by("name", "pk")


# -- The profile ----------------------------------------------------------------------------------


def organisation_profile_get(*, pk: int, user) -> Organisation | None:
    """The organisation with everything its profile page shows, or None when `user` may not see it.

    Published organisations follow their visibility; a draft only its editors (its approved
    representatives and the moderators) see. `consenting_representatives` holds the approved
    representatives who agreed to be shown (the page shows them to members only);
    `visible_members` the published member organisations the reader may see."""
    organisation = (
        Organisation.objects.filter(pk=pk)
        .select_related("logo", "parent")
        .prefetch_related(
            Prefetch("names", queryset=OrganisationName.objects.order_by("kind", "language", "name")),
            "communities",
            "parent__names",
            image_variants_prefetch("logo__variants"),
            Prefetch(
                "members",
                queryset=_with_card(
                    Organisation.objects.filter(status=OrganisationStatus.PUBLISHED).filter(
                        visible_filter(user, organisation_field="pk")
                    )
                ).order_by("name", "pk"),
                to_attr="visible_members",
            ),
            Prefetch(
                "representatives",
                queryset=Representative.objects.filter(status=RepresentativeStatus.APPROVED, contact_public=True)
                .select_related("user")
                .order_by("created_at"),
                to_attr="consenting_representatives",
            ),
        )
        .first()
    )
    if organisation is None:
        return None
    if organisation.status == OrganisationStatus.PUBLISHED:
        visible = may_see(user, visibility=organisation.visibility, organisation_id=organisation.pk)
    else:
        visible = may_edit_organisation(user, organisation)
    return _hide_invisible_parent(organisation, user) if visible else None


def _hide_invisible_parent(organisation: Organisation, user) -> Organisation:
    """The parent federation is named only when the reader may see its profile."""
    parent = organisation.parent
    visible = (
        parent is not None
        and parent.status == OrganisationStatus.PUBLISHED
        and may_see(user, visibility=parent.visibility, organisation_id=parent.pk)
    )
    organisation.visible_parent = parent if visible else None  # type: ignore[attr-defined]
    return organisation


# -- Editing and review -------------------------------------------------------------------------------


def organisation_descendant_ids(organisation: Organisation) -> set[int]:
    """The ids of its member organisations, their members and so on (one query per level)."""
    found: set[int] = set()
    level = {organisation.pk}
    while level:
        level = set(Organisation.objects.filter(parent_id__in=level).values_list("pk", flat=True)) - found
        found |= level
    return found


def parent_choices(organisation: Organisation) -> QuerySet[Organisation]:
    """The published organisations that may be this one's parent: not itself nor any of its own
    members (that would make a circle)."""
    excluded = organisation_descendant_ids(organisation) | {organisation.pk}
    return Organisation.objects.filter(status=OrganisationStatus.PUBLISHED).exclude(pk__in=excluded).order_by("name")


def _registrations_relation_exists() -> bool:
    return any(
        relation.get_accessor_name() == REGISTRATIONS_RELATION for relation in Organisation._meta.related_objects
    )


def review_queue() -> QuerySet[Organisation]:
    """The drafts waiting for a moderator, oldest first, each with `registration_count`: how many
    registrations name it."""
    queryset = Organisation.objects.filter(status=OrganisationStatus.DRAFT).prefetch_related("names", "communities")
    if _registrations_relation_exists():
        queryset = queryset.annotate(registration_count=Count(REGISTRATIONS_RELATION, distinct=True))
    else:
        queryset = queryset.annotate(registration_count=Value(0, output_field=IntegerField()))
    return queryset.order_by("created_at", "pk")


def organisations_for_index() -> QuerySet[Organisation]:
    """Organisations with what their search entry holds (names, communities)."""
    return Organisation.objects.prefetch_related("names", "communities")
