"""An event's address (slug) proposed from its title: readable Latin letters for Polish and
Ukrainian titles, and free (``-2``, ``-3`` … when the address is taken).

Polish letters and other Latin scripts lose their marks (text-unidecode, through python-slugify);
Ukrainian is transliterated by the national system (the Cabinet of Ministers' 2010 table,
simplified as passports write it: ``Київ`` → ``kyiv``, ``Зустріч`` → ``zustrich``), which
text-unidecode alone would read as Russian (``kiiv``). static/js/event-form.js writes the same
rule for the proposal shown while the organiser types; this one decides when the field is left
empty.
"""

from __future__ import annotations

from slugify import slugify

from .models import RESERVED_SLUGS, Event

MAX_SLUG_LENGTH = 80
# Keep room for "-99" at the end of a long title.
_BASE_LENGTH = MAX_SLUG_LENGTH - 4

UKRAINIAN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia",
    # The apostrophe inside a word (м'ята) is not a break between words.
    "'": "", "’": "", "ʼ": "",
}  # fmt: skip
_REPLACEMENTS = [[letter, latin] for letter, latin in UKRAINIAN.items()]


def slug_from_text(text: str) -> str:
    """`text` as an address: lower-case Latin letters, digits and hyphens ('' when nothing is left)."""
    return slugify(
        (text or "").lower(), replacements=_REPLACEMENTS, max_length=_BASE_LENGTH, word_boundary=True, save_order=True
    )


def slug_source(title: dict[str, str], fallback_language: str | None = None) -> str:
    """The title's text an address is made from: the fallback language's, else the first one given."""
    title = title or {}
    if fallback_language and (title.get(fallback_language) or "").strip():
        return title[fallback_language]
    return next((text for text in title.values() if (text or "").strip()), "")


def slug_free(base: str) -> str:
    """`base`, or `base-2`, `base-3` … : the first address no event has (nor reserved)."""
    base = (base or "").strip("-")[:_BASE_LENGTH].strip("-") or "event"
    taken = set(Event.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def slug_propose(title: dict[str, str], fallback_language: str | None = None) -> str:
    """A free address made from the event's title."""
    return slug_free(slug_from_text(slug_source(title, fallback_language)))
