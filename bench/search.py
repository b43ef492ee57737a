"""`make bench`, the network's one search box: p50 and p99 of the search page at 8 connections.

For one database per run (SQLite by default; PostgreSQL when DATABASE_URL is set, e.g. through
scripts/pg-test.sh) it prepares a fresh database with the demo generator's directory
(`manage.py generate_network`: 5,000 organisations, 20,000 offers and needs, as many activities,
in pl/uk/en), starts the same production server as bench/run.py (scripts/serve.sh: granian, DEBUG
off) and loads `/<lang>/network/search/` with wrk, every request the next of a list of searches a
reader types: names, places, categories and needs in the three languages, with and without
diacritics, with one typo, with the last word half typed, with filters, and a page further on.

Figures go to a JSON file (`--json`); `python bench/search.py --report A.json B.json` writes them
into docs/network/search.md between its "bench:search" markers. Targets: p50 < 30 ms, p99 < 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import LUA, PY, ROOT, machine, production_env, wait_for_quiet, wait_until_up  # noqa: E402

TARGETS = {"p50_ms": 30, "p99_ms": 100}
DOC = ROOT / "docs" / "network" / "search.md"

# What readers type (language of the page, query, filters). The generator's names, places and
# categories in pl/uk/en; without diacritics; with one typo; the last word half typed.
SEARCHES: list[tuple[str, str, dict[str, str]]] = [
    ("pl", "fundacja", {}),
    ("pl", "Kraków", {}),
    ("pl", "krakow sala", {}),
    ("pl", "tłumaczenie", {}),
    ("pl", "tlumaczenie ukrainski", {}),
    ("pl", "wolontariusze", {}),
    ("pl", "Skrzydła", {}),
    ("pl", "kompas", {}),
    ("pl", "Katowicach", {}),
    ("pl", "fundcja wspolnota", {}),  # one typo
    ("pl", "materiały edu", {}),  # typing
    ("pl", "sala", {"category": "room", "direction": "offer"}),
    ("uk", "Українська громада", {}),
    ("uk", "зустрич", {}),
    ("uk", "Спільнота", {}),
    ("uk", "переклад", {}),
    ("uk", "Крила", {}),
    ("uk", "фундация", {}),  # і typed as и
    ("uk", "волонтер", {"what": "resource"}),
    ("en", "Ukrainian", {}),
    ("en", "Jewish community", {}),
    ("en", "room for", {}),
    ("en", "interpretng", {}),  # one typo
    ("en", "Compass Centre", {}),
    ("en", "", {"type": "migrant", "region": "malopolskie"}),
    ("en", "volunteers", {"page": "3"}),
]


def search_paths() -> list[str]:
    paths = []
    for language, query, filters in SEARCHES:
        params = {"q": query, **filters} if query else dict(filters)
        paths.append(f"/{language}/network/search/?{urlencode(params)}")
    return paths


def rotation_lua(paths: list[str]) -> str:
    """A wrk script sending each request to the next search of the list (each thread its own turn)."""
    quoted = ",\n  ".join(json.dumps(path) for path in paths)
    return (
        f"local paths = {{\n  {quoted}\n}}\n"
        "local turn = 0\n"
        "setup = function(thread) thread:set('offset', math.random(#paths)) end\n"
        "init = function(args) turn = tonumber(offset) or 0 end\n"
        "request = function()\n"
        "  turn = turn % #paths + 1\n"
        "  return wrk.format('GET', paths[turn])\n"
        "end\n"
    )


def wrk_rotation(base: str, paths: list[str], *, duration: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(rotation_lua(paths) + "\n" + (LUA / "report.lua").read_text())
    try:
        command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", script.name, base]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    finally:
        os.unlink(script.name)
    match = re.search(r"BENCH_JSON (\{.*\})", output)
    if not match:
        raise SystemExit(f"wrk printed no figures:\n{output}")
    raw = json.loads(match.group(1))
    seconds = raw["duration_us"] / 1e6
    return {
        "rps": round(raw["requests"] / seconds, 1),
        "requests": raw["requests"],
        "errors": raw["errors"],
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
    }


def check_answers(base: str, paths: list[str]) -> dict[str, int]:
    """Every search of the list answers 200 with results (a bench of error pages measures nothing)."""
    import urllib.request

    found = {}
    for path in paths:
        with urllib.request.urlopen(base + path, timeout=120) as response:  # noqa: S310 - loopback only
            body = response.read().decode()
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status}")
        hits = body.count('class="card search-hit"')
        if not hits:
            raise SystemExit(f"{path} found nothing: is the directory generated?")
        found[path] = hits
    return found


def measure(args: argparse.Namespace) -> dict:
    database, var_dir, port, env = production_env("civicmeet-bench-search-")
    base = f"http://127.0.0.1:{port}"
    print(f"[{database}] preparing the database in {var_dir} …", flush=True)
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    started = time.monotonic()
    generated = subprocess.run(  # noqa: S603 - our own command
        [
            PY,
            "manage.py",
            "generate_network",
            "--organisations",
            str(args.organisations),
            "--resources",
            str(args.resources),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    generate_seconds = round(time.monotonic() - started, 1)
    if database == "postgresql":
        # The planner's statistics after the bulk load, as a deployer's import would be followed by
        # (autovacuum gets there later; until then PostgreSQL plans for the empty tables it saw).
        analyse = "from django.db import connection; connection.cursor().execute('ANALYZE')"
        subprocess.run([PY, "manage.py", "shell", "-c", analyse], cwd=ROOT, env=env, check=True)  # noqa: S603
    print(f"[{database}] {generated.stdout.strip().splitlines()[-1]}", flush=True)
    server = subprocess.Popen(  # noqa: S603 - our own script
        [str(ROOT / "scripts" / "serve.sh")], cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL
    )
    results: dict = {
        "database": database,
        "organisations": args.organisations,
        "resources": args.resources,
        "generate_seconds": generate_seconds,
        "generated": generated.stdout.strip().splitlines()[-1],
        "searches": len(SEARCHES),
        "connections": args.connections,
        "duration": args.duration,
    }
    try:
        wait_until_up(f"{base}/healthz")
        # The worker's first tasks (the nightly offer/need suggestions over the new directory) run
        # on the same cores: measure after them, as bench/run.py does.
        results["worker_busy_before"] = wait_for_quiet(env)
        paths = search_paths()
        results["hits_per_search"] = check_answers(base, paths)
        wrk_rotation(base, paths, duration=2, connections=2)  # warm-up
        print(f"[{database}] search page, {args.connections} connections …", flush=True)
        results["search"] = wrk_rotation(base, paths, duration=args.duration, connections=args.connections)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(var_dir, ignore_errors=True)
    return results


def report(paths: list[str]) -> None:
    runs = [json.loads(Path(path).read_text()) for path in paths]
    first = runs[0]
    lines = [
        f"Measured by `make bench` (bench/search.py) on {datetime.now(UTC).strftime('%Y-%m-%d')}: "
        f"{first['organisations']:,} organisations and {first['resources']:,} offers and needs from "
        f"`generate_network`, the search page loaded by wrk with {first['connections']} connections for "
        f"{first['duration']} s, each request the next of {first['searches']} searches (bench/search.py: names, "
        "places, categories in pl/uk/en, with and without diacritics, one typo, a half-typed word, filters, "
        "page 3), through `make serve`'s production server (granian, 2 workers, DEBUG off).",
        f"Machine: {machine()}.",
        "",
        "| database | requests/s | p50 ms (target < 30) | p99 ms (target < 100) | errors | generating the directory |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        figures = run["search"]
        lines.append(
            f"| {run['database']} | {figures['rps']:,.0f} | {figures['p50_ms']} | {figures['p99_ms']} | "
            f"{figures['errors']} | {run['generate_seconds']} s |"
        )
    block = "\n".join(lines)
    text = DOC.read_text()
    start, end = "<!-- bench:search -->", "<!-- /bench:search -->"
    if start not in text or end not in text:
        raise SystemExit(f"{DOC} has no {start} … {end} markers")
    before, rest = text.split(start, 1)
    _old, after = rest.split(end, 1)
    DOC.write_text(f"{before}{start}\n{block}\n{end}{after}")
    print(f"wrote the figures into {DOC}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--resources", type=int, default=20000)
    parser.add_argument("--json", help="write the figures of this run here")
    parser.add_argument("--report", nargs="+", metavar="JSON", help="write the figures into docs/network/search.md")
    args = parser.parse_args()
    if args.report:
        report(args.report)
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    results = measure(args)
    print(json.dumps({key: value for key, value in results.items() if key != "hits_per_search"}, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
