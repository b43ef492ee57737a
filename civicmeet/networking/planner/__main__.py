"""Command line: `python -m civicmeet.networking.planner --people N --group-size S --rounds R [--seed K] [--json]`.

Plans N people (numbered 0..N−1) at ⌈N / S⌉ tables of S seats for R rounds and prints the plan and its
quality report: as text, or with --json one JSON object `{"rounds": [[[person, ...], ...table], ...round],
"report": {...}, "method": ..., ...}`. The same seed gives the same plan.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .errors import PlannerError
from .model import Person, Problem
from .solve import DEFAULT_ITERATIONS, plan


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m civicmeet.networking.planner", description=__doc__)
    parser.add_argument("--people", type=int, required=True, help="how many people (numbered 0..N-1)")
    parser.add_argument("--group-size", type=int, required=True, help="seats per table")
    parser.add_argument("--rounds", type=int, required=True, help="how many rounds")
    parser.add_argument("--seed", type=int, default=0, help="the same seed gives the same plan (default 0)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--iterations",
        type=int,
        default=None,
        help=f"most iterations of the tabu search (default {DEFAULT_ITERATIONS}; unbounded with --time-limit)",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        help="stop the search after this many seconds (then the plan may depend on the machine)",
    )
    parser.add_argument("--no-construction", action="store_true", help="greedy start and tabu search only")
    arguments = parser.parse_args(argv)
    if arguments.people < 1 or arguments.group_size < 1:
        parser.error("--people and --group-size must be at least 1")
    tables = -(-arguments.people // arguments.group_size)
    try:
        problem = Problem(
            people=tuple(Person(i) for i in range(arguments.people)),
            tables=(arguments.group_size,) * tables,
            rounds=arguments.rounds,
        )
        result = plan(
            problem,
            seed=arguments.seed,
            iterations=arguments.iterations or (10**9 if arguments.time_limit else DEFAULT_ITERATIONS),
            time_limit=arguments.time_limit,
            construct=not arguments.no_construction,
        )
    except PlannerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if arguments.json:
        data = result.plan.to_data()
        data.update(
            report=result.report.to_data(),
            method=result.method,
            iterations=result.iterations,
            seconds=round(result.seconds, 3),
        )
        print(json.dumps(data))
        return 0
    for number, round_ in enumerate(result.plan.rounds):
        print(f"round {number}: " + " | ".join(" ".join(str(person) for person in table) for table in round_))
    print(*result.report.lines(), sep="\n")
    print(f"method: {result.method}, {result.iterations} search iterations, {result.seconds:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
