"""The one write path of the search index: apps describe their items here, in their own services.

Saving a document also writes what the index needs next to it: its words folded (`folded_title`,
`folded_text`: the database's full-text index follows them, see models.py), one row per facet
value (`SearchFacet`, for the filters) and its new words in the vocabulary (`SearchTerm`, for typo
correction).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from .folding import MAX_TERM, index_text, terms
from .models import SearchDocument, SearchFacet, SearchTerm
from .scope import filter_text, scope_text

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
    pending = _bulk.get()
    if pending is not None:  # inside search_documents_in_bulk(): written with the batch
        document = SearchDocument(
            kind=kind,
            key=str(key),
            organisation_id=organisation_id,
            visibility=visibility,
            url_name=url_name,
            url_kwargs=dict(url_kwargs),
            titles=dict(titles),
            title=title[:300],
            text=text,
            facets={name: list(value) if not isinstance(value, str) else value for name, value in facets.items()},
            folded_title=folded_title,
            folded_text=folded_text,
            scope=scope_text(visibility=visibility, organisation_id=organisation_id, kind=kind),
            filter_words=filter_text(
                visibility=visibility, organisation_id=organisation_id, kind=kind, facets=facet_values
            ),
        )
        pending.saves[(kind, str(key))] = (document, facet_values)
        if len(pending.saves) >= BULK_BATCH:
            pending.flush()
        return document
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
                "scope": scope_text(visibility=visibility, organisation_id=organisation_id, kind=kind),
                "filter_words": filter_text(
                    visibility=visibility, organisation_id=organisation_id, kind=kind, facets=facet_values
                ),
            },
        )
        _facets_replace(document, facet_values)
        vocabulary_add(f"{folded_title} {folded_text}".split())
    return document


def search_document_delete(*, kind: str, key: int | str) -> None:
    pending = _bulk.get()
    if pending is not None:  # inside search_documents_in_bulk(): deleted with the batch
        pending.saves.pop((kind, str(key)), None)
        pending.deletes.setdefault(kind, set()).add(str(key))
        return
    SearchDocument.objects.filter(kind=kind, key=str(key)).delete()


# -- Many documents at once (a rebuild, generated load data) --------------------------------------

BULK_BATCH = 2000


class _Batch:
    """Documents to write and entries to delete, in the order that keeps the result the same as one
    by one: the deletions first (a save after a deletion of the same entry is a save; a deletion
    after a save removes the save from the batch)."""

    def __init__(self) -> None:
        self.saves: dict[tuple[str, str], tuple[SearchDocument, dict[str, list[str]]]] = {}
        self.deletes: dict[str, set[str]] = {}

    def flush(self) -> None:
        entries = list(self.saves.values())
        gone = self.deletes
        for document, _facets in entries:
            gone.setdefault(document.kind, set()).add(document.key)
        self.saves, self.deletes = {}, {}
        for kind, key_set in gone.items():
            keys = sorted(key_set)
            for start in range(0, len(keys), 500):
                batch = keys[start : start + 500]
                SearchFacet.objects.filter(document__kind=kind, document__key__in=batch).delete()
                SearchDocument.objects.filter(kind=kind, key__in=batch).delete()
        if not entries:
            return
        documents = SearchDocument.objects.bulk_create([document for document, _facets in entries], batch_size=500)
        SearchFacet.objects.bulk_create(
            [
                SearchFacet(document=document, name=name, value=value)
                for document, (_same, facet_values) in zip(documents, entries, strict=True)
                for name, value in sorted(
                    {
                        (name, value[:FACET_VALUE_MAX])
                        for name, values in facet_values.items()
                        for value in values
                        if value
                    }
                )
            ],
            batch_size=1000,
        )
        vocabulary_add(
            word for document in documents for word in f"{document.folded_title} {document.folded_text}".split()
        )


_bulk: ContextVar[_Batch | None] = ContextVar("search_bulk", default=None)


@contextmanager
def search_documents_in_bulk() -> Iterator[None]:
    """Within it, search_document_save writes its documents in batches (one delete of the entries
    they replace, one insert of the documents, of their facet rows and of the new words) instead of
    one by one: the same index, written in a fraction of the time. The documents it returns are not
    saved until their batch is (at the latest when the block ends, in the block's transaction)."""
    if _bulk.get() is not None:  # already batching
        yield
        return
    pending = _Batch()
    token = _bulk.set(pending)
    try:
        with transaction.atomic():
            yield
            pending.flush()
    finally:
        _bulk.reset(token)


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
    known: set[str] = set()
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
            facet_values = {
                name: [value] if isinstance(value, str) else [str(item) for item in value]
                for name, value in (document.facets or {}).items()
            }
            document.scope = scope_text(
                visibility=document.visibility, organisation_id=document.organisation_id, kind=document.kind
            )
            document.filter_words = filter_text(
                visibility=document.visibility,
                organisation_id=document.organisation_id,
                kind=document.kind,
                facets=facet_values,
            )
            document.save(update_fields=["folded_title", "folded_text", "scope", "filter_words"])
            _facets_replace(document, facet_values)
            vocabulary_add(terms(f"{document.folded_title} {document.folded_text}"))
            count += 1
    return count
