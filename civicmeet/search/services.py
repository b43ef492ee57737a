"""The one write path of the search index: apps describe their items here, in their own services.

Saving a document also writes what the index needs next to it: its words folded (`folded_title`,
`folded_text`: the database's full-text index follows them, see models.py), one row per facet
value (`SearchFacet`, for the filters) and its new words in the vocabulary (`SearchTerm`, for typo
correction).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db import transaction

from .folding import MAX_TERM, index_text, terms
from .models import SearchDocument, SearchFacet, SearchTerm

FACET_VALUE_MAX = 100


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
    text = "\n".join(text for text in texts if text)
    facet_values = {
        name: [value] if isinstance(value, str) else [str(item) for item in value] for name, value in facets.items()
    }
    folded_title, folded_text = index_text(title), index_text(text)
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
                "text": text,
                "facets": {
                    name: list(value) if not isinstance(value, str) else value for name, value in facets.items()
                },
                "folded_title": folded_title,
                "folded_text": folded_text,
            },
        )
        _facets_replace(document, facet_values)
        vocabulary_add(f"{folded_title} {folded_text}".split())
    return document


def search_document_delete(*, kind: str, key: int | str) -> None:
    SearchDocument.objects.filter(kind=kind, key=str(key)).delete()


def _facets_replace(document: SearchDocument, facet_values: Mapping[str, Sequence[str]]) -> None:
    wanted = {
        (name, value[:FACET_VALUE_MAX]) for name, values in facet_values.items() for value in values if value != ""
    }
    existing = set(SearchFacet.objects.filter(document=document).values_list("name", "value"))
    gone = existing - wanted
    for name, value in gone:
        SearchFacet.objects.filter(document=document, name=name, value=value).delete()
    SearchFacet.objects.bulk_create(
        [SearchFacet(document=document, name=name, value=value) for name, value in sorted(wanted - existing)]
    )


def vocabulary_add(words: Iterable[str]) -> None:
    """Add folded words to the vocabulary (ones it already has are left alone)."""
    new = sorted({word for word in words if 0 < len(word) <= MAX_TERM})
    if not new:
        return
    known = set()
    for start in range(0, len(new), 500):
        known.update(SearchTerm.objects.filter(term__in=new[start : start + 500]).values_list("term", flat=True))
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=word, reversed_term=word[::-1], length=len(word)) for word in new if word not in known],
        ignore_conflicts=True,  # another process added the same word meanwhile
    )


def search_index_rebuild() -> int:
    """Fold every document again (after a change of `folding`), rebuild the facet rows and the
    vocabulary from scratch (which also drops words no document has any more). Returns the count."""
    count = 0
    with transaction.atomic():
        SearchTerm.objects.all().delete()
        for document in SearchDocument.objects.order_by("pk").iterator(chunk_size=500):
            document.folded_title = index_text(document.title)
            document.folded_text = index_text(document.text)
            document.save(update_fields=["folded_title", "folded_text"])
            facet_values = {
                name: [value] if isinstance(value, str) else [str(item) for item in value]
                for name, value in (document.facets or {}).items()
            }
            _facets_replace(document, facet_values)
            vocabulary_add(terms(f"{document.folded_title} {document.folded_text}"))
            count += 1
    return count
