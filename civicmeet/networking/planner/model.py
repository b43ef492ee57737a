"""The planner's input (people, tables, rounds and the wishes about who sits with whom) and its output.

Everything is a frozen dataclass validated on creation, so a `Problem` that exists can be planned
(or the refusal is a `PlannerError` with a code saying why).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import PlannerError

PersonId = int | str
Pair = tuple[PersonId, PersonId]
Table = tuple[PersonId, ...]
Round = tuple[Table, ...]


@dataclass(frozen=True)
class Person:
    """One participant. `languages` empty means "not known": such a person never makes a table lose its
    shared language. `organisation` None means the person represents no organisation (nobody to keep
    them apart from)."""

    id: PersonId
    organisation: str | None = None
    organisation_type: str | None = None
    languages: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "languages", frozenset(self.languages))


@dataclass(frozen=True)
class FixedSeat:
    """`person` sits at table `table` (0-based, an index into `Problem.tables`) in round `round` (0-based)."""

    person: PersonId
    table: int
    round: int


def _pairs(name: str, pairs: Iterable[Sequence[PersonId]], known: Mapping[PersonId, int]) -> tuple[Pair, ...]:
    found: dict[frozenset[PersonId], Pair] = {}
    for pair in pairs:
        if len(pair) != 2 or pair[0] == pair[1]:
            raise PlannerError("invalid", f"{name}: {pair!r} is not a pair of two people", field=name, pair=pair)
        for person in pair:
            if person not in known:
                raise PlannerError("unknown_person", f"{name} names {person!r}", field=name, person=person)
        a, b = sorted(pair, key=known.__getitem__)
        found.setdefault(frozenset((a, b)), (a, b))
    return tuple(found.values())


@dataclass(frozen=True)
class Problem:
    """A planning task.

    - `people`: who is to be seated (ids unique);
    - `tables`: the seats of each table (tables may differ);
    - `rounds`: how many rounds (1 for a lunch, several for a rotation);
    - `fixed`: seats that must be honoured (a host who stays at a table, a guest at a given table in a
      given round);
    - `keep_apart`: pairs never to seat together;
    - `met_before`: pairs who met at earlier meetings (they should meet again only when nothing else works);
    - `should_meet`: pairs whose offers and needs fit (they should meet at least once).

    Pairs are stored in the order of `people`, each once.
    """

    people: tuple[Person, ...]
    tables: tuple[int, ...]
    rounds: int
    fixed: tuple[FixedSeat, ...] = ()
    keep_apart: tuple[Pair, ...] = ()
    met_before: tuple[Pair, ...] = ()
    should_meet: tuple[Pair, ...] = ()
    index: Mapping[PersonId, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "people", tuple(self.people))
        object.__setattr__(self, "tables", tuple(self.tables))
        object.__setattr__(self, "fixed", tuple(self.fixed))
        if not self.people:
            raise PlannerError("invalid", "no people to seat", field="people")
        if not self.tables or any(seats < 1 for seats in self.tables):
            raise PlannerError("invalid", "every table needs at least one seat", field="tables", tables=self.tables)
        if self.rounds < 1:
            raise PlannerError("invalid", "at least one round", field="rounds", rounds=self.rounds)
        index: dict[PersonId, int] = {}
        for position, person in enumerate(self.people):
            if person.id in index:
                raise PlannerError("duplicate_person", f"two people have the id {person.id!r}", person=person.id)
            index[person.id] = position
        object.__setattr__(self, "index", index)
        seats = sum(self.tables)
        if len(self.people) > seats:
            raise PlannerError(
                "not_enough_seats",
                f"{len(self.people)} people but only {seats} seats in a round",
                people=len(self.people),
                seats=seats,
            )
        for name in ("keep_apart", "met_before", "should_meet"):
            object.__setattr__(self, name, _pairs(name, getattr(self, name), index))
        self._check_fixed(index)

    def _check_fixed(self, index: Mapping[PersonId, int]) -> None:
        where: dict[tuple[PersonId, int], int] = {}
        for seat in self.fixed:
            if seat.person not in index:
                raise PlannerError("unknown_person", f"a fixed seat names {seat.person!r}", person=seat.person)
            if not 0 <= seat.table < len(self.tables):
                raise PlannerError(
                    "unknown_table", f"a fixed seat names table {seat.table}", person=seat.person, table=seat.table
                )
            if not 0 <= seat.round < self.rounds:
                raise PlannerError(
                    "unknown_round", f"a fixed seat names round {seat.round}", person=seat.person, round=seat.round
                )
            previous = where.setdefault((seat.person, seat.round), seat.table)
            if previous != seat.table:
                raise PlannerError(
                    "conflicting_fixed_seats",
                    f"{seat.person!r} is fixed to tables {previous} and {seat.table} in round {seat.round}",
                    person=seat.person,
                    round=seat.round,
                    tables=(previous, seat.table),
                )
        load = Counter((round_, table) for (_, round_), table in where.items())
        for (round_, table), count in sorted(load.items()):
            if count > self.tables[table]:
                raise PlannerError(
                    "fixed_seats_over_capacity",
                    f"{count} people fixed to table {table} in round {round_}, which has {self.tables[table]} seats",
                    round=round_,
                    table=table,
                    fixed=count,
                    seats=self.tables[table],
                )
        for a, b in self.keep_apart:
            for round_ in range(self.rounds):
                seat_a = where.get((a, round_))
                if seat_a is not None and seat_a == where.get((b, round_)):
                    raise PlannerError(
                        "fixed_seats_keep_apart",
                        f"{a!r} and {b!r} are to be kept apart but both fixed to table {seat_a} in round {round_}",
                        people=(a, b),
                        round=round_,
                        table=seat_a,
                    )

    def fixed_seats(self) -> dict[tuple[int, PersonId], int]:
        """(round, person) → table of every fixed seat."""
        return {(seat.round, seat.person): seat.table for seat in self.fixed}


@dataclass(frozen=True)
class Plan:
    """Round → table → the people at it. Table `t` of every round is `Problem.tables[t]` (possibly empty)."""

    rounds: tuple[Round, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "rounds", tuple(tuple(tuple(table) for table in round_) for round_ in self.rounds))

    def to_data(self) -> dict[str, Any]:
        """`{"rounds": [[[person, ...], ...table], ...round]}`: what the command line prints."""
        return {"rounds": [[list(table) for table in round_] for round_ in self.rounds]}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Plan:
        return cls(rounds=tuple(tuple(tuple(table) for table in round_) for round_ in data["rounds"]))

    def tables_of(self, person: PersonId) -> list[int | None]:
        """The table of `person` in each round (None where they are not seated)."""
        found: list[int | None] = []
        for round_ in self.rounds:
            found.append(next((number for number, table in enumerate(round_) if person in table), None))
        return found
