"""Generated meetings for the benchmark and the tests: seeded, so every run plans the same people."""

from __future__ import annotations

import random

from .constructions import plain_plan
from .model import FixedSeat, Person, Problem

TYPES = ("minority", "migrant", "other")


def realistic_meeting(
    *,
    people: int = 120,
    organisations: int = 70,
    tables: int = 15,
    seats: int = 8,
    rounds: int = 4,
    hosts: int = 2,
    seed: int = 0,
) -> Problem:
    """A meeting like the invitation's, grown, for which a perfect plan is known to exist.

    A hidden plan with nobody meeting twice (`plain_plan`, people shuffled) is drawn first. Each of its
    tables is given a language — Polish for three in five, Ukrainian or English for one in five each —
    and every person speaks the languages of their hidden tables, and English for a fifth more (so about
    one in ten speaks Polish only, a few speak no Polish).
    `organisations` organisations (minority, migrant or other) of 1 to 4 people are made of people who
    never share a hidden table; `hosts` table hosts stay at tables 0, 1, … in every round; 2 pairs to keep apart, 40 pairs who met at earlier meetings and 20
    who should meet, drawn among people the hidden plan keeps apart. So the hidden plan has no repeat, no
    table without a shared language, no two people of one organisation at a table, no past pair meeting
    and no kept-apart pair together: whatever a planner leaves of these, the people allowed better."""
    rng = random.Random(seed)
    made = plain_plan(people, seats, rounds, seed=seed)
    if made is None or len(made[1][0]) != tables:
        raise ValueError("no hidden plan for these parameters")
    hidden = made[1]
    order = list(range(people))
    rng.shuffle(order)
    hidden = [[[order[point] for point in table] for table in round_] for round_ in hidden]
    met: set[tuple[int, int]] = set()
    for round_ in hidden:
        for table in round_:
            met |= {(a, b) for a in table for b in table if a != b}
    languages: list[set[str]] = [set() for _ in range(people)]
    for round_ in hidden:
        for table in round_:
            language = rng.choices(("pl", "uk", "en"), weights=(3, 1, 1))[0]
            for person in table:
                languages[person].add(language)
    for spoken in languages:
        if rng.random() < 0.2:
            spoken.add("en")
    sizes = [1] * organisations
    for _ in range(people - organisations):
        sizes[rng.choice([i for i, size in enumerate(sizes) if size < 4])] += 1
    unassigned = set(range(people))
    organisation_of: dict[int, int] = {}
    for number in sorted(range(organisations), key=lambda i: -sizes[i]):
        members: list[int] = []
        for person in rng.sample(sorted(unassigned), len(unassigned)):
            if len(members) == sizes[number]:
                break
            if all((person, other) not in met for other in members):
                members.append(person)
        for person in members:
            organisation_of[person] = number
            unassigned.discard(person)
    for person in sorted(unassigned):  # what did not fit becomes an organisation of one
        organisation_of[person] = organisations + person
    kinds = {number: rng.choices(TYPES, weights=(4, 4, 2))[0] for number in set(organisation_of.values())}
    crowd = tuple(
        Person(
            id=person,
            organisation=f"org{organisation_of[person]}",
            organisation_type=kinds[organisation_of[person]],
            languages=frozenset(languages[person]),
        )
        for person in range(people)
    )
    # Hosts: people who never meet in the hidden plan; each round's tables are put in the order that has
    # host h at table h, so the hidden plan honours their fixed seats.
    host_ids: list[int] = []
    for person in range(people):
        if len(host_ids) < min(hosts, tables) and all((person, host) not in met for host in host_ids):
            host_ids.append(person)
    for number, round_ in enumerate(hidden):
        at_host = [next(table for table in round_ if host in table) for host in host_ids]
        hidden[number] = at_host + [table for table in round_ if table not in at_host]

    def pairs(count: int) -> tuple[tuple[int, int], ...]:
        found: set[tuple[int, int]] = set()
        while len(found) < count:
            a, b = sorted(rng.sample(range(people), 2))
            if (a, b) not in met and organisation_of[a] != organisation_of[b]:
                found.add((a, b))
        return tuple(sorted(found))

    fixed = tuple(FixedSeat(host, number, r) for number, host in enumerate(host_ids) for r in range(rounds))
    return Problem(
        people=crowd,
        tables=(seats,) * tables,
        rounds=rounds,
        fixed=fixed,
        keep_apart=pairs(2),
        met_before=pairs(40),
        should_meet=pairs(20),
    )
