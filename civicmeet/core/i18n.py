"""Organiser-written multilingual content: a mapping language code -> text, with a fallback.

Stored in a JSONField as ``{"pl": "...", "uk": "...", "en": "..."}``. Reading picks the active
language, then the content's fallback language, then any language that has a text, so a page
never shows an empty title because one translation is missing.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils import translation


def localize(value: Mapping[str, str] | str | None, language: str | None = None, fallback: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    order = [language, fallback or settings.LANGUAGE_CODE, *settings.LANGUAGE_CODES]
    for code in order:
        text = value.get(code)
        if text:
            return text
    for text in value.values():
        if text:
            return text
    return ""


def clean_localized(value: Mapping[str, str] | None) -> dict[str, str]:
    """Keep only known languages and strip whitespace; drop empty texts."""
    cleaned: dict[str, str] = {}
    for code in settings.LANGUAGE_CODES:
        text = (value or {}).get(code) or ""
        text = text.strip()
        if text:
            cleaned[code] = text
    return cleaned
