"""Benchmark of the networking planner (issue 12): the targets of the issue, measured on this machine.

    .venv/bin/python bench/planner.py [--json FILE] [--only NAME,...] [--time-limit 60]

Plain Python, no database. Each case plans (or re-plans) once, seed 0, and records wall time
(`time.perf_counter`) and CPU time (`time.process_time`) — on a shared machine the CPU time is the
steadier figure — with the load average (/proc/loadavg, 1-minute) before and after, and the plan's
quality: repeats, tables without a shared language, distinct pairs met against the upper bound.

Cases: Kirkman 15-3-7 (< 1 s), 32 people at tables of 4 for 9 rounds (< 10 s) and 10 rounds (< 60 s,
searched for that long when no construction gives them), the same without constructions (the search
alone, for comparison; 9 rounds searched for 10 s), the realistic meeting of
civicmeet.networking.planner.examples (< 2 s) and re-planning its last 2 rounds with 15 people
missing (< 1 s). Prints one JSON line (docs/performance.md and docs/networking/planner.md quote it).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from civicmeet.networking.planner import Person, Plan, Problem, Result, plan, replan  # noqa: E402
from civicmeet.networking.planner.examples import realistic_meeting  # noqa: E402


def load() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def plain(people: int, size: int, rounds: int) -> Problem:
    return Problem(people=tuple(Person(i) for i in range(people)), tables=(size,) * (people // size), rounds=rounds)


def measure(name: str, target: float, run: Callable[[], Result]) -> dict[str, object]:
    before = load()
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    report = result.report
    figures = {
        "case": name,
        "target_seconds": target,
        "wall_seconds": round(wall, 3),
        "cpu_seconds": round(cpu, 3),
        "load_before": before,
        "load_after": load(),
        "method": result.method,
        "iterations": result.iterations,
        "repeats": report.repeats,
        "tables_without_shared_language": len(report.tables_without_shared_language),
        "need_interpreting": sum(len(table.need_interpreting) for table in report.tables_without_shared_language),
        "same_organisation_pairs": report.same_organisation_pairs,
        "past_pairs_met": len(report.past_pairs_met),
        "should_meet": f"{report.should_meet_met}/{report.should_meet_met + len(report.should_meet_missed)}",
        "distinct_pairs": report.distinct_pairs,
        "bound": report.distinct_pairs_bound,
        "share_of_bound": round(report.share_of_bound, 4),
    }
    print(json.dumps(figures), file=sys.stderr, flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--only", type=lambda names: set(names.split(",")), help="cases to run (by name)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="for the 10-round cases (the target)")
    arguments = parser.parse_args()
    limit = arguments.time_limit
    search: dict[str, int] = {"seed": 0, "iterations": 10**9}  # the time limit ends these searches
    meeting = realistic_meeting(seed=0)
    held: dict[str, Plan] = {}

    def realistic() -> Result:
        result = plan(meeting, seed=0)
        held["plan"] = result.plan
        return result

    def replanned() -> Result:
        rng = random.Random(0)
        hosts = {seat.person for seat in meeting.fixed}
        missing = set(rng.sample([person.id for person in meeting.people if person.id not in hosts], 15))
        present = [person for person in meeting.people if person.id not in missing]
        return replan(meeting, Plan(rounds=held["plan"].rounds[:2]), present, seed=0)

    cases: list[tuple[str, float, Callable[[], Result]]] = [
        ("kirkman_15_3_7", 1, lambda: plan(plain(15, 3, 7), seed=0)),
        ("kirkman_15_3_7_search_only", 1, lambda: plan(plain(15, 3, 7), seed=0, construct=False)),
        ("golfers_32_4_9", 10, lambda: plan(plain(32, 4, 9), seed=0)),
        ("golfers_32_4_9_search_only", 10, lambda: plan(plain(32, 4, 9), **search, construct=False, time_limit=10)),
        ("golfers_32_4_10", 60, lambda: plan(plain(32, 4, 10), **search, time_limit=limit)),
        (
            "golfers_32_4_10_search_only",
            60,
            lambda: plan(plain(32, 4, 10), **search, construct=False, time_limit=limit),
        ),
        ("realistic_120_15x8_4", 2, realistic),
        ("replan_last_2_rounds_15_missing", 1, replanned),
    ]
    figures = []
    for name, target, run in cases:
        if arguments.only and name not in arguments.only and not (name.startswith("replan") and "realistic" in name):
            continue
        if name.startswith("replan") and "plan" not in held:
            realistic()
        figures.append(measure(name, target, run))
    output = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "cases": figures}
    print(json.dumps(output))
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(output, indent=2) + "\n")


if __name__ == "__main__":
    main()
