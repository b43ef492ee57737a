"""`make bench`: load civicmeet from a second process on loopback and write docs/performance.md.

For one database per run (SQLite by default; PostgreSQL when DATABASE_URL is set, e.g. through
scripts/pg-test.sh) it prepares a fresh database (bench/seed.py), starts the production server
(scripts/serve.sh: granian + the task worker, DEBUG off, whitenoise), and measures with wrk:

1. the ceiling: a bare Django view (`/healthz`) served by the same server in the same run;
2. the public event page, in Polish and in Ukrainian;
3. registrations through the API and through the HTML form (with CSRF);
4. the organisers' registration list of an event with 10,000 registrations; then one timed XLSX
   export of those 10,000, and the web workers' resident memory after the load.

Figures go to a JSON file (`--json`); `python bench/run.py --report A.json B.json` writes the
Markdown report. Everything listens on and talks to 127.0.0.1 only, and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "lua"
PY = os.environ.get("VENV_PYTHON", str(ROOT / ".venv" / "bin" / "python"))

# Targets from the performance issue, as ratios of the ceiling (None: reported, no target).
TARGETS = {
    "event_pl": 0.60,
    "event_uk": 0.60,
    "register_api": 0.05,
    "register_form": 0.035,
    "list_10000": None,
    "list_10000_2": None,
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(prefix: str) -> tuple[str, Path, int, dict[str, str]]:
    """The database this run measures (PostgreSQL when DATABASE_URL is set), a fresh var/ directory,
    a free port and the environment of `make serve`'s production server on loopback with them:
    DEBUG off, rate limits off, emails to nowhere."""
    database = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    var_dir = Path(tempfile.mkdtemp(prefix=f"{prefix}{database}-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "CIVICMEET_VAR_DIR": str(var_dir),
        "SECRET_KEY": "bench-" + "k" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "RATE_LIMITS": "off",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "VENV_PYTHON": PY,
    }
    return database, var_dir, port, env


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer {url} within {timeout} s")


def wrk(url: str, *, script: str | None, duration: int, connections: int, env: dict[str, str]) -> dict:
    """Run wrk and return its figures (requests/s, p50/p99 in ms, errors)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as combined:
        if script:
            combined.write((LUA / script).read_text())
        combined.write("\n" + (LUA / "report.lua").read_text())
    try:
        command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", combined.name, url]
        output = subprocess.run(  # noqa: S603 - wrk with our own arguments
            command, capture_output=True, text=True, env={**os.environ, **env}, check=True
        ).stdout
    finally:
        os.unlink(combined.name)
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


def wait_for_quiet(env: dict[str, str]) -> float:
    """Wait until the worker has sent every email and run every due task (bench/quiet.py)."""
    done = subprocess.run(  # noqa: S603 - our own script
        [PY, "bench/quiet.py"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return float(done.stdout.strip().splitlines()[-1])


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def web_worker_rss_mb(server_pid: int) -> list[float]:
    """Resident memory of granian's worker processes (the ones that serve requests)."""
    sizes = []
    for pid in descendants(server_pid):
        try:
            cmdline = (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            status = (Path("/proc") / str(pid) / "status").read_text()
        except OSError:
            continue
        if "granian" not in cmdline or not descendants(pid) == []:
            continue  # granian's main process supervises; its workers have no children
        rss_kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        sizes.append(round(rss_kb / 1024, 1))
    return sorted(sizes)


def _http(url: str, *, cookie: str, data: bytes | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie})  # noqa: S310 - loopback only

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=120) as response:
            return response.status, response.headers.get("Location", ""), response.read()
    except urllib.error.HTTPError as error:  # 302 arrives here without the redirect handler
        return error.code, error.headers.get("Location", ""), error.read()


def timed_xlsx_export(base: str, slug: str, session_cookie: str) -> dict:
    """What an organiser does: POST "Export XLSX", wait on the status page, download the file.

    Reports how long the web request took (it only queues the task) and how long until the file
    was in hand (the worker builds it).
    """
    secret = "benchBENCHbenchBENCHbenchBENCH12"  # noqa: S105 - a CSRF secret for this run only
    cookie = f"{session_cookie}; csrftoken={secret}"
    started = time.perf_counter()
    status, location, _ = _http(
        f"{base}/en/manage/events/{slug}/export.xlsx", cookie=cookie, data=f"csrfmiddlewaretoken={secret}".encode()
    )
    request_seconds = time.perf_counter() - started
    if status != 302:
        raise SystemExit(f"starting the XLSX export answered {status}")
    download = None
    while time.perf_counter() - started < 120:
        _status, _location, page = _http(base + location, cookie=cookie)
        found = re.search(rb'id="export-download" href="([^"]+)"', page)
        if found:
            download = found.group(1).decode()
            break
        time.sleep(0.1)
    if download is None:
        raise SystemExit("the XLSX export was not ready within 120 s")
    status, _location, body = _http(base + download, cookie=cookie)
    return {
        "request_seconds": round(request_seconds, 3),
        "seconds": round(time.perf_counter() - started, 2),
        "status": status,
        "bytes": len(body),
    }


def measure(args: argparse.Namespace) -> dict:
    database, var_dir, port, env = production_env("civicmeet-bench-")
    base = f"http://127.0.0.1:{port}"
    print(f"[{database}] preparing the database in {var_dir} …", flush=True)
    subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    seeded = subprocess.run(  # noqa: S603 - our own script
        [PY, "bench/seed.py"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    seed = json.loads(seeded.stdout.strip().splitlines()[-1])
    server = subprocess.Popen(  # noqa: S603 - our own script
        [str(ROOT / "scripts" / "serve.sh")], cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL
    )
    results: dict = {"database": database, "scenarios": {}}
    try:
        wait_until_up(f"{base}/healthz")
        demo, listed = seed["demo_slug"], seed["list_slug"]
        scenarios = [
            ("ceiling", f"{base}/healthz", None, {}),
            ("event_pl", f"{base}/pl/e/{demo}/", None, {}),
            ("event_uk", f"{base}/uk/e/{demo}/", None, {}),
            ("register_api", f"{base}/api/v1/events/{demo}/registrations", "register_api.lua", {}),
            ("register_form", f"{base}/uk/e/{demo}/register/", "register_form.lua", {}),
            ("list_10000", f"{base}/en/manage/events/{listed}/", "with_cookie.lua", {"BENCH_COOKIE": seed["cookie"]}),
            # The same list as a handful of organisers use it: 2 at a time.
            (
                "list_10000_2",
                f"{base}/en/manage/events/{listed}/",
                "with_cookie.lua",
                {"BENCH_COOKIE": seed["cookie"]},
            ),
        ]
        if args.only:
            scenarios = [scenario for scenario in scenarios if scenario[0] in {"ceiling", *args.only}]
        # Each scenario: warm up its URL (templates, translations, connections) for a second, wait
        # until the worker has finished what earlier scenarios left (their emails), then measure.
        for name, url, script, extra in scenarios:
            wrk(url, script=script, duration=1, connections=2, env={**extra, "BENCH_RUN": f"warm-{name}"})
            waited = wait_for_quiet(env)
            results.setdefault("worker_busy_before", {})[name] = waited
            print(f"[{database}] {name} (the worker was busy for {waited} s before) …", flush=True)
            results["scenarios"][name] = wrk(
                url,
                script=script,
                duration=args.duration,
                connections=2 if name.endswith("_2") else args.connections,
                env={**extra, "BENCH_RUN": name},
            )
        wait_for_quiet(env)
        if args.only and "xlsx_export" not in args.only:
            return results
        results["xlsx_export"] = {**timed_xlsx_export(base, listed, seed["cookie"]), "rows": seed["list_size"]}
        results["web_worker_rss_mb"] = web_worker_rss_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(var_dir, ignore_errors=True)
    return results


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_gb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) / 1024 / 1024
    return f"{os.cpu_count()} cores ({cpu}), {memory_gb:.0f} GiB, {platform.platform()}, Python {platform.python_version()}"


def ratio(value: float, ceiling: float) -> str:
    return f"{100 * value / ceiling:.1f} %" if ceiling else "–"


HAND_WRITTEN = "<!-- bench/run.py writes the figures above this line and keeps everything below it. -->"


def report(paths: list[str], output: Path, *, duration: int, connections: int) -> None:
    runs = [json.loads(Path(path).read_text()) for path in paths]
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (bench/run.py); this file is written by it. Load comes from wrk in a",
        f"second process on loopback: 2 threads, {connections} connections, {duration} s per scenario, after a",
        "1-second warm-up, each scenario once the worker has finished what the previous one left (its emails).",
        "The server is `make serve`'s production profile: granian (WSGI, 2 workers,",
        "4 blocking threads each), whitenoise, DEBUG off, the task worker running beside it, rate limits off.",
        "Each figure is compared with the ceiling — a bare Django view (`/healthz`) served by the same",
        "server in the same run — because absolute figures on a shared machine vary by ±10–20 % and more.",
        "",
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {machine()}",
        "- Reproduce: `make bench` (SQLite, then PostgreSQL on a throw-away server).",
        "",
    ]
    names = {
        "ceiling": "ceiling: bare Django view",
        "event_pl": "event page, Polish (anonymous)",
        "event_uk": "event page, Ukrainian (anonymous)",
        "register_api": "registration through the API",
        "register_form": "registration through the HTML form (CSRF)",
        "list_10000": "organisers' list, event with 10,000 registrations (page 1)",
        "list_10000_2": "the same list, 2 connections (a handful of organisers)",
    }
    for run in runs:
        scenarios = run["scenarios"]
        ceiling = scenarios["ceiling"]["rps"]
        lines += [
            f"## {run['database']}",
            "",
            "| scenario | requests/s | of the ceiling | target | p50 ms | p99 ms | errors |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for key, label in names.items():
            figures = scenarios[key]
            target = TARGETS.get(key)
            lines.append(
                f"| {label} | {figures['rps']:,.0f} | {ratio(figures['rps'], ceiling)} | "
                f"{'≥ ' + format(target * 100, '.1f') + ' %' if target else '–'} | {figures['p50_ms']} | "
                f"{figures['p99_ms']} | {figures['errors']} |"
            )
        export = run["xlsx_export"]
        lines += [
            "",
            f"- XLSX export of {export['rows']:,} registrations: the web request that starts it takes "
            f"{export['request_seconds'] * 1000:.0f} ms (it only queues the task); the file is in hand after "
            f"{export['seconds']} s (built by the worker, HTTP {export['status']}, {export['bytes'] / 1024:.0f} KiB).",
            f"- Web workers' resident memory after the load: {', '.join(f'{mb} MB' for mb in run['web_worker_rss_mb'])}.",
            f"- Emails: the worker had sent every confirmation of the API registrations "
            f"{run['worker_busy_before']['register_form']} s after that scenario ended, and those of the form "
            f"{run['worker_busy_before']['list_10000']} s after it (measured before the next scenario started).",
            "",
        ]
    # What follows the marker is written by hand and by the other benchmarks (their own marked
    # sections: bench/checkin.py, bench/planner.py): kept as it is.
    kept = output.read_text().partition(HAND_WRITTEN)[2] if output.exists() else ""
    output.write_text("\n".join(lines).rstrip() + "\n\n" + HAND_WRITTEN + kept)
    print(f"wrote {output}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", "10")))
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--only",
        type=lambda names: set(names.split(",")),
        help="measure only these scenarios (comma-separated, e.g. event_pl,register_api; the ceiling "
        "is always measured; xlsx_export names the export) — for working on one figure, not for the report",
    )
    parser.add_argument("--json", help="write the figures of this run here")
    parser.add_argument("--report", nargs="+", metavar="JSON", help="write docs/performance.md from runs")
    parser.add_argument("--output", default=str(ROOT / "docs" / "performance.md"))
    args = parser.parse_args()
    if args.report:
        report(args.report, Path(args.output), duration=args.duration, connections=args.connections)
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    results = measure(args)
    print(json.dumps(results, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
