"""Property: any indexed name of 6 letters or more, with one letter changed or deleted, is still found."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from civicmeet.search.folding import fold

from .helpers import document, found

pytestmark = pytest.mark.django_db

NAMES = [
    "Fundacja Zustricz",
    "Zustricz Foundation",
    "Фундація Зустріч",
    "Stowarzyszenie Żydowskie Czulent",
    "Jewish Association Czulent",
    "Stowarzyszenie Romów w Polsce",
    "Łemkowska Watra",
    "Об'єднання лемків",
    "Towarzystwo Kulturalne Ormian",
    "Вірменська громада Кракова",
    "Fundacja Dom Wietnamski",
    "Białoruski Dom Kultury",
    "Afghan Women Support Kraków",
    "Koalicja KOMM",
    "Informuj, Działaj, Zrozum",
    "Українська школа суботи",
    "Strategie współpracy i włączenia",
    "Centrum Wielokulturowe",
    "Związek Ukraińców w Polsce",
    "Stowarzyszenie Tatarów Polskich",
]
LATIN = "abcdefghijklmnopqrstuvwxyząćęłńóśźż"
CYRILLIC = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"


@pytest.fixture
def indexed():
    made = [document(name, texts=("Opis działalności organizacji w Krakowie.",)) for name in NAMES]
    # Others around them, so that corrections have neighbours to choose from.
    for index in range(30):
        document(f"Organizacja numer {index} Kraków", texts=("Fundacja wspiera sąsiadów.",))
    return dict(zip(NAMES, (document.pk for document in made), strict=True))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(NAMES), data=st.data())
def test_a_name_with_one_letter_changed_or_deleted_is_found(indexed, name, data):
    letters = [index for index, char in enumerate(name) if char.isalpha()]
    assume(len(letters) >= 6)
    position = data.draw(st.sampled_from(letters), label="position")
    alphabet = CYRILLIC if "а" <= name[position].lower() <= "я" or name[position].lower() in "ґєії" else LATIN
    replacement = data.draw(st.sampled_from(["", *alphabet]), label="replacement")
    typed = name[:position] + replacement + name[position + 1 :]
    assume(fold(typed) != fold(name) or replacement == "")
    assert indexed[name] in found(typed), typed
