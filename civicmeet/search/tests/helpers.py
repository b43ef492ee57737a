"""Documents for the search tests, written through the one write path (search_document_save)."""

from __future__ import annotations

from itertools import count

from civicmeet.core.visibility import Visibility
from civicmeet.search.selectors import search, visibilities_for
from civicmeet.search.services import search_document_save

_keys = count(1)


def document(
    title: str = "",
    *,
    titles: dict[str, str] | None = None,
    texts: tuple[str, ...] = (),
    kind: str = "organisation",
    visibility: str = Visibility.PUBLIC,
    organisation_id: int | None = None,
    facets: dict | None = None,
    key: str | None = None,
):
    return search_document_save(
        kind=kind,
        key=key or str(next(_keys)),
        organisation_id=organisation_id,
        visibility=visibility,
        url_name="directory:search",
        url_kwargs={},
        titles=titles if titles is not None else {"pl": title, "uk": title, "en": title},
        texts=list(texts),
        facets=facets or {},
    )


def found(query: str, **options) -> list[int]:
    """Ids of what an anonymous reader finds (unless `visibilities` is given), in rank order."""
    options.setdefault("visibilities", visibilities_for(member=False, moderator=False))
    options.setdefault("limit", 100)
    return [hit.id for hit in search(query, **options).hits]
