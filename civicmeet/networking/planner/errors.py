"""Errors of the planner: ValueErrors with a stable code and the fields that name what is wrong.

The messages are English and meant for developers; the app turns `code` (and the structured fields)
into a translated sentence at the edge.
"""

from __future__ import annotations

from collections.abc import Mapping

# Every code the planner raises, with what it means.
CODES: Mapping[str, str] = {
    "invalid": "a parameter is out of range (no people, no tables, a table without seats, no rounds)",
    "duplicate_person": "two people share one id",
    "unknown_person": "a fixed seat, pair or held round names a person who is not in the input",
    "unknown_table": "a fixed seat names a table that does not exist",
    "unknown_round": "a fixed seat names a round outside the plan",
    "not_enough_seats": "more people than seats in a round",
    "conflicting_fixed_seats": "one person is fixed to two tables in the same round",
    "fixed_seats_over_capacity": "more people are fixed to a table in a round than it has seats",
    "fixed_seats_keep_apart": "two people who must be kept apart are fixed to the same table in a round",
    "held_rounds_invalid": "the rounds given as already held are not rounds of the plan",
}


class PlannerError(ValueError):
    """Bad input to the planner. `code` is one of CODES; `details` holds the structured fields
    (people, table, round, counts) that an edge needs to explain the refusal."""

    def __init__(self, code: str, message: str, **details: object) -> None:
        assert code in CODES, code
        self.code = code
        self.details: dict[str, object] = details
        super().__init__(f"{code}: {message}")
