"""Finding organisations that are probably the same one under different names.

"Fundacja Zustricz", "Fundacja „Zustricz”", "Zustricz", "Фундація «Зустріч»" and "Zustricz
Foundation" name one organisation. Each name is reduced to a key — transliterated to Latin letters
(text-unidecode: "Зустріч" → "zustrich", "Ł" → "l"), without diacritics, quotes, punctuation or the
words of a legal form ("fundacja", "stowarzyszenie", "foundation", "фундація", …) — and the keys are
compared with rapidfuzz, so a different spelling or one typo still matches ("zustricz" ~ "zustrich").

Pure functions over names: the organisers' review of the candidates and the merge are elsewhere.
A candidate is only a suggestion; an organiser decides. Every name is compared with every other
(in C): 5,000 organisations with two names each take about 23 s on one core here, so the whole
directory is searched in the background; one new name against the directory takes milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from text_unidecode import unidecode  # type: ignore[import-untyped]  # ships no types

# Words that say what kind of body an organisation is, not which one, in the forms they take after
# transliteration: Polish, Ukrainian (as text-unidecode writes it) and English.
LEGAL_FORM_WORDS = frozenset(
    {
        # Polish
        "fundacja", "fundacji", "stowarzyszenie", "stowarzyszenia", "towarzystwo", "towarzystwa",
        "zwiazek", "zwiazku", "organizacja", "pozarzadowa", "spoleczna", "oddzial", "w", "we", "i",
        # Ukrainian, transliterated
        "fundatsiia", "asotsiatsiia", "tovarystvo", "hromadska", "orhanizatsiia", "obiednannia", "ta",
        # English
        "foundation", "association", "society", "organisation", "organization", "the", "of", "and",
    }
)  # fmt: skip
# The score (0–100) from which two keys are a candidate: one letter in eight may differ.
THRESHOLD = 85


def name_key(name: str) -> str:
    """The part of a name that tells organisations apart, for comparing (not for showing)."""
    latin = unidecode(name).casefold()
    words = re.findall(r"[a-z0-9]+", latin)
    kept = [word for word in words if word not in LEGAL_FORM_WORDS]
    # A name that is only a legal form ("Fundacja") keeps its words rather than vanish.
    return " ".join(kept or words)


# A name wholly inside another ("czulent" in "zydowskie czulent") counts when it is this long: a
# short common word ("dom", "pomoc") says nothing.
CONTAINED_MIN_LENGTH = 6
CONTAINED_SCORE = 90.0


def pair_score(first_key: str, second_key: str) -> float:
    """How alike two keys are (0–100): the same words in any order, up to a typo; or one name's
    words all within the other's (scored CONTAINED_SCORE), when that name is long enough to tell."""
    score = fuzz.token_sort_ratio(first_key, second_key)
    shorter, longer = sorted((first_key, second_key), key=len)
    if score < CONTAINED_SCORE and len(shorter) >= CONTAINED_MIN_LENGTH and set(shorter.split()) <= set(longer.split()):
        return CONTAINED_SCORE
    return score


@dataclass(frozen=True)
class Candidate:
    """Two organisations that are probably one: the closest pair of their names, and its score."""

    first: int
    second: int
    score: float
    names: tuple[str, str]


def duplicate_candidates(names: Mapping[int, Iterable[str]], *, threshold: float = THRESHOLD) -> list[Candidate]:
    """Pairs of organisations (by id) whose names — any variant of each — are close; best first.

    `names` maps an organisation's id to all its names (per language and alternate ones). Each pair
    appears once (first < second), with the best-matching pair of names as the reason.
    """
    owners: list[int] = []
    shown: list[str] = []
    keys: list[str] = []
    for owner, variants in names.items():
        for variant in dict.fromkeys(variants):  # each variant once, in order
            key = name_key(variant)
            if key:
                owners.append(owner)
                shown.append(variant)
                keys.append(key)
    best: dict[tuple[int, int], Candidate] = {}
    for index, key in enumerate(keys):
        # Compared with the keys after it only: each pair of names once.
        # token_set_ratio (in C, over all keys) finds both kinds of closeness; each hit is then scored.
        matches = process.extract(
            key, keys[index + 1 :], scorer=fuzz.token_set_ratio, score_cutoff=threshold, limit=None
        )
        for _match, _set_score, offset in matches:
            other = index + 1 + offset
            if owners[other] == owners[index]:
                continue
            score = pair_score(key, keys[other])
            if score < threshold:
                continue
            pair = (min(owners[index], owners[other]), max(owners[index], owners[other]))
            found = pair[0] == owners[index]
            candidate = Candidate(
                first=pair[0],
                second=pair[1],
                score=round(score, 1),
                names=(shown[index], shown[other]) if found else (shown[other], shown[index]),
            )
            if pair not in best or candidate.score > best[pair].score:
                best[pair] = candidate
    return sorted(best.values(), key=lambda candidate: (-candidate.score, candidate.first, candidate.second))


class Reason:
    """Why two names are a candidate, for the moderators' page (translated there)."""

    SAME = "same"  # the same key: only quotes, legal forms, case, script or diacritics differ
    SAME_WORDS = "same_words"  # the same words in another order
    CONTAINED = "contained"  # one name's words all inside the other's
    SIMILAR = "similar"  # a spelling a letter or two apart


def pair_reason(first: str, second: str) -> str:
    """The reason (a Reason value) two names were matched."""
    first_key, second_key = name_key(first), name_key(second)
    if first_key == second_key:
        return Reason.SAME
    if sorted(first_key.split()) == sorted(second_key.split()):
        return Reason.SAME_WORDS
    shorter, longer = sorted((first_key, second_key), key=len)
    if fuzz.token_sort_ratio(first_key, second_key) < CONTAINED_SCORE and set(shorter.split()) <= set(longer.split()):
        return Reason.CONTAINED
    return Reason.SIMILAR


@dataclass(frozen=True)
class Match:
    """Another organisation whose name is close to one of ours."""

    other: int
    score: float
    names: tuple[str, str]  # (our name, theirs)
    reason: str


@dataclass
class NameIndex:
    """Every name of the directory as keys, built once, to compare one organisation against it."""

    owners: list[int]
    shown: list[str]
    keys: list[str]

    @classmethod
    def build(cls, names: Mapping[int, Iterable[str]]) -> NameIndex:
        index = cls([], [], [])
        for owner, variants in names.items():
            for variant in dict.fromkeys(variants):
                key = name_key(variant)
                if key:
                    index.owners.append(owner)
                    index.shown.append(variant)
                    index.keys.append(key)
        return index

    def matches(self, owner: int, names: Iterable[str], *, threshold: float = THRESHOLD) -> list[Match]:
        """The other organisations one of whose names is close to one of `names`; best first,
        each organisation once (with its best pair of names)."""
        best: dict[int, Match] = {}
        for name in dict.fromkeys(names):
            key = name_key(name)
            if not key:
                continue
            found = process.extract(key, self.keys, scorer=fuzz.token_set_ratio, score_cutoff=threshold, limit=None)
            for _match, _set_score, position in found:
                other = self.owners[position]
                if other == owner:
                    continue
                score = pair_score(key, self.keys[position])
                if score < threshold:
                    continue
                pair = (name, self.shown[position])
                match = Match(other=other, score=round(score, 1), names=pair, reason=pair_reason(*pair))
                if other not in best or match.score > best[other].score:
                    best[other] = match
        return sorted(best.values(), key=lambda match: (-match.score, match.other))
