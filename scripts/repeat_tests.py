#!/usr/bin/env python3
"""Run test steps several times in a row and report every failure (`make test-repeat N=10`).

    scripts/repeat_tests.py --runs 10 --logs var/test-repeat \
        --step "reliability=make test-reliability" --step "e2e=make test-e2e"

Each run runs every step (a shell command, usually a make target that runs pytest) to its end,
whatever the others did, and a failed run does not stop the next one. At the end it lists every
failure (which run, which step, which database, which test), each run's wall time and a summary
line such as "10/10 runs passed"; the exit status is 1 if any run failed (130 or 143 if it was
interrupted). Steps are commands rather than copies of the Makefile's pytest lines, so they stay
what `make test-reliability` and `make test-e2e` are.

Which tests failed is told by this same file loaded into every pytest the steps start, as a
plugin (`-p repeat_tests` through PYTEST_ADDOPTS): it appends one JSON line per failed test, and
one per finished session, to the step's results file.

Logs: <logs>/<start time>-<pid>/run-NN/<step>.log (the step's whole output) and
<step>.results.jsonl, and summary.txt with what was printed at the end.

Ctrl-C or SIGTERM stops the step that is running (its process group gets the same signal, once:
pytest's teardown then stops the servers it started) and reports the runs so far; a second one
kills it. Only the standard library: it runs with any Python 3.11.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS_ENV = "CIVICMEET_REPEAT_RESULTS"
KILL_GRACE = 60.0  # seconds a step has to stop after SIGTERM (at a timeout) before it is killed


# -- the pytest plugin (inside the steps' pytest processes) ---------------------------------------


def _database() -> str:
    try:
        from django.db import connection

        return connection.vendor
    except Exception:  # noqa: BLE001 - not a Django run, or Django not set up
        return "-"


def _record(entry: dict) -> None:
    path = os.environ.get(RESULTS_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as results:  # one short line: appended whole
            results.write(json.dumps(entry) + "\n")


def _message(report) -> str:
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr or "")
    lines = text.strip().splitlines()
    return lines[0][:300] if lines else ""


def pytest_runtest_logreport(report) -> None:
    if report.failed:
        kind = "failed" if report.when == "call" else f"error in {report.when}"
        _record({"test": report.nodeid, "kind": kind, "message": _message(report), "database": _database()})


def pytest_collectreport(report) -> None:
    if report.failed:
        _record({"test": report.nodeid, "kind": "collection error", "message": _message(report), "database": "-"})


def pytest_sessionfinish(session, exitstatus) -> None:
    _record({"session": int(exitstatus), "tests": session.testscollected, "database": _database()})


# -- the runner ------------------------------------------------------------------------------------


@dataclass
class StepResult:
    run: int
    step: str
    status: int | None  # the exit status; None: it did not finish (interrupted, timed out)
    seconds: float
    log: Path
    failures: list[str] = field(default_factory=list)  # "[database] test (kind): message"
    sessions: list[str] = field(default_factory=list)  # "[database] N tests: exit status"
    note: str = ""

    @property
    def passed(self) -> bool:
        return self.status == 0 and not self.failures


def parse_step(text: str) -> tuple[str, str]:
    name, sep, command = text.partition("=")
    name, command = name.strip(), command.strip()
    if not sep or not name or not command or not name.replace("-", "").replace("_", "").isalnum():
        raise argparse.ArgumentTypeError(f"a step is NAME=COMMAND (NAME of letters, digits, - and _), got {text!r}")
    return name, command


def read_results(path: Path) -> tuple[list[str], list[str]]:
    failures, sessions = [], []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return failures, sessions
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if "session" in entry:
            sessions.append(f"[{entry['database']}] {entry['tests']} tests, pytest exit status {entry['session']}")
        else:
            failures.append(f"[{entry['database']}] {entry['test']} ({entry['kind']}): {entry['message']}")
    return failures, sessions


class Runner:
    def __init__(self, step_timeout: float) -> None:
        self.step_timeout = step_timeout
        self.child: subprocess.Popen | None = None
        self.interrupted: int | None = None  # the signal that asked us to stop

    def on_signal(self, signum: int, frame) -> None:
        first = self.interrupted is None
        self.interrupted = self.interrupted or signum
        if self.child is not None and self.child.poll() is None:
            # The step runs in a process group of its own, so it gets each signal exactly once, from here.
            self._signal_child(signum if first else signal.SIGKILL)

    def _signal_child(self, signum: int) -> None:
        try:
            os.killpg(self.child.pid, signum)
        except ProcessLookupError:
            pass

    def run_step(self, run: int, name: str, command: str, directory: Path) -> StepResult:
        log, results = directory / f"{name}.log", directory / f"{name}.results.jsonl"
        addopts = os.environ.get("PYTEST_ADDOPTS", "")
        python_path = os.pathsep.join(
            filter(None, [str(Path(__file__).resolve().parent), os.environ.get("PYTHONPATH")])
        )
        env = {
            **os.environ,
            "PYTEST_ADDOPTS": f"{addopts} -p {Path(__file__).stem}".strip(),
            "PYTHONPATH": python_path,
            RESULTS_ENV: str(results),
        }
        started = time.monotonic()
        note = ""
        with log.open("wb") as out:
            out.write(f"$ {command}\n".encode())
            out.flush()
            self.child = subprocess.Popen(  # noqa: S603 - the steps are the Makefile's commands
                ["bash", "-c", command],  # noqa: S607 - bash from PATH, as make's own recipes
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                status = self.child.wait(timeout=self.step_timeout)
            except subprocess.TimeoutExpired:
                note = f"timed out after {self.step_timeout:.0f} s"
                self._signal_child(signal.SIGTERM)
                try:
                    self.child.wait(timeout=KILL_GRACE)
                except subprocess.TimeoutExpired:
                    self._signal_child(signal.SIGKILL)
                    self.child.wait()
                status = None
            self.child = None
        if self.interrupted:
            status, note = None, f"interrupted by {signal.Signals(self.interrupted).name}"
        failures, sessions = read_results(results)
        return StepResult(run, name, status, time.monotonic() - started, log, failures, sessions, note)


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def describe(result: StepResult) -> str:
    if result.passed:
        return "passed"
    if result.status is None:
        return result.note
    text = f"FAILED (exit status {result.status})"
    if not result.failures:
        text += ": no failed test reported; the step failed outside a test (see its log)"
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="how many runs (default 10)")
    parser.add_argument("--logs", type=Path, default=ROOT / "var" / "test-repeat", help="where the logs go")
    parser.add_argument("--step", type=parse_step, action="append", required=True, help="NAME=COMMAND, in order")
    parser.add_argument(
        "--step-timeout", type=float, default=1800.0, help="seconds after which a hung step is stopped (default 1800)"
    )
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    logs = args.logs if args.logs.is_absolute() else ROOT / args.logs
    directory = logs / f"{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}"
    directory.mkdir(parents=True)
    runner = Runner(args.step_timeout)
    signal.signal(signal.SIGINT, runner.on_signal)
    signal.signal(signal.SIGTERM, runner.on_signal)

    names = ", ".join(name for name, _ in args.step)
    print(f"{args.runs} run(s) of: {names}; logs in {shown(directory)}", flush=True)
    began = time.monotonic()
    runs: list[tuple[int, float, list[StepResult]]] = []  # the runs that went to their end
    for run in range(1, args.runs + 1):
        run_dir = directory / f"run-{run:02d}"
        run_dir.mkdir()
        run_began = time.monotonic()
        results = []
        for name, command in args.step:
            result = runner.run_step(run, name, command, run_dir)
            results.append(result)
            print(f"run {run}/{args.runs} {name}: {describe(result)} ({result.seconds:.0f} s)", flush=True)
            for line in result.sessions if result.passed else result.sessions + result.failures:
                print(f"    {line}", flush=True)
            if runner.interrupted:
                break
        if runner.interrupted:
            break
        runs.append((run, time.monotonic() - run_began, results))

    lines = ["", "=" * 72]
    failed_runs = [run for run, _, results in runs if not all(r.passed for r in results)]
    for run, seconds, results in runs:
        verdict = "passed" if run not in failed_runs else "FAILED"
        lines.append(f"run {run:2d}: {verdict} in {seconds:.0f} s")
        for result in results:
            if not result.passed:
                lines.append(f"    {result.step}: {describe(result)}; log {shown(result.log)}")
                lines.extend(f"        {failure}" for failure in result.failures)
    total = time.monotonic() - began
    summary = f"{len(runs) - len(failed_runs)}/{len(runs)} runs passed"
    if runner.interrupted:
        summary += (
            f" (interrupted by {signal.Signals(runner.interrupted).name} during run {len(runs) + 1} of {args.runs})"
        )
    lines.append(f"{summary}; wall time {total / 60:.1f} min ({total:.0f} s); logs in {shown(directory)}")
    text = "\n".join(lines)
    print(text, flush=True)
    (directory / "summary.txt").write_text(text.lstrip("\n") + "\n")
    if runner.interrupted:
        return 128 + runner.interrupted
    return 1 if failed_runs else 0


if __name__ == "__main__":
    sys.exit(main())
