"""Every plan keeps the hard rules; the report's figures match a brute-force recount; same seed, same plan."""

from __future__ import annotations

import itertools
import random
from math import comb

from hypothesis import given, settings
from hypothesis import strategies as st

from civicmeet.networking.planner import (
    FixedSeat,
    Person,
    Problem,
    check,
    distinct_pairs_bound,
    plan,
)
from civicmeet.networking.planner.search import State, tabu_search

from .helpers import assert_valid, pair_counts, plain

# database=None: nothing written into the working tree; deadline=None: a busy machine is no failure.
fast = settings(database=None, deadline=None, max_examples=40)
LANGUAGES = ("pl", "uk", "en", "he")


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    """Small meetings with everything the planner takes: organisations, types, languages, uneven
    tables, fixed seats, pairs kept apart, met before and that should meet."""
    tables = tuple(draw(st.lists(st.integers(1, 5), min_size=1, max_size=5)))
    seats = sum(tables)
    count = draw(st.integers(1, seats))
    rounds = draw(st.integers(1, 4))
    rng = random.Random(draw(st.integers(0, 10_000)))
    people = tuple(
        Person(
            i,
            organisation=rng.choice([None, *[f"org{k}" for k in range(max(1, count // 2))]]),
            organisation_type=rng.choice([None, "minority", "migrant", "other"]),
            languages=frozenset(rng.sample(LANGUAGES, rng.randint(0, 2))),
        )
        for i in range(count)
    )
    pairs = list(itertools.combinations(range(count), 2))
    fixed = []
    load: dict[tuple[int, int], int] = {}
    for i in rng.sample(range(count), min(count, rng.randint(0, 3))):
        r, t = rng.randrange(rounds), rng.randrange(len(tables))
        if load.get((r, t), 0) < tables[t]:
            load[(r, t)] = load.get((r, t), 0) + 1
            fixed.append(FixedSeat(i, t, r))
    fixed_at = {(seat.round, seat.person): seat.table for seat in fixed}
    apart = [
        pair
        for pair in rng.sample(pairs, min(len(pairs), rng.randint(0, 3)))
        if not any(
            fixed_at.get((r, pair[0])) is not None and fixed_at.get((r, pair[0])) == fixed_at.get((r, pair[1]))
            for r in range(rounds)
        )
    ]
    return Problem(
        people=people,
        tables=tables,
        rounds=rounds,
        fixed=tuple(fixed),
        keep_apart=tuple(apart),
        met_before=tuple(rng.sample(pairs, min(len(pairs), rng.randint(0, 4)))),
        should_meet=tuple(rng.sample(pairs, min(len(pairs), rng.randint(0, 4)))),
    )


def roomy(problem: Problem) -> bool:
    """Kept-apart pairs can always be separated: two tables and a table's worth of free seats."""
    return len(problem.tables) > 1 and sum(problem.tables) - len(problem.people) >= max(problem.tables)


@fast
@given(problems(), st.integers(0, 3))
def test_every_plan_keeps_the_hard_rules(problem, seed):
    result = plan(problem, seed=seed, iterations=300)
    assert_valid(problem, result.plan, apart=roomy(problem))


@fast
@given(problems())
def test_the_checker_agrees_with_the_plans(problem):
    result = plan(problem, seed=0, iterations=300)
    # Same-organisation pairs beyond the even spread only where seats or fixed seats force them.
    found = [
        problem_
        for problem_ in check(problem, result.plan)
        if "same-organisation" not in problem_ and (roomy(problem) or "kept apart" not in problem_)
    ]
    assert found == []


@fast
@given(problems(), st.integers(0, 2))
def test_the_report_matches_a_brute_force_recount(problem, seed):
    result = plan(problem, seed=seed, iterations=200)
    counts = pair_counts(result.plan)
    people = {person.id: person for person in problem.people}
    figures = result.report
    assert figures.distinct_pairs == len(counts)
    assert figures.repeats == sum(times - 1 for times in counts.values())
    assert {frozenset(pair[:2]): pair[2] for pair in figures.repeat_pairs} == {
        pair: times for pair, times in counts.items() if times > 1
    }
    assert {frozenset(pair) for pair in figures.past_pairs_met} == {
        frozenset(pair) for pair in problem.met_before if counts[frozenset(pair)]
    }
    assert figures.should_meet_met == sum(1 for pair in problem.should_meet if counts[frozenset(pair)])
    same_org = same_type = 0
    for pair, times in counts.items():
        a, b = (people[x] for x in pair)
        same_org += times * (a.organisation is not None and a.organisation == b.organisation)
        same_type += times * (a.organisation_type is not None and a.organisation_type == b.organisation_type)
    assert (figures.same_organisation_pairs, figures.same_type_pairs) == (same_org, same_type)
    silent = []
    for number, round_ in enumerate(result.plan.rounds):
        for table_number, table in enumerate(round_):
            known = [people[x].languages for x in table if people[x].languages]
            if known and not set.intersection(*map(set, known)):
                silent.append((number, table_number))
    assert [(table.round, table.table) for table in figures.tables_without_shared_language] == silent
    for table in figures.tables_without_shared_language:
        members = result.plan.rounds[table.round][table.table]
        assert set(table.need_interpreting) == {
            x for x in members if people[x].languages and table.language not in people[x].languages
        }
    assert figures.distinct_pairs <= figures.distinct_pairs_bound <= comb(len(problem.people), 2)


@fast
@given(problems(), st.integers(0, 5))
def test_the_same_seed_gives_the_same_plan(problem, seed):
    assert plan(problem, seed=seed, iterations=150).plan == plan(problem, seed=seed, iterations=150).plan


@fast
@given(problems(), st.integers(0, 5))
def test_the_incremental_cost_is_the_recounted_cost(problem, seed):
    rng = random.Random(seed)
    state = State(problem)
    state.load(state.greedy(rng))
    assert state.cost == state.full_cost()
    tabu_search(state, rng, iterations=60, quiet_iterations=10)
    assert state.cost == state.full_cost()
    assert state.cost >= state.floor


def test_a_swap_changes_the_cost_by_its_delta():
    problem = plain(12, 4, 3)
    state = State(problem)
    rng = random.Random(3)
    state.load(state.greedy(rng))
    for _ in range(200):
        r = rng.randrange(3)
        p, q = rng.sample(range(12), 2)
        if state.where[r][p] == state.where[r][q]:
            continue
        delta = state.swap_delta(r, p, q)
        before = state.cost
        state.swap(r, p, q, delta)
        assert state.full_cost() == before + delta == state.cost


def test_the_same_organisation_is_spread_when_it_can_be():
    # 24 people from 8 organisations of 3, at 6 tables of 4: nobody needs to sit with a colleague.
    people = tuple(Person(i, organisation=f"org{i // 3}") for i in range(24))
    problem = Problem(people=people, tables=(4,) * 6, rounds=3)
    result = plan(problem, seed=0)
    assert result.report.same_organisation_pairs == 0
    assert check(problem, result.plan) == []


def test_an_organisation_larger_than_the_tables_meets_only_as_often_as_it_must():
    # 5 colleagues at 4 tables: one pair of them per round is unavoidable, and no more.
    people = tuple(Person(i, organisation="big" if i < 5 else f"org{i}") for i in range(16))
    problem = Problem(people=people, tables=(4,) * 4, rounds=2)
    result = plan(problem, seed=0, iterations=2000)
    assert result.report.same_organisation_minimum == 1
    assert result.report.same_organisation_pairs == 2
    assert check(problem, result.plan) == []


def test_tables_share_a_language_when_the_people_allow_it_and_the_rest_is_named():
    speakers = [{"uk"}] * 4 + [{"pl", "uk"}] * 4 + [{"pl"}] * 4
    people = tuple(Person(i, languages=frozenset(spoken)) for i, spoken in enumerate(speakers))
    problem = Problem(people=people, tables=(4, 4, 4), rounds=1)
    assert plan(problem, seed=0).report.tables_without_shared_language == ()
    # One Hebrew speaker alone: their table cannot share a language, and they are the one named.
    lonely = (*people[:11], Person(11, languages=frozenset({"he"})))
    figures = plan(Problem(people=lonely, tables=(4, 4, 4), rounds=1), seed=0).report
    assert len(figures.tables_without_shared_language) == 1
    assert figures.tables_without_shared_language[0].need_interpreting == (11,)


def test_past_pairs_meet_again_only_when_nothing_else_works():
    # 8 people at 2 tables for 1 round: the 6 pairs who met before can all be kept apart.
    problem = plain(8, 4, 1)
    problem = Problem(
        people=problem.people, tables=problem.tables, rounds=1, met_before=((0, 1), (2, 3), (4, 5), (6, 7))
    )
    assert plan(problem, seed=0).report.past_pairs_met == ()


def test_should_meet_pairs_meet():
    base = plain(16, 4, 2)
    wanted = ((0, 15), (3, 9), (5, 6), (1, 12))
    problem = Problem(people=base.people, tables=base.tables, rounds=2, should_meet=wanted)
    figures = plan(problem, seed=0).report
    assert figures.should_meet_missed == () and figures.repeats == 0


def test_tables_are_balanced_when_seats_are_left_over():
    problem = Problem(people=plain(10, 5, 1).people, tables=(6, 6, 6), rounds=2)
    sizes = plan(problem, seed=0).report.table_sizes
    assert all(sorted(round_) == [3, 3, 4] for round_ in sizes)


def test_the_upper_bound():
    assert distinct_pairs_bound(32, (4,) * 8, 10) == 480  # 32 × 10 × 3 / 2 of C(32, 2) = 496
    assert distinct_pairs_bound(15, (3,) * 5, 7) == 105  # everyone meets everyone
    assert distinct_pairs_bound(15, (3,) * 5, 9) == 105
    assert distinct_pairs_bound(10, (8, 8), 1) == 28 + 1  # fill the largest table first
    assert distinct_pairs_bound(120, (8,) * 15, 4) == 1680
