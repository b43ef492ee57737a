"""Working languages: ISO 639 codes, shown by name in the reader's language.

The names come from CLDR through Babel (`babel.Locale(lang).languages`), so "uk" reads "ukraiński"
to a Polish reader, "українська" to a Ukrainian one and "Ukrainian" in English. No table of names
is written here. CLDR names a few languages under a regional variant of another code rather than
under their own ISO 639-3 code (Dari is Persian of Afghanistan, "fa_AF"): `CLDR_KEYS` says where
to look for those. A language CLDR does not name in the reader's language is named in English,
then by its code.

`LANGUAGE_CHOICES` is the list a representative picks from (the languages of the minority and
migrant communities of Poland first, then other widely spoken ones); a code outside it is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

# Codes a representative may choose, in the order of the communities the directory serves.
# ISO 639-1 where a language has a two-letter code; ISO 639-3 otherwise (rom Romani, rue Rusyn /
# Lemko, prs Dari, csb Kashubian, szl Silesian, crh Crimean Tatar).
LANGUAGE_CODES: tuple[str, ...] = (
    "pl", "uk", "en", "ru", "be", "de", "yi", "he", "rom", "rue", "csb", "szl", "lt", "sk", "cs",
    "hy", "ka", "ce", "az", "kk", "uz", "tg", "ky", "tt", "crh", "vi", "zh", "fa", "prs", "ps",
    "ar", "ku", "tr", "hi", "ur", "bn", "fr", "es", "it", "pt", "ro", "hu", "bg", "sr", "hr",
    "mk", "sq", "el", "lv", "et", "ti", "am", "so", "sw", "ko", "ja",
)  # fmt: skip

# Where CLDR keeps the name of a code it does not list under the code itself.
CLDR_KEYS = {"prs": "fa_AF"}

FALLBACK_LOCALE = "en"


@lru_cache(maxsize=8)
def _names(locale: str) -> dict[str, str]:
    return dict(Locale.parse(locale).languages)


def language_name(code: str, language: str | None = None) -> str:
    """The name of the language `code` in `language` (the active one by default)."""
    key = CLDR_KEYS.get(code, code)
    for locale in (language or get_language() or FALLBACK_LOCALE, FALLBACK_LOCALE):
        try:
            name = _names(locale.replace("-", "_")).get(key)
        except (ValueError, LookupError, UnknownLocaleError):  # an unknown locale: try English
            continue
        if name:
            return name
    return code


def language_names(codes: Iterable[str], language: str | None = None) -> list[str]:
    """The names of `codes`, in the order given."""
    return [language_name(code, language) for code in codes]


def language_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) for every language one may pick, by name in the reader's language.

    The site's own languages first, the rest in the alphabetical order of their names."""
    language = language or get_language() or FALLBACK_LOCALE
    first = [(code, language_name(code, language)) for code in LANGUAGE_CODES[:3]]
    rest = sorted(((code, language_name(code, language)) for code in LANGUAGE_CODES[3:]), key=lambda c: c[1].lower())
    return first + rest


def languages_clean(codes: Iterable[str]) -> list[str]:
    """The codes in the list's order without repeats; a code outside the list is refused."""
    codes = [str(code).strip() for code in codes]
    unknown = [code for code in codes if code not in LANGUAGE_CODES]
    if unknown:
        raise ValidationError(
            _("We do not know the language code %(codes)s. Pick the languages from the list.")
            % {"codes": ", ".join(unknown)},
            code="unknown_language",
        )
    chosen = set(codes)
    return [code for code in LANGUAGE_CODES if code in chosen]


class LanguagesField(forms.MultipleChoiceField):
    """Working languages as ticks, each by its name in the reader's language; unknown codes refused
    with a clear message (not Django's generic "Select a valid choice")."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", gettext_lazy("Working languages"))
        kwargs.setdefault("required", False)
        # A callable: the names are worked out at each rendering, in the request's language.
        super().__init__(choices=language_choices, **kwargs)

    def validate(self, value) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        languages_clean(value)

    def clean(self, value) -> list[str]:
        return languages_clean(super().clean(value))
