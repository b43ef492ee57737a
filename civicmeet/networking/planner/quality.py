"""What a plan is worth: the hard rules it breaks (`check`) and the quality report (`report`).

Both recount everything from the plan itself, independently of how the search keeps its counts, so
they can judge any plan (one made by hand, one re-planned on the day).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from math import comb
from typing import Any

from .model import Pair, Person, PersonId, Plan, Problem


def round_pairs_max(people: int, tables: Sequence[int]) -> int:
    """The most pairs one round can seat together: fill the largest tables first (Σ C(size, 2) is convex,
    so concentrating people is what maximises it)."""
    left, pairs = people, 0
    for seats in sorted(tables, reverse=True):
        size = min(seats, left)
        pairs += comb(size, 2)
        left -= size
    return pairs


def distinct_pairs_bound(people: int, tables: Sequence[int], rounds: int) -> int:
    """An upper bound on how many distinct pairs a plan can make meet.

    The least of: every pair once, C(N, 2); what the rounds can seat together, R × (the most pairs in
    one round, `round_pairs_max`); and what the people can meet: each person meets at most
    min(N − 1, R × (S − 1)) others (S the largest table), and every pair has two people, so
    ⌊N × min(N − 1, R × (S − 1)) / 2⌋. With N = T × S people at T full tables of S, the last two are
    both R × N × (S − 1) / 2: the bound is reached exactly by a plan in which nobody meets anyone twice.
    """
    largest = max(tables)
    per_person = min(people - 1, rounds * (largest - 1))
    return min(comb(people, 2), rounds * round_pairs_max(people, tables), people * per_person // 2)


def seated_pairs_bound(heads: Sequence[int], rounds_seated: Sequence[int], tables: Sequence[int]) -> int:
    """`distinct_pairs_bound` when people come and go: `heads[r]` people seated in round r,
    `rounds_seated[p]` rounds person p is seated. The least of C(N, 2), Σ_r round_pairs_max(heads[r]) and
    ⌊Σ_p min(N − 1, rounds_seated[p] × (S − 1)) / 2⌋, N the number of people seated at all."""
    people = len(rounds_seated)
    largest = max(tables)
    per_person = sum(min(people - 1, seated * (largest - 1)) for seated in rounds_seated)
    return min(comb(people, 2), sum(round_pairs_max(head, tables) for head in heads), per_person // 2)


def no_repeat_rounds_max(people: int, smallest_table: int) -> int | None:
    """How many rounds a plan can have with nobody meeting anyone twice when every table seats at least
    `smallest_table` people: each round a person meets at least S − 1 new people out of N − 1, so at most
    ⌊(N − 1) / (S − 1)⌋ rounds. None when tables of one person make no such limit."""
    if smallest_table < 2:
        return None
    return (people - 1) // (smallest_table - 1)


def meetings(plan: Plan, order: dict[PersonId, int]) -> Counter[Pair]:
    """How many times each pair sat at one table, pairs in the order of `order`."""
    counts: Counter[Pair] = Counter()
    for round_ in plan.rounds:
        for table in round_:
            members = sorted(table, key=order.__getitem__)
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    counts[(a, b)] += 1
    return counts


def same_organisation_minimum(problem: Problem) -> int:
    """The fewest same-organisation pairs one round can have: each organisation's people spread evenly
    over the tables (q or q + 1 at each, for m = qT + r people at T tables). Seats and fixed seats are not
    taken into account, so a round may need more; the search minimises the count whatever it is."""
    sizes = Counter(person.organisation for person in problem.people if person.organisation is not None)
    tables = len(problem.tables)
    total = 0
    for members in sizes.values():
        q, r = divmod(members, tables)
        total += r * comb(q + 1, 2) + (tables - r) * comb(q, 2)
    return total


def check(problem: Problem, plan: Plan) -> list[str]:
    """The hard rules `plan` breaks, one English sentence each (empty: a valid plan).

    Each person exactly once per round, no unknown person, no table over its seats, every fixed seat
    honoured, no keep-apart pair together, and no more same-organisation pairs in a round than the
    even spread needs (`same_organisation_minimum`; pairs both fixed to their table are not counted).
    """
    problems: list[str] = []
    fixed = problem.fixed_seats()
    organisation = {person.id: person.organisation for person in problem.people}
    apart = {frozenset(pair) for pair in problem.keep_apart}
    minimum = same_organisation_minimum(problem)
    if len(plan.rounds) != problem.rounds:
        problems.append(f"the plan has {len(plan.rounds)} rounds, not {problem.rounds}")
    for number, round_ in enumerate(plan.rounds):
        if len(round_) != len(problem.tables):
            problems.append(f"round {number} has {len(round_)} tables, not {len(problem.tables)}")
        seated = Counter(person for table in round_ for person in table)
        for person, times in seated.items():
            if person not in problem.index:
                problems.append(f"round {number} seats {person!r}, who is not among the people")
            elif times > 1:
                problems.append(f"round {number} seats {person!r} {times} times")
        for member in problem.people:
            if member.id not in seated:
                problems.append(f"round {number} does not seat {member.id!r}")
        same_organisation = 0
        for table_number, table in enumerate(round_):
            if table_number < len(problem.tables) and len(table) > problem.tables[table_number]:
                problems.append(
                    f"round {number} table {table_number} seats {len(table)}, over its {problem.tables[table_number]}"
                )
            for i, a in enumerate(table):
                for b in table[i + 1 :]:
                    if frozenset((a, b)) in apart:
                        problems.append(f"round {number} table {table_number} seats {a!r} and {b!r}, kept apart")
                    both_fixed = fixed.get((number, a)) == table_number and fixed.get((number, b)) == table_number
                    if organisation.get(a) is not None and organisation.get(a) == organisation.get(b):
                        same_organisation += 0 if both_fixed else 1
        if same_organisation > minimum:
            problems.append(
                f"round {number} seats {same_organisation} same-organisation pairs together, {minimum} would do"
            )
    for (number, person), at in sorted(fixed.items(), key=lambda item: (item[0][0], problem.index[item[0][1]])):
        if number < len(plan.rounds) and (at >= len(plan.rounds[number]) or person not in plan.rounds[number][at]):
            problems.append(f"round {number}: {person!r} is not at their fixed table {at}")
    return problems


@dataclass(frozen=True)
class TableWithoutLanguage:
    """A table whose people share no language: `language` is the one most of them speak (None if nobody
    said), `need_interpreting` those who do not speak it."""

    round: int
    table: int
    language: str | None
    need_interpreting: tuple[PersonId, ...]


@dataclass(frozen=True)
class QualityReport:
    """The figures of a plan. Pairs are listed in the order of the problem's people."""

    people: int
    rounds: int
    table_sizes: tuple[tuple[int, ...], ...]
    repeat_pairs: tuple[tuple[PersonId, PersonId, int], ...]  # pairs who met more than once, and how often
    repeats: int  # meetings beyond each pair's first
    tables_without_shared_language: tuple[TableWithoutLanguage, ...]
    past_pairs_met: tuple[Pair, ...]  # pairs who had met at earlier meetings and meet again
    same_organisation_pairs: int  # (pair, round) of one organisation at one table
    same_organisation_minimum: int  # per round, as `same_organisation_minimum`
    keep_apart_together: tuple[Pair, ...]
    same_type_pairs: int  # (pair, round) of one organisation type at one table: the fewer, the better the mix
    should_meet_met: int
    should_meet_missed: tuple[Pair, ...]
    distinct_pairs: int
    distinct_pairs_bound: int
    no_repeat_rounds_max: int | None

    @property
    def share_of_bound(self) -> float:
        """Distinct pairs met as a share of the upper bound (1.0 when they reach it)."""
        return self.distinct_pairs / self.distinct_pairs_bound if self.distinct_pairs_bound else 1.0

    def to_data(self) -> dict[str, Any]:
        data = asdict(self)
        data["share_of_bound"] = round(self.share_of_bound, 4)
        return data

    def lines(self) -> list[str]:
        """The report as short English lines, for the command line."""
        found = [
            f"people: {self.people}, rounds: {self.rounds}",
            f"repeat pairs: {len(self.repeat_pairs)} ({self.repeats} repeated meetings)",
            f"distinct pairs met: {self.distinct_pairs} of at most {self.distinct_pairs_bound}"
            f" ({self.share_of_bound:.1%})",
        ]
        if self.no_repeat_rounds_max is not None:
            found.append(
                f"rounds possible without any repeat at these table sizes: at most {self.no_repeat_rounds_max}"
            )
        found.append(f"tables without a shared language: {len(self.tables_without_shared_language)}")
        for table in self.tables_without_shared_language:
            names = ", ".join(str(person) for person in table.need_interpreting)
            found.append(f"  round {table.round} table {table.table}: interpreting into {table.language} for {names}")
        found += [
            f"same-organisation pairs: {self.same_organisation_pairs}"
            f" (unavoidable: {self.same_organisation_minimum} a round)",
            f"keep-apart pairs together: {len(self.keep_apart_together)}",
            f"pairs who met before and meet again: {len(self.past_pairs_met)}",
            f"same-type pairs at a table: {self.same_type_pairs}",
            f"should-meet pairs met: {self.should_meet_met} of {self.should_meet_met + len(self.should_meet_missed)}",
        ]
        return found


def _interpreting(people: Iterable[tuple[PersonId, frozenset[str]]]) -> tuple[str | None, tuple[PersonId, ...]]:
    members = list(people)
    spoken: Counter[str] = Counter(language for _, languages in members for language in languages)
    if not spoken:
        return None, ()
    language = min(spoken, key=lambda name: (-spoken[name], name))
    return language, tuple(person for person, languages in members if languages and language not in languages)


def shares_language(languages: Iterable[frozenset[str]]) -> bool:
    """Whether people with these languages share one (people whose languages are not known do not count)."""
    known = [spoken for spoken in languages if spoken]
    return not known or bool(frozenset.intersection(*known))


def report(problem: Problem, plan: Plan, people_seated: Iterable[Person] | None = None) -> QualityReport:
    """Recount `plan`'s figures from scratch (the tests compare them with a brute-force count).

    `people_seated` (default: the problem's people) is everyone the plan may seat, for a re-planned plan
    in which some people left and others came."""
    people = {person.id: person for person in (problem.people if people_seated is None else people_seated)}
    order = {person: number for number, person in enumerate(people)}
    counts = meetings(plan, order)

    def met(pair: Pair) -> int:
        return counts.get(pair, 0) + counts.get((pair[1], pair[0]), 0)

    no_language = []
    same_organisation = same_type = 0
    for number, round_ in enumerate(plan.rounds):
        for table_number, table in enumerate(round_):
            members = [people[person] for person in table]
            if not shares_language(member.languages for member in members):
                language, need = _interpreting((member.id, member.languages) for member in members)
                no_language.append(TableWithoutLanguage(number, table_number, language, need))
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    same_organisation += a.organisation is not None and a.organisation == b.organisation
                    same_type += a.organisation_type is not None and a.organisation_type == b.organisation_type
    sizes = tuple(tuple(len(table) for table in round_) for round_ in plan.rounds)
    occupied = [size for round_ in sizes for size in round_ if size]
    seated = Counter(person for round_ in plan.rounds for table in round_ for person in table)
    return QualityReport(
        people=len(seated),
        rounds=len(plan.rounds),
        table_sizes=sizes,
        repeat_pairs=tuple((a, b, times) for (a, b), times in counts.items() if times > 1),
        repeats=sum(times - 1 for times in counts.values()),
        tables_without_shared_language=tuple(no_language),
        past_pairs_met=tuple(pair for pair in problem.met_before if met(pair)),
        same_organisation_pairs=same_organisation,
        same_organisation_minimum=same_organisation_minimum(problem),
        keep_apart_together=tuple(pair for pair in problem.keep_apart if met(pair)),
        same_type_pairs=same_type,
        should_meet_met=sum(1 for pair in problem.should_meet if met(pair)),
        should_meet_missed=tuple(pair for pair in problem.should_meet if not met(pair)),
        distinct_pairs=len(counts),
        distinct_pairs_bound=seated_pairs_bound(
            [sum(len(table) for table in round_) for round_ in plan.rounds], list(seated.values()), problem.tables
        ),
        no_repeat_rounds_max=no_repeat_rounds_max(len(seated), min(occupied)) if occupied else None,
    )
