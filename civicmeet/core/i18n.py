"""Organiser-written multilingual content: a mapping language code -> text, with a fallback.

Stored in a JSONField as ``{"pl": "...", "uk": "...", "en": "..."}``. Reading picks the active
language, then the content's fallback language, then any language that has a text, so a page
never shows an empty title because one translation is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class LocalText:
    """A text picked from a multilingual mapping, with the language it is actually written in.

    When that is not the page's language (a missing translation), templates mark the block with
    `lang` so screen readers pronounce it correctly.
    """

    text: str
    lang: str
    is_fallback: bool

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def local_text(
    value: Mapping[str, str] | str | None, fallback: str | None = None, language: str | None = None
) -> LocalText:
    """Pick the text for the active (or given) language, then the fallback, then any language."""
    language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    if value is None:
        return LocalText("", language, False)
    if isinstance(value, str):
        return LocalText(value, language, False)
    for code in [language, fallback or settings.LANGUAGE_CODE, *settings.LANGUAGE_CODES, *value]:
        if value.get(code):
            return LocalText(value[code], code, code != language)
    return LocalText("", language, False)


def localize(value: Mapping[str, str] | str | None, language: str | None = None, fallback: str | None = None) -> str:
    return local_text(value, fallback, language).text


def clean_localized(value: Mapping[str, str] | None) -> dict[str, str]:
    """Keep only known languages and strip whitespace; drop empty texts.

    Refuses NUL characters (forms already do): PostgreSQL cannot store them in JSON.
    """
    cleaned: dict[str, str] = {}
    for code in settings.LANGUAGE_CODES:
        text = (value or {}).get(code) or ""
        if "\x00" in text:
            raise ValidationError(_("Null characters are not allowed."), code="null_characters_not_allowed")
        text = text.strip()
        if text:
            cleaned[code] = text
    return cleaned
