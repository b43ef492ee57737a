"""The one search box: ranked full-text search over every SearchDocument, with the database's own engine.

`search(query, …)` folds the query like the index (`folding`), so case and diacritics do not
matter; the last word is a prefix (people type); a word the index does not know is corrected to
the index's words one edit away (a typo: "zustrcz" finds "Zustricz"); if the words together still
find nothing, every word is widened the same way. Results are ranked by BM25 (SQLite FTS5) or
ts_rank (PostgreSQL), a word in the title weighing ten times a word in the text, then filtered in
SQL by visibility, kind and facets. docs/decisions/0004-full-text-search.md explains the choices.

Queries: one to look the words up in the vocabulary, one for typo candidates when a word is
unknown, one for the page of results (with the total), one for the facet counts; a second round of
the last three only when the first finds nothing. Never more, whatever the index holds.
"""

# The SQL here is put together from fixed fragments and "%s" placeholders only; every value the
# reader typed travels as a parameter (the match expressions hold folded letters and digits only).
# ruff: noqa: S608

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import connection
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language
from rapidfuzz.distance import Levenshtein

from civicmeet.core.visibility import Visibility

from .folding import WORD, fold, terms, word_spans
from .scope import facet_word

MAX_TERMS = 8
# Words shorter than this are not corrected (one edit from "w" is every one-letter word); when
# unknown they are left out of the query.
MIN_CORRECTED = 3
# Facet counts are worked out only for result sets up to this size: they cost a pass over the facet
# rows of every result (about 2 µs a row on SQLite; 500 results with 6 facets each take ~6 ms).
FACET_COUNT_LIMIT = 500
# Results are counted up to this many: a page says "more than 1,000 results" beyond (counting
# every match of a common word cost more than finding and ranking the page; nobody pages that far).
COUNT_LIMIT = 1000
SNIPPET_WORDS = 24
# A snippet looks for its match in the first this many characters of the text (names and
# descriptions come first); beyond, it shows the beginning.
SNIPPET_SCAN = 2000


@dataclass(frozen=True)
class Term:
    """One word of the query as searched: the word itself or the index's words it was corrected to."""

    typed: str
    words: tuple[str, ...]  # exact words searched for (the typed one first when the index knows it)
    prefix: bool = False  # the typed word also as a prefix (the last word)

    def matches(self, folded: str) -> bool:
        return folded in self.words or (self.prefix and folded.startswith(self.typed))


@dataclass(frozen=True)
class SearchHit:
    id: int
    kind: str
    key: str
    organisation_id: int | None
    visibility: str
    title: str  # in the reader's language (or the first language it has)
    url: str | None
    snippet: tuple[tuple[str, bool], ...]  # (text, is a match) pieces of the text around a match
    facets: Mapping[str, object]


@dataclass
class SearchResults:
    query: str
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    # The typed words that were corrected, each with the words searched instead.
    corrections: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # When nothing was found: a query that would find something, for "did you mean …?".
    suggestion: str = ""
    # {facet name: {value: count}} over all results (None when there were too many to count).
    facet_counts: dict[str, dict[str, int]] | None = None
    # There are more results than `total` (counting stopped at the search's count limit).
    more: bool = False

    # How the corrected words are written in the results found ("Зустріч" for "зустрич").
    spellings: dict[str, str] = field(default_factory=dict)

    @property
    def corrected_query(self) -> str:
        """The query as searched after corrections, as the results write it ("" when nothing was corrected)."""
        if not self.corrections:
            return ""
        words = [self.corrections.get(word, (word,))[0] for word in terms(self.query)[:MAX_TERMS]]
        return " ".join(self.spellings.get(word, word) for word in words)


def search(
    query: str,
    *,
    visibilities: Iterable[str],
    own_organisation_ids: Iterable[int] = (),
    kinds: Sequence[str] | None = None,
    facets: Mapping[str, Sequence[str]] | None = None,
    limit: int = 20,
    offset: int = 0,
    count_facets: Sequence[str] = (),
    language: str | None = None,
    count_limit: int | None = COUNT_LIMIT,
) -> SearchResults:
    """Ranked results of `query` among the documents the reader may see.

    `visibilities`: the visibilities the reader sees everywhere (`visibilities_for`); documents of
    `own_organisation_ids` are seen whatever their visibility. `kinds` and `facets` ({"type":
    ["migrant"], "languages": ["uk"]}: any of the values of each facet, every facet) narrow the
    results; `count_facets` names the facets to count values of. With no words, the documents
    that pass the filters come in title order (when at least one filter is given). Results are
    counted up to `count_limit` (then `more` is set; None counts them all)."""
    words = terms(query)[:MAX_TERMS]
    results = SearchResults(query=query)
    filters = _filters(
        visibilities=set(visibilities),
        own=sorted(set(own_organisation_ids)),
        kinds=kinds,
        facets=facets or {},
        count_limit=count_limit,
    )
    if not words:
        if not facets and not kinds:
            return results
        rows = _rows(None, filters, limit=limit, offset=offset)
        return _finish(results, rows, None, filters, count_facets, language, offset=offset)

    known = _known(words)
    unknown = [word for index, word in enumerate(words) if not known[index]]
    candidates = _candidates([word for word in unknown if len(word) >= MIN_CORRECTED])
    plan = _plan(words, known, candidates, widen=False)
    rows = _rows(plan, filters, limit=limit, offset=offset) if plan else []
    if not rows and offset == 0:
        # Nothing: perhaps a typo made another real word ("dom" -> "dim"). Widen every word.
        widened = _candidates([word for index, word in enumerate(words) if known[index] and len(word) >= MIN_CORRECTED])
        candidates = {**candidates, **widened}
        wide_plan = _plan(words, known, candidates, widen=True)
        if wide_plan and wide_plan != plan:
            plan = wide_plan
            rows = _rows(plan, filters, limit=limit, offset=offset)
    if plan:
        results.corrections = {
            term.typed: tuple(word for word in term.words if word != term.typed)
            for term in plan
            if any(word != term.typed for word in term.words) and term.typed not in term.words
        }
    if not rows:
        results.suggestion = _suggestion(words, known, candidates)
    return _finish(results, rows, plan, filters, count_facets, language, offset=offset)


def visibilities_for(*, member: bool, moderator: bool) -> tuple[str, ...]:
    """The visibilities a reader sees everywhere: public for all, members for members, all for moderators."""
    if moderator:
        return tuple(Visibility.values)
    return (Visibility.PUBLIC, Visibility.MEMBERS) if member else (Visibility.PUBLIC,)


# --- The vocabulary: known words and typo candidates ------------------------------------------


def _c() -> str:
    # Range scans compare code points on PostgreSQL whatever the database's collation (the index
    # search_term_c is built the same way); SQLite compares bytes of UTF-8, which is the same order.
    return ' COLLATE "C"' if connection.vendor == "postgresql" else ""


def _next(prefix: str) -> str:
    """The first string after every string that starts with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _known(words: list[str]) -> list[bool]:
    """Whether the index has each word (the last one: any word that starts with it)."""
    last = words[-1]
    c = _c()
    placeholders = ", ".join(["%s"] * len(words))
    sql = (
        f"SELECT term FROM search_searchterm WHERE term IN ({placeholders}) "
        f"UNION ALL SELECT * FROM (SELECT term FROM search_searchterm "
        f"WHERE term{c} >= %s AND term{c} < %s LIMIT 1) AS prefixed"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*words, last, _next(last)])
        found = [row[0] for row in cursor.fetchall()]
    exact = set(found)
    has_prefix = any(word.startswith(last) for word in found)
    return [word in exact or (index == len(words) - 1 and has_prefix) for index, word in enumerate(words)]


def _candidates(words: list[str]) -> dict[str, list[tuple[int, str]]]:
    """For each word, the index's words up to two edits away that keep its first or its second half
    (every word one edit away does: the edit falls in one half), nearest first."""
    words = list(dict.fromkeys(words))
    if not words:
        return {}
    c = _c()
    clauses: list[str] = []
    params: list[Any] = []
    for word in words:
        half = len(word) // 2
        head, tail = word[:half], word[half:][::-1]
        bounds = [len(word) - 2, len(word) + 2]
        clauses.append(f"(term{c} >= %s AND term{c} < %s AND length BETWEEN %s AND %s)")
        params += [head, _next(head), *bounds]
        clauses.append(f"(reversed_term{c} >= %s AND reversed_term{c} < %s AND length BETWEEN %s AND %s)")
        params += [tail, _next(tail), *bounds]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term FROM search_searchterm WHERE {' OR '.join(clauses)} LIMIT 20000", params)
        vocabulary = [row[0] for row in cursor.fetchall()]
    found: dict[str, list[tuple[int, str]]] = {}
    for word in words:
        near = []
        for candidate in vocabulary:
            if candidate == word:
                continue
            distance = Levenshtein.distance(word, candidate, score_cutoff=2)
            if distance <= 2:
                near.append((distance, candidate))
        # Nearest first; among equals the one that keeps the first letter, then the closest length.
        near.sort(key=lambda item: (item[0], item[1][:1] != word[:1], abs(len(item[1]) - len(word)), item[1]))
        found[word] = near
    return found


def _plan(
    words: list[str], known: list[bool], candidates: Mapping[str, list[tuple[int, str]]], *, widen: bool
) -> list[Term]:
    """What to search for each word: the word when the index knows it (and, widening, its neighbours
    one edit away), its neighbours one edit away when it does not; unknown short words are left out."""
    plan = []
    for index, word in enumerate(words):
        last = index == len(words) - 1
        near = tuple(candidate for distance, candidate in candidates.get(word, []) if distance == 1)
        if known[index]:
            plan.append(Term(word, (word, *near) if widen else (word,), prefix=last))
        elif near:
            plan.append(Term(word, near, prefix=False))
        elif len(word) < MIN_CORRECTED and len(words) > 1:
            continue
        else:
            plan.append(Term(word, (word,), prefix=last))
    return plan


def _suggestion(words: list[str], known: list[bool], candidates: Mapping[str, list[tuple[int, str]]]) -> str:
    """A query that might find something: each unknown word replaced by its nearest index word (up
    to two edits away); "" when there is none."""
    suggested, changed = [], False
    for index, word in enumerate(words):
        near = candidates.get(word, [])
        if not known[index] and near:
            suggested.append(near[0][1])
            changed = True
        else:
            suggested.append(word)
    return " ".join(suggested) if changed else ""


# --- The query --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The reader's filters three times: on PostgreSQL (`where`), conditions on the documents'
    visibility and kind and one on their facet values as words (`filter_vector`, migration 0006,
    search/scope.py); for SQLite's searches with words, as words of `search_fts`'s scope column
    (visibility, kind) plus facet conditions on its rowid; and for SQLite's lists without words, as
    one expression over `search_filter_fts` (the same filter words). Either way the matches are
    filtered by an index, without reading the documents."""

    where: str
    params: list[Any]
    scope: str  # an FTS5 expression on search_fts's scope column ("" for none)
    rowid_where: str
    rowid_params: list[Any]
    filter_match: str  # an FTS5 expression over search_filter_fts ("" for none)
    count_limit: int | None = COUNT_LIMIT

    def counted(self, matched: str) -> str:
        """A count of the rows of `matched`, stopping one past the count limit."""
        if self.count_limit is None:
            return f"SELECT COUNT(*) FROM ({matched}) AS counted"
        return f"SELECT COUNT(*) FROM ({matched} LIMIT {int(self.count_limit) + 1}) AS counted"


def _filters(
    *,
    visibilities: set[str],
    own: list[int],
    kinds: Sequence[str] | None,
    facets: Mapping[str, Sequence[str]],
    count_limit: int | None = COUNT_LIMIT,
) -> Filters:
    clauses: list[str] = []
    params: list[Any] = []
    scope: list[str] = []
    rowid_clauses: list[str] = []
    rowid_params: list[Any] = []
    facet_words: list[str] = []
    # PostgreSQL: each facet's words, one of which a document must have (a tsquery on its filter
    # words). Visibility and kind stay conditions on their columns: they keep most documents, and
    # intersecting an index of half the documents cost more than checking the column.
    facet_groups: list[list[str]] = []
    if not set(Visibility.values) <= visibilities:
        seen = sorted(visibilities & set(Visibility.values)) or ["-"]
        visible = f"d.visibility IN ({', '.join(['%s'] * len(seen))})"
        params += seen
        if own:
            visible = f"({visible} OR d.organisation_id IN ({', '.join(['%s'] * len(own))}))"
            params += own
        clauses.append(visible)
        words = [f'"v{value}"' for value in seen if value != "-"] + [f'"o{int(pk)}"' for pk in own]
        scope.append("(" + (" OR ".join(words) or '"vnone"') + ")")
    if kinds:
        clauses.append(f"d.kind IN ({', '.join(['%s'] * len(kinds))})")
        params += list(kinds)
        words = ['"k' + "".join(char for char in kind if char.isalnum()).lower() + '"' for kind in kinds]
        scope.append("(" + " OR ".join(words) + ")")
    postgresql = connection.vendor == "postgresql"
    for name, values in sorted(facets.items()):
        values = [value for value in values if value]
        if not values:
            continue
        facet = f"SELECT document_id FROM search_searchfacet WHERE name = %s AND value IN ({', '.join(['%s'] * len(values))})"
        if not postgresql:
            clauses.append(f"d.id IN ({facet})")
            params += [name, *values]
        # "+": not a constraint FTS5 may use (it would run the whole MATCH once for each id).
        rowid_clauses.append(f"+search_fts.rowid IN ({facet})")
        rowid_params += [name, *values]
        facet_groups.append([facet_word(name, value) for value in values])
        facet_words.append("(" + " OR ".join(f'"{word}"' for word in facet_groups[-1]) + ")")
    if postgresql and facet_groups:
        # One index condition with real statistics (migration 0006) rather than a join with the
        # facet rows per filter, whose sizes the planner misjudged (a 4,350-result list sorted
        # after 6,000 lookups). The words are letters and digits only: safe inside a tsquery.
        clauses.append("d.filter_vector @@ to_tsquery('simple'::regconfig, %s)")
        params.append(" & ".join("(" + " | ".join(group) + ")" for group in facet_groups))
    return Filters(
        where=" AND ".join(clauses) or "1 = 1",
        params=params,
        scope=" AND ".join(f"scope : {words}" for words in scope),
        rowid_where=" AND ".join(rowid_clauses) or "1 = 1",
        rowid_params=rowid_params,
        filter_match=" AND ".join(scope + facet_words),
        count_limit=count_limit,
    )


def _fts(plan: list[Term], filters: Filters) -> str:
    """SQLite's MATCH expression: the words in the title and text columns, the scope filter."""
    expression = "{folded_title folded_text} : (" + _match(plan) + ")"
    return f"{expression} AND {filters.scope}" if filters.scope else expression


def _match(plan: list[Term]) -> str:
    """The plan as the database's query language (words hold letters and digits only). A word the
    last word's prefix already covers is left out ("ukrainian" OR "ukrainian"* costs twice the
    work of "ukrainian"* on a common word)."""
    postgresql = connection.vendor == "postgresql"
    groups = []
    for term in plan:
        words = [word for word in term.words if not (term.prefix and word.startswith(term.typed))]
        if postgresql:
            options = [f"'{word}'" for word in words] + ([f"'{term.typed}':*"] if term.prefix else [])
        else:
            options = [f'"{word}"' for word in words] + ([f'"{term.typed}"*'] if term.prefix else [])
        groups.append("(" + (" | " if postgresql else " OR ").join(dict.fromkeys(options)) + ")")
    return (" & " if postgresql else " AND ").join(groups)


_COLUMNS = "d.id, d.kind, d.key, d.organisation_id, d.visibility, d.titles, d.url_name, d.url_kwargs, d.text, d.facets"


def _rows(plan: list[Term] | None, filters: Filters, *, limit: int, offset: int) -> list[tuple]:
    """The page of results: (columns…, total) in rank order. The inner query ranks ids only; the
    outer one reads the page's documents; the total is a count (up to the count limit)."""
    if connection.vendor == "sqlite":
        if plan is None:
            return _sqlite_list_rows(filters, limit=limit, offset=offset) if filters.filter_match else []
        return _sqlite_rows(plan, filters, limit=limit, offset=offset)
    where, params = filters.where, filters.params
    if plan is None:
        total = filters.counted(f"SELECT 1 FROM search_searchdocument d WHERE {where}")
        inner = (
            "SELECT d.id AS id, d.folded_title AS score, 0 AS tier "
            f"FROM search_searchdocument d WHERE {where} ORDER BY d.folded_title, d.id LIMIT %s OFFSET %s"
        )
        all_params = [*params, *params, limit, offset]
    else:
        # Two tiers, as on SQLite (see _sqlite_rows): the documents whose title holds every word
        # (found with the title's own index, so that a common word ranks its title matches only),
        # then the others; each by ts_rank; PostgreSQL runs the second only when the page reaches it.
        query = "to_tsquery('simple'::regconfig, %s)"
        tier = (
            "(SELECT d.id AS id, -ts_rank(d.search_vector, q.query) AS score, {number} AS tier "
            f"FROM search_searchdocument d, {query} AS q(query) "
            "WHERE {condition} AND " + where + " ORDER BY score, d.id LIMIT %s)"
        )
        first = tier.format(number=0, condition="d.title_vector @@ q.query")
        second = tier.format(number=1, condition="d.search_vector @@ q.query AND NOT (d.title_vector @@ q.query)")
        inner = f"{first} UNION ALL {second} LIMIT %s OFFSET %s"
        total = filters.counted(f"SELECT 1 FROM search_searchdocument d WHERE d.search_vector @@ {query} AND {where}")
        match = _match(plan)
        all_params = [match, *params, match, *params, offset + limit, match, *params, offset + limit, limit, offset]
    sql = (
        f"SELECT {_COLUMNS}, ({total}) FROM ({inner}) AS r "
        "JOIN search_searchdocument d ON d.id = r.id ORDER BY r.tier, r.score, r.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        return cursor.fetchall()


# A list without words longer than this is put in title order by walking the title index (and
# stopping at the page), shorter ones by sorting their documents.
WALK_TITLES_FROM = 500


def _sqlite_list_rows(filters: Filters, *, limit: int, offset: int) -> list[tuple]:
    """SQLite's page of a list without words (filters only), in title order. `search_filter_fts`
    finds and counts the matches by their filter words; the page is then either the matches'
    documents sorted (a short list) or the first ones met walking the documents in title order (a
    long one: reading and sorting thousands of documents was the slowest search of the page)."""
    matched = "SELECT rowid FROM search_filter_fts WHERE search_filter_fts MATCH %s"
    with connection.cursor() as cursor:
        cursor.execute(filters.counted(matched), [filters.filter_match])
        total = cursor.fetchone()[0]
        if not total or offset >= total:
            return []
        if total < WALK_TITLES_FROM:
            source, where = "search_searchdocument d", f"d.id IN ({matched})"
        else:
            # "+": the matches are not the loop; the title index is, in its order.
            source, where = "search_searchdocument d INDEXED BY search_document_title", f"+d.id IN ({matched})"
        cursor.execute(
            f"SELECT {_COLUMNS}, %s FROM {source} WHERE {where} ORDER BY d.folded_title, d.id LIMIT %s OFFSET %s",
            [total, filters.filter_match, limit, offset],
        )
        return cursor.fetchall()


def _sqlite_rows(plan: list[Term], filters: Filters, *, limit: int, offset: int) -> list[tuple]:
    """SQLite's page of results in two tiers: the matches whose title holds every word first, then
    the others, each tier by BM25 (FTS5's rank column, the title weighing ten times the text).
    Ranking is what a common word costs ("ukrainian" matches 6,600 entries of the generated
    directory, 1,300 of them by their title): the second tier is ranked only when the page reaches
    past the first (SQLite stops a UNION ALL at its LIMIT), and the total is a count, which
    computes no rank. No document is read but the page's."""
    full = _fts(plan, filters)
    title = "{folded_title} : (" + _match(plan) + ")"
    # Every word in the title is every word in the title or the text: the first tier asks the
    # title alone (the index then reads one column's matches, not both and their intersection).
    title_tier = f"{title} AND {filters.scope}" if filters.scope else title
    ranked = (
        "SELECT * FROM (SELECT search_fts.rowid AS id, search_fts.rank AS score, {tier} AS tier FROM search_fts "
        "WHERE search_fts MATCH %s AND search_fts.rank MATCH 'bm25(10.0, 1.0, 0.0)' "
        f"AND {filters.rowid_where} ORDER BY score, id LIMIT %s)"
    )
    inner = f"{ranked.format(tier=0)} UNION ALL {ranked.format(tier=1)} LIMIT %s OFFSET %s"
    total = filters.counted(f"SELECT 1 FROM search_fts WHERE search_fts MATCH %s AND {filters.rowid_where}")
    sql = (
        f"SELECT {_COLUMNS}, ({total}) FROM ({inner}) AS r "
        "JOIN search_searchdocument d ON d.id = r.id ORDER BY r.tier, r.score, r.id"
    )
    params = [
        full,
        *filters.rowid_params,
        title_tier,
        *filters.rowid_params,
        offset + limit,
        f"({full}) NOT {title}",
        *filters.rowid_params,
        offset + limit,
        limit,
        offset,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _matched(plan: list[Term] | None, filters: Filters) -> tuple[str, list[Any]]:
    """A query of the ids of every result (for counting)."""
    if plan is None:
        if connection.vendor == "sqlite" and filters.filter_match:
            return (
                "SELECT rowid AS id FROM search_filter_fts WHERE search_filter_fts MATCH %s",
                [filters.filter_match],
            )
        return f"SELECT d.id AS id FROM search_searchdocument d WHERE {filters.where}", list(filters.params)
    if connection.vendor == "postgresql":
        return (
            "SELECT d.id AS id FROM search_searchdocument d WHERE "
            f"d.search_vector @@ to_tsquery('simple'::regconfig, %s) AND {filters.where}",
            [_match(plan), *filters.params],
        )
    return (
        f"SELECT search_fts.rowid AS id FROM search_fts WHERE search_fts MATCH %s AND {filters.rowid_where}",
        [_fts(plan, filters), *filters.rowid_params],
    )


def _count(plan: list[Term] | None, filters: Filters) -> int:
    matched, args = _matched(plan, filters)
    with connection.cursor() as cursor:
        cursor.execute(filters.counted(matched), args)
        return cursor.fetchone()[0]


def _facet_counts(plan: list[Term] | None, filters: Filters, names: Sequence[str]) -> dict[str, dict[str, int]]:
    matched, args = _matched(plan, filters)
    # From the matched documents to their facet rows (the index of the document's facets), not
    # from every facet row of the index to the matches.
    sql = (
        f"SELECT f.name, f.value, COUNT(*) FROM ({matched}) AS m "
        "JOIN search_searchfacet f ON f.document_id = m.id "
        f"WHERE f.name IN ({', '.join(['%s'] * len(names))}) GROUP BY f.name, f.value"
    )
    counts: dict[str, dict[str, int]] = {name: {} for name in names}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*args, *names])
        for name, value, count in cursor.fetchall():
            counts[name][value] = count
    return counts


def _finish(
    results: SearchResults,
    rows: list[tuple],
    plan: list[Term] | None,
    filters: Filters,
    count_facets: Sequence[str],
    language: str | None,
    *,
    offset: int,
) -> SearchResults:
    language = language or get_language() or "en"
    if rows:
        results.total = rows[0][-1]
    elif offset:
        results.total = _count(plan, filters)
    if filters.count_limit is not None and results.total > filters.count_limit:
        results.total, results.more = filters.count_limit, True
    for row in rows:
        doc_id, kind, key, organisation_id, visibility, titles, url_name, url_kwargs, text, facets, _total = row
        titles = _json(titles)
        url_kwargs = _json(url_kwargs)
        results.hits.append(
            SearchHit(
                id=doc_id,
                kind=kind,
                key=key,
                organisation_id=organisation_id,
                visibility=visibility,
                title=_title(titles, language),
                url=_url(url_name, url_kwargs),
                snippet=snippet(text, plan or []),
                facets=_json(facets),
            )
        )
    wanted = {words[0] for words in results.corrections.values()}
    for hit, row in zip(results.hits, rows, strict=True):
        if not wanted - set(results.spellings):
            break
        for _start, _end, folded, written in _written_words(f"{hit.title} {row[8]}"):
            if folded in wanted and folded not in results.spellings:
                results.spellings[folded] = written
    if count_facets and (results.total or not plan) and results.total <= FACET_COUNT_LIMIT:
        results.facet_counts = _facet_counts(plan, filters, list(count_facets)) if results.total else {}
    return results


def _written_words(text: str):
    for start, end, folded in word_spans(text):
        yield start, end, folded, text[start:end]


def _json(value):
    return json.loads(value) if isinstance(value, str) else (value or {})


def _title(titles: Mapping[str, str], language: str) -> str:
    base = language.split("-")[0]
    for candidate in (language, base, "en", "pl", "uk"):
        if titles.get(candidate):
            return titles[candidate]
    return next((value for value in titles.values() if value), "")


def _url(url_name: str, url_kwargs: Mapping[str, object]) -> str | None:
    # reverse() is a tenth of a page of results; the same item's link is asked for again and again.
    return _reverse(
        get_language() or "", get_script_prefix(), str(get_urlconf()), url_name, json.dumps(url_kwargs, sort_keys=True)
    )


@lru_cache(maxsize=20_000)
def _reverse(_language: str, _prefix: str, _urlconf: str, url_name: str, url_kwargs: str) -> str | None:
    try:
        return reverse(url_name, kwargs=json.loads(url_kwargs))
    except NoReverseMatch:
        return None


def snippet(text: str, plan: Sequence[Term], *, size: int = SNIPPET_WORDS) -> tuple[tuple[str, bool], ...]:
    """About `size` words of `text` around its first matching word, as (text, is a match) pieces.

    Worked out on the original text (not the folded index form), so the reader sees what was
    written, diacritics and all. Without a match in the text: its beginning.

    A page shows twenty snippets of texts up to SNIPPET_SCAN characters: the first match is found
    by one regular expression over the folded text, and words are cut out only up to the end of
    the snippet, not over the whole text (that was a fifth of a search page's time)."""
    text = " ".join(text.split())
    if not text:
        return ()
    text = text[:SNIPPET_SCAN]
    exact = frozenset(word for term in plan for word in term.words)
    prefixes = tuple(dict.fromkeys(term.typed for term in plan if term.prefix))
    folded = fold(text)
    if len(folded) != len(text):
        # Folding moved characters (an apostrophe, ß, a decomposed letter): word by word.
        return _snippet_pieces(text, word_spans(text), exact, prefixes, size)
    first = _first_match(exact, prefixes).search(folded) if exact or prefixes else None
    first_at = first.start() if first else 0
    spans: list[tuple[int, int, str]] = []
    wanted = None  # how many words the snippet needs, known once the first match is reached
    for match in WORD.finditer(folded):
        if wanted is None and match.start() >= first_at:
            wanted = max(0, len(spans) - size // 3) + size
        spans.append((match.start(), match.end(), match.group()))
        if wanted is not None and len(spans) >= wanted:
            # One word more than the snippet shows tells whether the text goes on ("…").
            following = WORD.search(folded, match.end())
            if following:
                spans.append((following.start(), following.end(), following.group()))
            break
    return _snippet_pieces(text, spans, exact, prefixes, size)


@lru_cache(maxsize=1024)
def _first_match(exact: frozenset[str], prefixes: tuple[str, ...]) -> re.Pattern[str]:
    """A whole folded word that is one of `exact`, or a word that starts with one of `prefixes`."""
    options = [re.escape(word) + r"(?![^\W_])" for word in sorted(exact, key=len, reverse=True)]
    options += [re.escape(prefix) for prefix in prefixes]
    return re.compile(r"(?<![^\W_])(?:" + "|".join(options) + ")")


def _snippet_pieces(
    text: str, spans: list[tuple[int, int, str]], exact: frozenset[str], prefixes: tuple[str, ...], size: int
) -> tuple[tuple[str, bool], ...]:
    """The snippet from the words of `text` (all of them, or every one up to just past the snippet)."""
    if not spans:
        return ((text[:160], False),)
    matched = [
        index
        for index, (_start, _end, folded) in enumerate(spans)
        if folded in exact or (prefixes and folded.startswith(prefixes))
    ]
    first = matched[0] if matched else 0
    start_word = max(0, first - size // 3)
    end_word = min(len(spans), start_word + size)
    start = spans[start_word][0]
    end = spans[end_word - 1][1]
    pieces: list[tuple[str, bool]] = []
    if start_word > 0:
        pieces.append(("… ", False))
    cursor = start
    for index in matched:
        if index < start_word or index >= end_word:
            continue
        word_start, word_end, _folded = spans[index]
        if word_start > cursor:
            pieces.append((text[cursor:word_start], False))
        pieces.append((text[word_start:word_end], True))
        cursor = word_end
    if end > cursor:
        pieces.append((text[cursor:end], False))
    if end_word < len(spans):
        pieces.append((" …", False))
    return tuple(pieces)
