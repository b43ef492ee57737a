"""Who may see a document, what it is and its facet values, as words of SQLite's full-text indexes.

- `scope_text` ("vpublic o12 koffer"): the `scope` column of `search_fts`, the index of words.
  Searches with words filter by visibility and kind inside that index instead of reading every
  matching document.
- `filter_text` (the same and every facet value: "… fcategoryx726f6f6d"): the one column of
  `search_filter_fts`, which finds and counts the lists without words (filters only). The facet
  words live in an index of their own because FTS5's BM25 counts a document's length over all its
  columns: in `search_fts` they would rank documents with many facet values lower.

Letters and digits only, so that the index keeps each word whole (selectors._filters).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def scope_text(*, visibility: str, organisation_id: int | None, kind: str) -> str:
    words = [f"v{visibility}", "k" + "".join(char for char in kind if char.isalnum())]
    if organisation_id is not None:
        words.append(f"o{organisation_id}")
    return " ".join(words).lower()


def filter_text(*, visibility: str, organisation_id: int | None, kind: str, facets: Mapping[str, Sequence[str]]) -> str:
    words = [scope_text(visibility=visibility, organisation_id=organisation_id, kind=kind)]
    for name, values in sorted(facets.items()):
        words += [facet_word(name, value) for value in values if value]
    return " ".join(words)


def facet_word(name: str, value: str) -> str:
    """One facet value as an index word: the name's letters, "x", the value's UTF-8 in hex (so that
    any value is one word, and no two values share one)."""
    return "f" + "".join(char for char in name if char.isalnum()).lower() + "x" + str(value).encode().hex()
