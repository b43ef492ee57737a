"""The planner refuses impossible input with a code and the fields that explain it."""

from __future__ import annotations

import pytest

from civicmeet.networking.planner import CODES, FixedSeat, Person, PlannerError, Problem, plan

PEOPLE = tuple(Person(i, organisation=f"org{i % 3}") for i in range(6))


def refusal(**changes: object) -> PlannerError:
    arguments: dict[str, object] = {"people": PEOPLE, "tables": (3, 3), "rounds": 2} | changes
    with pytest.raises(PlannerError) as caught:
        Problem(**arguments)  # type: ignore[arg-type]
    assert caught.value.code in CODES
    return caught.value


def test_more_people_than_seats_is_refused_with_the_counts():
    error = refusal(tables=(3, 2))
    assert error.code == "not_enough_seats"
    assert error.details == {"people": 6, "seats": 5}
    assert "6 people but only 5 seats" in str(error)


def test_more_fixed_people_than_a_table_seats_is_refused():
    fixed = tuple(FixedSeat(i, 0, 1) for i in range(4))
    error = refusal(fixed=fixed)
    assert error.code == "fixed_seats_over_capacity"
    assert error.details == {"round": 1, "table": 0, "fixed": 4, "seats": 3}


def test_one_person_fixed_to_two_tables_in_a_round_is_refused():
    error = refusal(fixed=(FixedSeat(2, 0, 0), FixedSeat(2, 1, 0)))
    assert error.code == "conflicting_fixed_seats"
    assert error.details == {"person": 2, "round": 0, "tables": (0, 1)}


def test_the_same_fixed_seat_twice_is_no_conflict():
    Problem(people=PEOPLE, tables=(3, 3), rounds=2, fixed=(FixedSeat(2, 0, 0), FixedSeat(2, 0, 0)))


@pytest.mark.parametrize(
    ("seat", "code"),
    [
        (FixedSeat(99, 0, 0), "unknown_person"),
        (FixedSeat(0, 2, 0), "unknown_table"),
        (FixedSeat(0, -1, 0), "unknown_table"),
        (FixedSeat(0, 0, 2), "unknown_round"),
    ],
)
def test_a_fixed_seat_outside_the_problem_is_refused(seat, code):
    assert refusal(fixed=(seat,)).code == code


def test_people_kept_apart_but_fixed_together_are_refused():
    error = refusal(keep_apart=((0, 1),), fixed=(FixedSeat(0, 1, 1), FixedSeat(1, 1, 1)))
    assert error.code == "fixed_seats_keep_apart"
    assert error.details == {"people": (0, 1), "round": 1, "table": 1}


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"people": ()}, "invalid"),
        ({"tables": ()}, "invalid"),
        ({"tables": (6, 0)}, "invalid"),
        ({"rounds": 0}, "invalid"),
        ({"people": (Person(1), Person(1))}, "duplicate_person"),
        ({"met_before": ((0, 7),)}, "unknown_person"),
        ({"should_meet": ((0, 0),)}, "invalid"),
    ],
)
def test_malformed_input_is_refused(changes, code):
    assert refusal(**changes).code == code


def test_pairs_are_stored_once_in_the_order_of_the_people():
    problem = Problem(people=PEOPLE, tables=(3, 3), rounds=1, met_before=((3, 1), (1, 3), [4, 0]))
    assert problem.met_before == ((1, 3), (0, 4))


def test_a_feasible_problem_plans():
    result = plan(Problem(people=PEOPLE, tables=(3, 3), rounds=2), seed=1)
    assert result.report.same_organisation_pairs == 0
