"""Duplicate organisations found across name variants, scripts, quotes, legal forms and typos."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from civicmeet.organisations.duplicates import LEGAL_FORM_WORDS, THRESHOLD, duplicate_candidates, name_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Fundacja Zustricz", "zustricz"),
        ("Fundacja „Zustricz”", "zustricz"),
        ("FUNDACJA 'ZUSTRICZ'", "zustricz"),
        ("Zustricz Foundation", "zustricz"),
        ("Фундація «Зустріч»", "zustrich"),
        ("Żydowskie Stowarzyszenie Czulent", "zydowskie czulent"),
        ("Łemkowskie Towarzystwo", "lemkowskie"),
        ("Związek Ukraińców w Polsce", "ukraincow polsce"),
        ("Fundacja", "fundacja"),  # only a legal form: kept rather than lost
    ],
)
def test_name_key_keeps_what_tells_organisations_apart(name, key):
    assert name_key(name) == key


def test_the_invitations_organisations_are_found_across_their_names():
    candidates = duplicate_candidates(
        {
            1: ["Fundacja Zustricz", "Zustricz Foundation"],
            2: ["Fundacja „Zustricz”"],
            3: ["Фундація «Зустріч»"],
            4: ["Żydowskie Stowarzyszenie Czulent", "Jewish Association Czulent"],
            5: ["Stowarzyszenie Czulent"],
            6: ["Związek Ukraińców w Polsce"],
            7: ["Stowarzyszenie Romów w Polsce"],
            8: ["Fundacja Dom"],
            9: ["Dom Pomocy"],
        }
    )
    pairs = {(candidate.first, candidate.second): candidate for candidate in candidates}
    assert set(pairs) == {(1, 2), (1, 3), (2, 3), (4, 5)}
    assert pairs[1, 2].score == 100 and pairs[1, 2].names == ("Fundacja Zustricz", "Fundacja „Zustricz”")
    # Cyrillic and Latin spellings differ by a letter: a typo's distance.
    assert THRESHOLD <= pairs[1, 3].score < 100
    # One name inside the other.
    assert pairs[4, 5].names == ("Żydowskie Stowarzyszenie Czulent", "Stowarzyszenie Czulent")
    # Best first.
    assert candidates[0] == pairs[1, 2]


def test_a_short_common_word_is_not_enough():
    assert duplicate_candidates({1: ["Fundacja Dom"], 2: ["Dom Pomocy Społecznej"]}) == []
    assert duplicate_candidates({1: ["Romowie w Polsce"], 2: ["Ukraińcy w Polsce"]}) == []  # a shared word alone


def test_variants_of_one_organisation_are_not_its_own_duplicates():
    assert duplicate_candidates({1: ["Fundacja Zustricz", "Zustricz", "Зустріч"]}) == []


@given(st.text(alphabet="abcdefghijklmnoprstuwyz", min_size=8, max_size=20), st.data())
def test_one_typo_in_a_long_name_is_still_a_candidate(word, data):
    position = data.draw(st.integers(0, len(word) - 1))
    replacement = data.draw(
        st.sampled_from([letter for letter in "abcdefghijklmnoprstuwyz" if letter != word[position]])
    )
    typo = word[:position] + replacement + word[position + 1 :]
    # A legal-form word ("fundacja") is no name of its own: the key of a name made of it alone differs.
    assume(word not in LEGAL_FORM_WORDS and typo not in LEGAL_FORM_WORDS)
    [candidate] = duplicate_candidates({1: [f"Fundacja {word}"], 2: [f"Stowarzyszenie {typo}"]})
    assert (candidate.first, candidate.second) == (1, 2)


def test_one_organisation_against_the_directory_with_the_reason():
    from civicmeet.organisations.duplicates import NameIndex, Reason

    index = NameIndex.build(
        {
            1: ["Fundacja Zustricz", "Zustricz Foundation"],
            2: ["Fundacja „Zustricz”"],
            3: ["Żydowskie Stowarzyszenie Czulent"],
            4: ["Stowarzyszenie Czulent"],
            5: ["Fundacja Zustrich"],
        }
    )
    matches = index.matches(2, ["Fundacja „Zustricz”"])
    assert [(m.other, m.reason) for m in matches] == [(1, Reason.SAME), (5, Reason.SIMILAR)]
    assert matches[0].names == ("Fundacja „Zustricz”", "Fundacja Zustricz")
    assert [(m.other, m.reason) for m in index.matches(4, ["Stowarzyszenie Czulent"])] == [(3, Reason.CONTAINED)]
    assert (index.matches(9, ["Czulent Żydowskie"])[0].other, index.matches(9, ["Czulent Żydowskie"])[0].reason) == (
        3,
        Reason.SAME_WORDS,
    )
