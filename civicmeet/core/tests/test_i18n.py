import pytest
from django.utils import translation

from civicmeet.core.i18n import clean_localized, localize


@pytest.mark.parametrize(
    ("value", "language", "fallback", "expected"),
    [
        ({"pl": "Spotkanie", "uk": "Зустріч", "en": "Meeting"}, "uk", "pl", "Зустріч"),
        ({"pl": "Spotkanie", "en": "Meeting"}, "uk", "en", "Meeting"),
        ({"pl": "Spotkanie", "en": "Meeting"}, "uk", "pl", "Spotkanie"),
        ({"pl": "", "en": "Meeting"}, "pl", "pl", "Meeting"),
        ({}, "pl", "pl", ""),
        (None, "pl", "pl", ""),
        ("plain", "uk", None, "plain"),
    ],
)
def test_localize_picks_language_then_fallback_then_any(value, language, fallback, expected):
    assert localize(value, language, fallback) == expected


def test_localize_uses_active_language_by_default():
    with translation.override("en"):
        assert localize({"pl": "Tak", "en": "Yes"}) == "Yes"


def test_clean_localized_keeps_known_languages_and_drops_empty():
    assert clean_localized({"pl": "  Tak ", "uk": "", "de": "Ja", "en": "Yes"}) == {"pl": "Tak", "en": "Yes"}
