"""Snippets: the fast path (one regular expression, words cut out only up to the snippet's end)
gives exactly what the straightforward way gives (every word of the text, then the window)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from civicmeet.search.folding import terms, word_spans
from civicmeet.search.selectors import SNIPPET_SCAN, SNIPPET_WORDS, Term, snippet


def straightforward(text: str, plan: list[Term], size: int = SNIPPET_WORDS) -> tuple[tuple[str, bool], ...]:
    text = " ".join(text.split())[:SNIPPET_SCAN]
    if not text:
        return ()
    spans = word_spans(text)
    if not spans:
        return ((text[:160], False),)
    exact = {word for term in plan for word in term.words}
    prefixes = tuple(term.typed for term in plan if term.prefix)
    matched = [i for i, (_s, _e, w) in enumerate(spans) if w in exact or (prefixes and w.startswith(prefixes))]
    first = matched[0] if matched else 0
    start_word = max(0, first - size // 3)
    end_word = min(len(spans), start_word + size)
    pieces: list[tuple[str, bool]] = [("… ", False)] if start_word else []
    cursor, end = spans[start_word][0], spans[end_word - 1][1]
    for index in matched:
        if start_word <= index < end_word:
            word_start, word_end, _w = spans[index]
            if word_start > cursor:
                pieces.append((text[cursor:word_start], False))
            pieces.append((text[word_start:word_end], True))
            cursor = word_end
    if end > cursor:
        pieces.append((text[cursor:end], False))
    if end_word < len(spans):
        pieces.append((" …", False))
    return tuple(pieces)


WORDS = [
    "Fundacja",
    "Zustricz",
    "Зустріч",
    "migrantów",
    "Kraków",
    "sala",
    "salę",
    "dla",
    "30",
    "osób",
    "м'ята",
    "Straße",
    "ukraińska",
    "громада",
    "x",
]
pieces = st.sampled_from(WORDS + [",", ".", " - ", "  \n"])
# Short texts, and texts longer than a snippet (hypothesis prefers short lists).
texts = st.one_of(st.lists(pieces, max_size=30), st.lists(pieces, min_size=25, max_size=400)).map(" ".join)
plans = st.lists(
    st.tuples(st.sampled_from(WORDS[:-1] + ["kra", "gro", "zust", "sal"]), st.booleans()), min_size=1, max_size=3
)


@settings(max_examples=400, deadline=None)
@given(text=texts, typed=plans)
def test_the_fast_snippet_is_the_straightforward_one(text: str, typed: list[tuple[str, bool]]) -> None:
    plan = []
    for word, prefix in typed:
        folded = terms(word)[0]
        plan.append(Term(folded, (folded,), prefix=prefix))
    assert snippet(text, plan) == straightforward(text, plan)


def test_a_match_far_into_a_long_text_is_shown_with_the_words_before_it() -> None:
    text = " ".join(["słowo"] * 150 + ["Zustricz", "wspiera", "migrantów"] + ["dalej"] * 50)
    pieces = snippet(text, [Term("zustricz", ("zustricz",))])
    assert pieces[0] == ("… ", False)
    assert ("Zustricz", True) in pieces
    assert pieces[-1] == (" …", False)
    shown = "".join(piece for piece, _marked in pieces)
    assert shown.count("słowo") == SNIPPET_WORDS // 3
    assert len(terms(shown)) == SNIPPET_WORDS
