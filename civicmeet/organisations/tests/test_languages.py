"""Working languages named by CLDR (Babel) in the reader's language; unknown codes refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from civicmeet.organisations.languages import (
    LANGUAGE_CODES,
    LanguagesField,
    language_choices,
    language_name,
    languages_clean,
)


@pytest.mark.parametrize(
    ("code", "pl", "uk", "en"),
    [
        ("uk", "ukraiński", "українська", "Ukrainian"),
        ("yi", "jidysz", "їдиш", "Yiddish"),
        ("rom", "cygański", "циганська", "Romany"),
        ("prs", "dari", "дарі", "Dari"),  # CLDR names it as Persian of Afghanistan (fa_AF)
        ("be", "białoruski", "білоруська", "Belarusian"),
    ],
)
def test_names_in_each_site_language(code, pl, uk, en):
    assert (language_name(code, "pl"), language_name(code, "uk"), language_name(code, "en")) == (pl, uk, en)


def test_the_active_language_by_default():
    with translation.override("uk"):
        assert language_name("pl") == "польська"


def test_a_name_cldr_lacks_in_the_readers_language_falls_back_to_english():
    assert language_name("rue", "pl") == "rusiński"
    assert language_name("rue", "uk") == "Rusyn"


def test_a_language_named_in_its_own_language_without_a_cldr_locale_is_named_in_english():
    # The badges name each language in itself (language_name(code, code)); CLDR has no locale
    # "rue" (Rusyn / Lemko): Babel's UnknownLocaleError is no ValueError, and it failed the sheet.
    assert language_name("rue", "rue") == "Rusyn"
    assert language_name("uk", "uk") == "українська"


def test_every_offered_code_has_a_name():
    for code in LANGUAGE_CODES:
        assert language_name(code, "en") != code, code


def test_choices_start_with_the_sites_languages_then_by_name():
    with translation.override("pl"):
        choices = language_choices()
    assert [code for code, _name in choices[:3]] == ["pl", "uk", "en"]
    rest = [name.lower() for _code, name in choices[3:]]
    assert rest == sorted(rest)
    assert len(choices) == len(LANGUAGE_CODES) == len(set(LANGUAGE_CODES))


def test_clean_keeps_the_lists_order_without_repeats():
    assert languages_clean(["ru", "uk", "pl", "uk"]) == ["pl", "uk", "ru"]


@pytest.mark.parametrize(("language", "text"), [("pl", "tlh"), ("uk", "tlh")])
def test_unknown_codes_are_refused_with_a_clear_message(language, text):
    with translation.override(language), pytest.raises(ValidationError) as caught:
        LanguagesField().clean(["uk", "tlh"])
    assert text in caught.value.messages[0]
    assert "Select a valid choice" not in caught.value.messages[0]


def test_the_field_names_languages_in_the_request_language():
    field = LanguagesField()
    with translation.override("uk"):
        assert dict(field.choices)["de"] == "німецька"
    with translation.override("pl"):
        assert dict(field.choices)["de"] == "niemiecki"
