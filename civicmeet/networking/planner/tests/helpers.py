"""Brute-force recounts and small instances for the planner's tests (no database, no Django)."""

from __future__ import annotations

import itertools
from collections import Counter

from civicmeet.networking.planner import Person, Plan, Problem


def pair_counts(plan: Plan) -> Counter[frozenset[object]]:
    """How often each unordered pair sat together, counted the slow and obvious way."""
    counts: Counter[frozenset[object]] = Counter()
    for round_ in plan.rounds:
        for table in round_:
            for a, b in itertools.combinations(table, 2):
                counts[frozenset((a, b))] += 1
    return counts


def plain(people: int, size: int, rounds: int) -> Problem:
    tables = -(-people // size)
    return Problem(people=tuple(Person(i) for i in range(people)), tables=(size,) * tables, rounds=rounds)


def assert_valid(problem: Problem, plan: Plan, *, apart: bool = True) -> None:
    """The hard rules, checked independently of planner.quality.check (`apart`: also the pairs to keep
    apart, for problems where that is possible)."""
    ids = [person.id for person in problem.people]
    assert len(plan.rounds) == problem.rounds
    for number, round_ in enumerate(plan.rounds):
        assert len(round_) == len(problem.tables)
        seated = [person for table in round_ for person in table]
        assert sorted(seated, key=ids.index) == ids, f"round {number}: not everyone exactly once"
        for table, seats in zip(round_, problem.tables, strict=True):
            assert len(table) <= seats
    for seat in problem.fixed:
        assert seat.person in plan.rounds[seat.round][seat.table]
    counts = pair_counts(plan)
    for a, b in problem.keep_apart if apart else ():
        assert counts[frozenset((a, b))] == 0
