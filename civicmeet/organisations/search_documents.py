"""How organisations are found by the network's one search box (search.services is the write path).

Each published organisation is one SearchDocument of kind "organisation": its name in each of the
site's languages as titles; every name variant, the short name, the descriptions, the city and area,
its communities and working languages named in all three languages as text; type, communities
(slugs), languages (codes) and region as facets. A draft is not indexed (it is not in the directory).

The profile services call `organisation_reindex` after every change. `organisations_reindex_all`
rebuilds everything (the `reindex_directory` command); apps above add their own items to that run
with `register_reindexer(fn)`, fn() → {kind: count}.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from civicmeet.search.models import SearchDocument
from civicmeet.search.services import search_document_delete, search_document_save

from .languages import language_name
from .models import Organisation, OrganisationStatus
from .selectors import organisation_display_name, organisation_slug, organisations_for_index

KIND = "organisation"
SITE_LANGUAGES = [code for code, _name in settings.LANGUAGES]

_REINDEXERS: list[Callable[[], dict[str, int]]] = []


def register_reindexer(fn: Callable[[], dict[str, int]]) -> None:
    """Join `organisations_reindex_all` (and so the `reindex_directory` command) with an app's own
    rebuild; fn() returns how many items of each kind it indexed."""
    if fn not in _REINDEXERS:
        _REINDEXERS.append(fn)


def _texts(organisation: Organisation) -> list[str]:
    texts = [variant.name for variant in organisation.names.all()]
    texts += [organisation.name, organisation.short_name]
    texts += [organisation.description_pl, organisation.description_uk, organisation.description_en]
    texts += [organisation.city, organisation.area_served, organisation.get_region_display()]
    for community in organisation.communities.all():
        texts += [community.name_pl, community.name_uk, community.name_en]
    for code in organisation.working_languages or []:
        texts += [language_name(code, language) for language in SITE_LANGUAGES]
    return list(dict.fromkeys(text for text in texts if text))


def _save(organisation: Organisation) -> SearchDocument:
    return search_document_save(
        kind=KIND,
        key=organisation.pk,
        organisation_id=organisation.pk,
        visibility=organisation.visibility,
        url_name="directory:organisation",
        url_kwargs={"pk": organisation.pk, "slug": organisation_slug(organisation)},
        titles={language: organisation_display_name(organisation, language) for language in SITE_LANGUAGES},
        texts=_texts(organisation),
        facets={
            "type": organisation.type,
            "communities": [community.slug for community in organisation.communities.all()],
            "languages": list(organisation.working_languages or []),
            "region": organisation.region,
        },
    )


def organisation_reindex(organisation: Organisation | int) -> SearchDocument | None:
    """Describe one organisation for search as it is now in the database (a draft: remove it)."""
    pk: int = organisation.pk if isinstance(organisation, Organisation) else organisation
    current = organisations_for_index().filter(pk=pk).first()
    if current is None or current.status != OrganisationStatus.PUBLISHED:
        search_document_delete(kind=KIND, key=pk)
        return None
    return _save(current)


def organisations_reindex_all(*, batch_size: int = 500) -> dict[str, int]:
    """Rebuild the search entries of every published organisation (and forget the others), then run
    the reindexers registered by other apps. Returns how many items of each kind were indexed."""
    published = organisations_for_index().filter(status=OrganisationStatus.PUBLISHED).order_by("pk")
    count, last_pk = 0, 0
    while True:
        batch = list(published.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            break
        for organisation in batch:
            _save(organisation)
        count += len(batch)
        last_pk = batch[-1].pk
    published_keys = {
        str(pk) for pk in Organisation.objects.filter(status=OrganisationStatus.PUBLISHED).values_list("pk", flat=True)
    }
    stale = [
        key
        for key in SearchDocument.objects.filter(kind=KIND).values_list("key", flat=True)
        if key not in published_keys
    ]
    for start in range(0, len(stale), batch_size):
        SearchDocument.objects.filter(kind=KIND, key__in=stale[start : start + batch_size]).delete()
    counts = {KIND: count}
    for reindexer in _REINDEXERS:
        counts.update(reindexer())
    return counts
