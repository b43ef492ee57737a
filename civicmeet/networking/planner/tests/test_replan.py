"""Re-planning on the day: held rounds stay as they were, the rest is planned for who is here."""

from __future__ import annotations

import pytest

from civicmeet.networking.planner import FixedSeat, Person, Plan, PlannerError, Problem, plan, replan

from .helpers import pair_counts

PEOPLE = tuple(Person(i, organisation=f"org{i // 2}", languages=frozenset({"pl"})) for i in range(24))
PROBLEM = Problem(people=PEOPLE, tables=(4,) * 6, rounds=4, fixed=(FixedSeat(0, 0, 3),))


def test_held_rounds_are_kept_and_the_rest_avoids_repeating_them():
    first = plan(PROBLEM, seed=1, iterations=500)
    missing = {3, 7, 11, 19}
    present = [person for person in PEOPLE if person.id not in missing] + [
        Person("new-a", organisation="guests", languages=frozenset({"pl"})),
        Person("new-b", organisation="guests", languages=frozenset({"pl"})),
    ]
    held = Plan(rounds=first.plan.rounds[:2])
    again = replan(PROBLEM, held, present, seed=2, iterations=500)
    assert again.plan.rounds[:2] == first.plan.rounds[:2]
    assert len(again.plan.rounds) == 4
    here = {person.id for person in present}
    for round_ in again.plan.rounds[2:]:
        seated = [person for table in round_ for person in table]
        assert sorted(map(str, seated)) == sorted(map(str, here))
        assert all(len(table) <= 4 for table in round_)
    assert 0 in again.plan.rounds[3][0]  # the fixed seat of round 3 still holds
    counts = pair_counts(again.plan)
    assert max(counts.values()) == 1  # 22 at tables of 4 for 4 rounds: nobody needs to meet twice
    assert again.report.repeats == 0
    assert counts[frozenset(("new-a", "new-b"))] == 0  # one organisation
    assert again.report.people == 26  # everyone seated at some point


def test_replanning_is_deterministic():
    held = Plan(rounds=plan(PROBLEM, seed=1, iterations=300).plan.rounds[:1])
    present = PEOPLE[:20]
    assert (
        replan(PROBLEM, held, present, seed=5, iterations=300).plan
        == replan(PROBLEM, held, present, seed=5, iterations=300).plan
    )


def test_replanning_after_the_last_round_changes_nothing():
    whole = plan(PROBLEM, seed=1, iterations=300).plan
    assert replan(PROBLEM, whole, PEOPLE).plan == whole


def test_held_rounds_must_be_rounds_of_the_plan():
    whole = plan(PROBLEM, seed=1, iterations=300).plan
    with pytest.raises(PlannerError) as caught:
        replan(PROBLEM, Plan(rounds=whole.rounds + whole.rounds[:1]), PEOPLE)
    assert caught.value.code == "held_rounds_invalid"
    with pytest.raises(PlannerError) as caught:
        replan(PROBLEM, Plan(rounds=(((99,), (), (), (), (), ()),)), PEOPLE)
    assert caught.value.code == "unknown_person"


def test_more_people_than_seats_on_the_day_is_refused():
    crowd = [*PEOPLE, Person("extra")]
    with pytest.raises(PlannerError) as caught:
        replan(PROBLEM, Plan(rounds=()), crowd)
    assert caught.value.code == "not_enough_seats"
