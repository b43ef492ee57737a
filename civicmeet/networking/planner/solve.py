"""Planning and re-planning: the entry points of the package.

`plan` builds the starts — a construction (constructions.py) when the instance is plain enough for one,
and the randomised greedy — keeps the cheaper, and improves it by tabu search (search.py). `replan`
keeps the rounds already held and plans the rest for the people now present, counting the held
rounds' meetings so nobody meets again whom they met earlier that day.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from .constructions import plain_plan
from .errors import PlannerError
from .model import FixedSeat, Pair, Person, PersonId, Plan, Problem
from .quality import QualityReport, report
from .search import State, tabu_search, to_plan

DEFAULT_ITERATIONS = 20_000
# On the day speed matters more than the last same-type pair: re-planning stops improving the goals
# below the conflicts (the mix, should-meet pairs) sooner.
REPLAN_QUIET_ITERATIONS = 20
REPAIR_ITERATIONS = 20  # tabu iterations on each round of the greedy start before the next is made


@dataclass(frozen=True)
class Result:
    """A plan, its quality report, and how it was made (`method`: "construction:<name>", "greedy",
    plus "+tabu" when the search changed it; `iterations` of the search; `cost` in search.WEIGHTS units
    above `floor`, the least any plan could cost)."""

    plan: Plan
    report: QualityReport
    method: str
    cost: int
    floor: int
    iterations: int
    seconds: float
    stats: dict[str, object] = field(default_factory=dict)


def _uniform_size(problem: Problem) -> int | None:
    """S when the instance is N = T × S people at T tables of S seats, nothing fixed: what constructions fit."""
    sizes = set(problem.tables)
    if len(sizes) != 1 or problem.fixed:
        return None
    size = sizes.pop()
    return size if len(problem.people) == size * len(problem.tables) else None


def _starts(
    problem: Problem, state: State, rng: random.Random, *, seed: int, construct: bool, prior: bool
) -> list[tuple[str, list[list[list[int]]]]]:
    """The starts for the search: a construction (or one for a round fewer, plus a greedy round) when
    the shape allows it, and the greedy start."""
    starts: list[tuple[str, list[list[list[int]]]]] = []
    size = _uniform_size(problem)
    if construct and size is not None and not prior:
        made = plain_plan(len(problem.people), size, problem.rounds, seed=seed)
        if made is not None:
            starts.append((f"construction:{made[0]}", made[1]))
        elif problem.rounds > 1:
            # One round more than a construction gives: its rounds, and the last one greedy.
            fewer = plain_plan(len(problem.people), size, problem.rounds - 1, seed=seed)
            if fewer is not None:
                rounds = state.greedy(rng, repair=REPAIR_ITERATIONS, start=fewer[1])
                starts.append((f"construction:{fewer[0]}+greedy", rounds))
    starts.append(("greedy", state.greedy(rng, repair=REPAIR_ITERATIONS)))
    return starts


def _solve(
    problem: Problem,
    *,
    seed: int,
    iterations: int,
    time_limit: float | None,
    prior: dict[tuple[int, int], int] | None = None,
    construct: bool = True,
    quiet: int = 50,
) -> tuple[list[list[list[int]]], State, str, int]:
    """Search from the cheapest start. With a time limit, a search that gives up (20 perturbations
    without a new best) starts again from fresh starts (the constructions with the next seed, a new
    greedy start) until the limit, keeping the best plan found."""
    started = time.monotonic()
    rng = random.Random(seed)
    state = State(problem, prior=prior)
    best: tuple[int, str, list[list[list[int]]]] | None = None
    done = 0
    attempt = 0
    while True:
        first: tuple[int, str, list[list[list[int]]]] | None = None
        for name, rounds in _starts(problem, state, rng, seed=seed + attempt, construct=construct, prior=bool(prior)):
            state.load(rounds)
            if first is None or state.cost < first[0]:
                first = (state.cost, name, rounds)
            if state.cost <= state.floor:
                break
        assert first is not None
        cost, method, rounds = first
        state.load(rounds)
        left = None if time_limit is None else time_limit - (time.monotonic() - started)
        outcome = tabu_search(state, rng, iterations=iterations - done, time_limit=left, quiet_iterations=quiet)
        done += outcome.iterations
        if outcome.cost < cost:
            method += "+tabu"
        if attempt:
            method += f" (restart {attempt})"
        if best is None or outcome.cost < best[0]:
            best = (outcome.cost, method, outcome.rounds)
        attempt += 1
        if (
            best[0] <= state.floor
            or time_limit is None
            or time.monotonic() - started >= time_limit
            or done >= iterations
        ):
            break
    state.load(best[2])
    return best[2], state, best[1], done


def plan(
    problem: Problem,
    *,
    seed: int = 0,
    iterations: int = DEFAULT_ITERATIONS,
    time_limit: float | None = None,
    construct: bool = True,
) -> Result:
    """A plan for `problem`: deterministic for a given seed (unless `time_limit` seconds cut it short).

    `iterations` bounds the tabu search; it stops earlier when nothing can be better, or when no conflict
    is left (repeats, kept-apart or same-organisation pairs, tables without a language, past pairs) and
    the goals below stop improving, or — without a `time_limit` — when perturbing the best plan keeps
    failing to improve it. `construct=False` leaves the constructions out (to measure the search alone)."""
    started, cpu = time.perf_counter(), time.process_time()
    rounds, state, method, done = _solve(
        problem, seed=seed, iterations=iterations, time_limit=time_limit, construct=construct
    )
    made = to_plan(problem, rounds)
    return Result(
        plan=made,
        report=report(problem, made),
        method=method,
        cost=state.cost - state.floor,
        floor=state.floor,
        iterations=done,
        seconds=time.perf_counter() - started,
        stats={"cpu_seconds": time.process_time() - cpu},
    )


def replan(
    problem: Problem,
    held: Plan,
    present: Sequence[Person],
    *,
    seed: int = 0,
    iterations: int = DEFAULT_ITERATIONS,
    time_limit: float | None = None,
) -> Result:
    """Re-plan the rounds after the `held` ones, for the people `present` now.

    `problem` is the meeting as planned (its rounds, tables, fixed seats and pairs); `held` its first
    rounds as they took place (kept unchanged in the result); `present` the people who are here now:
    some of the planned ones (by id; their data may be updated) and new ones. Fixed seats of the
    remaining rounds are kept for the people present. Meetings in the held rounds count as meetings of
    this plan: the remaining rounds avoid repeating them as they avoid repeats among themselves. The
    report covers the whole plan (held and new rounds) over everyone seated in it.
    """
    done = len(held.rounds)
    if not 0 <= done <= problem.rounds or any(len(round_) != len(problem.tables) for round_ in held.rounds):
        raise PlannerError(
            "held_rounds_invalid",
            f"{done} held rounds of a {problem.rounds}-round plan with {len(problem.tables)} tables",
            held=done,
            rounds=problem.rounds,
        )
    started, cpu = time.perf_counter(), time.process_time()
    everyone = {person.id: person for person in problem.people}
    for round_ in held.rounds:
        for table in round_:
            for person_id in table:
                if person_id not in everyone:
                    raise PlannerError("unknown_person", f"a held round seats {person_id!r}", person=person_id)
    present_ids = {person.id for person in present}
    rest = Problem(
        people=tuple(present),
        tables=problem.tables,
        rounds=max(problem.rounds - done, 1),
        fixed=tuple(
            FixedSeat(seat.person, seat.table, seat.round - done)
            for seat in problem.fixed
            if seat.round >= done and seat.person in present_ids
        ),
        keep_apart=_among(problem.keep_apart, present_ids),
        met_before=_among(problem.met_before, present_ids),
        should_meet=_among(problem.should_meet, present_ids),
    )
    prior: Counter[tuple[int, int]] = Counter()
    for round_ in held.rounds:
        for table in round_:
            seated = sorted(rest.index[person] for person in table if person in present_ids)
            for i, a in enumerate(seated):
                for b in seated[i + 1 :]:
                    prior[(a, b)] += 1
    if done < problem.rounds:
        rounds, state, method, iterations_done = _solve(
            rest,
            seed=seed,
            iterations=iterations,
            time_limit=time_limit,
            prior=dict(prior),
            construct=False,
            quiet=REPLAN_QUIET_ITERATIONS,
        )
        cost, floor = state.cost - state.floor, state.floor
        new = to_plan(rest, rounds).rounds
    else:
        new, method, iterations_done, cost, floor = (), "held", 0, 0, 0
    whole = Plan(rounds=held.rounds + new)
    for person in present:
        everyone[person.id] = person
    # The whole plan is judged against the meeting as it is now: everyone who sat in it, today's pairs.
    covered = replace(
        rest,
        rounds=problem.rounds,
        fixed=tuple(seat for seat in problem.fixed if seat.round < done and seat.person in present_ids)
        + tuple(replace(seat, round=seat.round + done) for seat in rest.fixed),
    )
    return Result(
        plan=whole,
        report=report(covered, whole, everyone.values()),
        method=method,
        cost=cost,
        floor=floor,
        iterations=iterations_done,
        seconds=time.perf_counter() - started,
        stats={"cpu_seconds": time.process_time() - cpu},
    )


def _among(pairs: Iterable[Pair], present: set[PersonId]) -> tuple[Pair, ...]:
    return tuple(pair for pair in pairs if pair[0] in present and pair[1] in present)
