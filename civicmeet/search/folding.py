"""How text becomes index terms, the same way for what is indexed and for what is searched.

`fold` makes text insensitive to case and to diacritics: "Fundacja Zustricz", "FUNDACJA ZUSTRICZ"
and "fundacja zustricz" are one; "Łódź" is "lodz", "Żółć" is "zolc". Ukrainian letters are folded
onto their nearest plain Cyrillic letter, so that people typing on a keyboard without Ukrainian
letters (or with a Russian layout) still find them: і ї → и, й → и, є → е, ґ → г, ё → е, and the
apostrophe of "м'ята" is dropped ("мята"). So "Зустріч" is found by "зустрич" and by "Зустріч".
There is no transliteration between scripts: "Zustricz" does not find "Зустріч" (an organisation
that wants both lists both as name variants). docs/decisions/0004-full-text-search.md says why.

`terms` cuts folded text into words (letters and digits); `index_text` is those words joined by
single spaces: the one form both SQLite FTS5 and PostgreSQL's `to_tsvector('simple', …)` read, so
the two databases see exactly the same words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that do not decompose into a base letter and a mark (NFD leaves them alone), and the
# Ukrainian letters folded onto their nearest plain Cyrillic letter.
_SPECIAL = str.maketrans(
    {
        "ł": "l",
        "đ": "d",
        "ø": "o",
        "ı": "i",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "і": "и",
        "ї": "и",
        "й": "и",
        "є": "е",
        "ґ": "г",
        "ё": "е",
        "ў": "у",
        # Apostrophes inside Ukrainian (and English) words: м'ята, мʼята, O'Brien.
        "'": "",
        "’": "",
        "ʼ": "",
        "`": "",
    }
)
# A word: letters and digits (index terms, snippets).
WORD = re.compile(r"[^\W_]+")
# Words longer than this are not words a person types (hashes, URLs glued together).
MAX_TERM = 60


def _fold_slowly(text: str) -> str:
    text = text.lower().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    # NFD turns "й" into "и" + breve and "ї" into "і" + diaeresis: after stripping the marks the
    # second pass maps what is left ("і") as well.
    return unicodedata.normalize("NFC", stripped).translate(_SPECIAL)


def _table() -> dict[int, str | int]:
    """Every lower-case letter below U+2000 that folding changes, and every combining mark (a
    decomposed "a" + ogonek loses its ogonek): one str.translate does what _fold_slowly does."""
    table: dict[int, str | int] = {}
    for code in range(0x80, 0x2000):
        char = chr(code)
        if unicodedata.combining(char):
            table[code] = ""
        elif char == char.lower() and (folded := _fold_slowly(char)) != char:
            table[code] = folded
    for char, folded in _SPECIAL_ITEMS.items():
        table[ord(char)] = folded
    # Every other character of that range maps to itself: str.translate raises (and swallows) a
    # KeyError for each character its table lacks, which made folding a page's snippets 2-3 times
    # slower than it needs to be.
    for code in range(0x2000):
        table.setdefault(code, code)
    return table


_SPECIAL_ITEMS = {chr(code): value for code, value in _SPECIAL.items()}
_TABLE = _table()


def fold(text: str) -> str:
    """Lower-case `text` and take the diacritics off (see the module's docstring)."""
    return text.lower().translate(_TABLE)


def terms(text: str) -> list[str]:
    """The index terms of `text`, in order (folded words of letters and digits)."""
    return [word for word in WORD.findall(fold(text)) if len(word) <= MAX_TERM]


def index_text(text: str) -> str:
    return " ".join(terms(text))


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """The words of the original `text` with where they are and their folded form (for snippets).

    Apostrophes inside a word belong to it here, as `fold` drops them: "м'ята" is one word."""
    folded = fold(text)
    if len(folded) == len(text):
        # Folding kept every character in its place (no apostrophe, ß or decomposed letter): one
        # pass over the whole text instead of folding word by word.
        return [(match.start(), match.end(), match.group()) for match in WORD.finditer(folded)]
    return [(match.start(), match.end(), _fold_word(match.group())) for match in _SPAN_WORD.finditer(text)]


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    # Snippets fold the words of every result shown; the same words come back again and again.
    return fold(word)


_SPAN_WORD = re.compile(r"[^\W_]+(?:['’ʼ`][^\W_]+)*")
