"""The one write path of the search index: apps describe their items here, in their own services."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import transaction

from .models import SearchDocument


def search_document_save(
    *,
    kind: str,
    key: int | str,
    organisation_id: int | None,
    visibility: str,
    url_name: str,
    url_kwargs: Mapping[str, object],
    titles: Mapping[str, str],
    texts: Sequence[str],
    facets: Mapping[str, str | Sequence[str]],
) -> SearchDocument:
    """Add or replace the search entry of one item. `titles` per language; `texts` everything else it
    is found by (descriptions in every language, name variants); `facets` what the page filters by."""
    title = " · ".join(dict.fromkeys(value for value in titles.values() if value))
    with transaction.atomic():
        document, _created = SearchDocument.objects.update_or_create(
            kind=kind,
            key=str(key),
            defaults={
                "organisation_id": organisation_id,
                "visibility": visibility,
                "url_name": url_name,
                "url_kwargs": dict(url_kwargs),
                "titles": dict(titles),
                "title": title[:300],
                "text": "\n".join(text for text in texts if text),
                "facets": {
                    name: list(value) if not isinstance(value, str) else value for name, value in facets.items()
                },
            },
        )
    return document


def search_document_delete(*, kind: str, key: int | str) -> None:
    SearchDocument.objects.filter(kind=kind, key=str(key)).delete()
