"""The constructions give plans in which nobody meets twice, for every parameter set they apply to."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from civicmeet.networking.planner import plan
from civicmeet.networking.planner.constructions import cyclic_plan, plain_plan, subspace_plan

from .helpers import assert_valid, plain


def assert_zero_repeat(rounds: list[list[list[int]]], people: int, size: int, count: int) -> None:
    assert len(rounds) == count
    for round_ in rounds:
        assert sorted(point for table in round_ for point in table) == list(range(people))
        assert all(len(table) == size for table in round_)
    pairs = Counter(pair for round_ in rounds for table in round_ for pair in itertools.combinations(sorted(table), 2))
    assert max(pairs.values()) == 1
    assert len(pairs) == count * people * (size - 1) // 2  # every round's pairs are new


@pytest.mark.parametrize(
    ("people", "size", "rounds"),
    [
        (9, 3, 4),  # AG(2, 3): everyone meets everyone
        (25, 5, 6),  # AG(2, 5)
        (27, 3, 13),  # AG(3, 3)
        (16, 4, 5),  # a spread of lines in GF(2)^4
        (32, 4, 9),  # a partial spread of 2-dimensional subspaces of GF(2)^5: the most it allows
        (64, 4, 21),
        (64, 8, 9),
        (8, 2, 7),  # tables of 2: GF(2)^3, a round-robin
    ],
)
def test_subspace_plans_have_no_repeat(people, size, rounds):
    made = subspace_plan(people, size, rounds)
    assert made is not None
    assert_zero_repeat(made, people, size, rounds)


@pytest.mark.parametrize(
    ("people", "size", "rounds"),
    [
        (15, 3, 7),  # Kirkman's schoolgirls: Z_7 and one fixed point
        (21, 3, 10),  # Kirkman triples of 21
        (24, 4, 7),
        (12, 2, 11),  # a round-robin of 12
    ],
)
def test_cyclic_plans_have_no_repeat(people, size, rounds):
    made = cyclic_plan(people, size, rounds)
    assert made is not None
    assert_zero_repeat(made, people, size, rounds)


def test_constructions_refuse_what_they_cannot_do():
    assert subspace_plan(12, 3, 2) is None  # 12 is no power of 3
    assert subspace_plan(32, 4, 11) is None  # beyond ⌊31 / 3⌋ rounds
    assert cyclic_plan(15, 3, 8) is None  # beyond ⌊14 / 2⌋
    assert plain_plan(10, 3, 2) is None  # tables would not be full
    assert plain_plan(10, 1, 2) is None


def test_the_same_seed_gives_the_same_construction():
    assert cyclic_plan(21, 3, 10, seed=4) == cyclic_plan(21, 3, 10, seed=4)


def test_plan_uses_a_construction_when_it_applies():
    result = plan(plain(15, 3, 7), seed=0)
    assert result.method.startswith("construction:")
    assert result.report.repeats == 0 and result.report.share_of_bound == 1.0
    assert result.iterations == 0
    assert_valid(plain(15, 3, 7), result.plan)


def test_one_round_more_than_a_construction_starts_from_it():
    # 16 at tables of 4: a spread gives 5 rounds (everyone meets everyone); a 6th must repeat.
    result = plan(plain(16, 4, 6), seed=0, iterations=200)
    assert result.method.startswith("construction:subspaces+greedy")
    assert_valid(plain(16, 4, 6), result.plan)
    assert result.report.distinct_pairs == 120 == result.report.distinct_pairs_bound
    assert result.report.no_repeat_rounds_max == 5
