"""`make bench`, the day's desk: check-ins from 4 desks scanning at once. Target: p99 < 150 ms.

For one database per run (SQLite by default; PostgreSQL when DATABASE_URL is set, e.g. through
scripts/pg-test.sh) it prepares a fresh database with an event of `--participants` accepted
participants (4,000 by default; their tickets issued, two thirds with a health declaration, the
event with the invitation's safety rule, so every check-in recomputes the verdict) and 4 desk
members (the desk role, not organisers), each with a browser session and an API token. It starts
the production server as bench/run.py does (scripts/serve.sh: granian, DEBUG off) and loads it with
wrk, one thread and one connection per desk (bench/lua/checkin.lua), for `--duration` seconds:

1. `desk`: what the desk page's script posts (`/<lang>/manage/events/<slug>/desk/checkins.json`,
   the session cookie and the CSRF token), the path the phones use;
2. `api`: `POST /api/v1/manage/events/<slug>/checkins` with each desk's bearer token (another event).

Each desk walks its own quarter of the tickets, so most scans are first check-ins; every tenth
request also scans the code the next desk scans at the same step (two desks, the same ticket, the
same moment), every tenth repeats the request before it with its client id (a flaky network), and
every fiftieth is a ticket that must be refused (cancelled, or a forged code): 409. A desk at the
end of its list starts it again (all of them checked in already, fresh client ids). Before each
scenario 5 seconds of warm-up on a third event.

After each scenario the requests wrk left unanswered when it stopped are sent again with their
client ids (what a desk does), and the database must hold exactly one check-in per distinct code
scanned, one request record per distinct client id, as many "first check-in" answers as check-ins,
and no answer but 200/201 (and 409 for the refused tickets); otherwise it prints what is wrong and
exits non-zero. Figures go to a JSON file (`--json`); `python bench/checkin.py --report A.json B.json`
writes them into docs/performance.md between its "bench:checkin" markers (appended if missing).
Everything listens on and talks to 127.0.0.1 only, and stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import LUA, PY, ROOT, descendants, machine, production_env, wait_for_quiet, wait_until_up  # noqa: E402

TARGET_P99_MS = 150
DESKS = 4
DOC = ROOT / "docs" / "performance.md"
MARKERS = ("<!-- bench:checkin -->", "<!-- /bench:checkin -->")
SLUGS = {"desk": "bench-checkin-desk", "api": "bench-checkin-api", "warm": "bench-checkin-warm"}
WARM_PARTICIPANTS = 200
# The first hundred check-ins of a worker cost it twice the CPU of the next ones (measured).
WARM_SECONDS = 5
CSRF_SECRET = "checkinBENCHcheckinBENCHcheckin1"  # noqa: S105 - a CSRF secret for this run only (32 chars)
# Every CROSS_EVERY-th step of a desk also scans the next desk's code of that step; every
# REPLAY_EVERY-th repeats the request before it; every REFUSED_EVERY-th scans a refused ticket.
CROSS_EVERY, REPLAY_EVERY, REFUSED_EVERY = 10, 10, 50
# The server migrates and collects the static files before it answers: minutes on a loaded machine.
SERVER_START_TIMEOUT = 600
FIRST = ["Олена", "Mariia", "Dawid", "Miriam", "Ahmad", "Thi Lan", "Микола", "Łucja", "אברהם", "Sara"]
LAST = ["Коваленко", "Landau", "Karimi", "Nguyen", "Bondarenko", "Gabor", "Żółkiewska", "Goldberg", "כהן", "Шевченко"]


# -- The plan: what each desk scans, in order (pure Python; bench/tests check it) --------------------


def make_plan(codes: list[str], refused: list[str], *, desks: int = DESKS, run: str = "r") -> list[list[dict]]:
    """Each desk's requests: {kind, code, client_id, basis}. Desk d scans codes[d::desks] in order
    ("first"), and at every CROSS_EVERY-th step also the code desk d+1 scans at that step ("cross");
    every REPLAY_EVERY-th step repeats its request ("replay": the same client id and code); every
    REFUSED_EVERY-th step scans one of `refused` ("refused": 409 expected). Client ids are fresh
    per request except for the replays."""
    slices = [codes[desk::desks] for desk in range(desks)]
    plans: list[list[dict]] = []
    for desk in range(desks):
        plan: list[dict] = []
        number = 0

        def add(kind: str, code: str, *, plan: list[dict] = plan, desk: int = desk) -> None:
            nonlocal number
            number += 1
            basis = ("vaccinated", "", "tested")[number % 3]
            plan.append({"kind": kind, "code": code, "client_id": f"{run}-d{desk}-{number}", "basis": basis})

        for step, code in enumerate(slices[desk]):
            add("first", code)
            if step % REPLAY_EVERY == REPLAY_EVERY - 1:
                plan.append({**plan[-1], "kind": "replay"})
            neighbour = slices[(desk + 1) % desks]
            if step % CROSS_EVERY == CROSS_EVERY // 2 and step < len(neighbour) and desks > 1:
                add("cross", neighbour[step])
            if refused and step % REFUSED_EVERY == REFUSED_EVERY // 2:
                add("refused", refused[(step // REFUSED_EVERY + desk) % len(refused)])
        plans.append(plan)
    return plans


def sent_entries(plan: list[dict], sent: int) -> list[dict]:
    """The first `sent` requests of a desk's plan as bench/lua/checkin.lua sends them: after the end
    of the plan it starts again, with the client ids suffixed "-p<pass>"."""
    entries = []
    for index in range(sent):
        passes, position = divmod(index, len(plan))
        entry = plan[position]
        client_id = entry["client_id"] if passes == 0 else f"{entry['client_id']}-p{passes}"
        entries.append({**entry, "client_id": client_id})
    return entries


def write_plan(directory: Path, plans: list[list[dict]], headers: list[dict[str, str]]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for desk, plan in enumerate(plans):
        lines = [f"{name}\t{value}" for name, value in headers[desk].items()]
        lines.append("")
        lines += ["\t".join((entry["kind"], entry["code"], entry["client_id"], entry["basis"])) for entry in plan]
        (directory / f"desk-{desk}.txt").write_text("\n".join(lines) + "\n")


# -- Inside Django: the database before and after (run in a child process with the server's env) ----


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")
    import django

    django.setup()


def seed_event(*, slug: str, participants: int, creator, desks: list) -> dict[str, Any]:
    """An event happening now with `participants` accepted participants and their tickets, a few
    cancelled ones (their tickets refused), the invitation's safety rule, and `desks` on its team
    at the desk. Returns the codes."""
    from django.db import transaction
    from django.utils import timezone

    from civicmeet.accounts.models import TeamMember, TeamRole
    from civicmeet.checkin.models import Ticket
    from civicmeet.checkin.tickets import code_for_ticket
    from civicmeet.demo.content import SAFETY_POLICY
    from civicmeet.events.services import event_create, event_publish
    from civicmeet.organisations.models import Organisation, OrganisationType
    from civicmeet.registrations.models import HealthDeclaration, LogEntry, Registration, Reminder, State, new_token

    now = timezone.now()
    event = event_create(
        creator=creator,
        data={
            "slug": slug,
            "title": {"pl": "Spotkanie sieciujące: dzień check-inu", "en": "A networking meeting: check-in day"},
            "venue": {"pl": "Kraków"},
            "starts_at": now + timedelta(hours=1),
            "ends_at": now + timedelta(hours=8),
            "timezone": "Europe/Warsaw",
            "registration_opens_at": now - timedelta(days=20),
            "registration_closes_at": now - timedelta(minutes=5),
            "capacity": participants,
            "safety_policy": SAFETY_POLICY,
        },
    )
    event_publish(event=event)
    for user in desks:
        TeamMember.objects.create(team=event.team, user=user, role=TeamRole.DESK)
    organisations = [
        Organisation.objects.get_or_create(
            name=f"Fundacja testowa {n}", defaults={"type": list(OrganisationType)[n % len(OrganisationType)]}
        )[0]
        for n in range(60)
    ]
    cancelled = max(4, participants // 100)
    with transaction.atomic():
        registrations = Registration.objects.bulk_create(
            Registration(
                event=event,
                token=new_token(),
                state=State.ACCEPTED,
                first_name=FIRST[n % len(FIRST)],
                last_name=f"{LAST[n % len(LAST)]} {n}",
                email=f"checkin-{slug}-{n}@bench.example.org",
                organisation=organisations[n % len(organisations)],
                language=("pl", "uk", "en")[n % 3],
                answers={},
                consent_processing_at=now,
            )
            for n in range(participants + cancelled)
        )
        LogEntry.objects.bulk_create(
            LogEntry(
                registration=registration,
                action="registrations.registration.submitted",
                from_state="",
                to_state=State.SUBMITTED,
                actor_kind="participant",
            )
            for registration in registrations
        )
        accepted_entries = LogEntry.objects.bulk_create(
            LogEntry(
                registration=registration,
                action="registrations.registration.accepted",
                from_state=State.SUBMITTED,
                to_state=State.ACCEPTED,
                actor_kind="organiser",
                actor=creator,
            )
            for registration in registrations
        )
        # The ticket of each acceptance, as the acceptance email makes it (checkin.tickets.ticket_for).
        tickets = Ticket.objects.bulk_create(
            Ticket(registration=registration, accepted_entry=entry)
            for registration, entry in zip(registrations, accepted_entries, strict=True)
        )
        HealthDeclaration.objects.bulk_create(
            HealthDeclaration(registration=registration, basis="vaccinated", date=(now - timedelta(days=120)).date())
            for n, registration in enumerate(registrations)
            if n % 3
        )
        # The reminder went out yesterday (else the worker would send 2,000 of them before the run).
        Reminder.objects.bulk_create(Reminder(registration=registration) for registration in registrations)
        # The last few cancel: their tickets must be refused at the desk.
        gone = registrations[participants:]
        Registration.objects.filter(pk__in=[registration.pk for registration in gone]).update(state=State.CANCELLED)
        LogEntry.objects.bulk_create(
            LogEntry(
                registration=registration,
                action="registrations.registration.cancelled",
                from_state=State.ACCEPTED,
                to_state=State.CANCELLED,
                actor_kind="participant",
            )
            for registration in gone
        )
    codes = [code_for_ticket(ticket) for ticket in tickets]
    forged = codes[0].rsplit(".", 1)[0] + ".AAAAAAAAAAAAAAAAAAAAAA"
    return {"slug": slug, "codes": codes[:participants], "refused": [*codes[participants:], forged]}


def seed(*, participants: int, warm_participants: int = WARM_PARTICIPANTS) -> dict[str, Any]:
    """The three events (desk, API, warm-up) and the 4 desk members with their sessions and tokens."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    from civicmeet.accounts.models import ApiToken
    from civicmeet.accounts.services import organiser_account_save

    organiser, _created = organiser_account_save(
        email="organiser@checkin.bench.example.org",
        password="bench-password-not-secret",  # noqa: S106 - a throw-away bench database
        validate=False,
    )
    users = get_user_model()
    desks = [
        users.objects.create_user(
            username=f"desk{n}@checkin.bench.example.org",
            email=f"desk{n}@checkin.bench.example.org",
            first_name=("Anna", "Oksana", "Piotr", "Dina")[n % 4],
        )
        for n in range(DESKS)
    ]
    store = import_module(settings.SESSION_ENGINE).SessionStore
    credentials = []
    for user in desks:
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        credentials.append(
            {
                "desk": {
                    "Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
                    f"{settings.CSRF_COOKIE_NAME}={CSRF_SECRET}",
                    "X-CSRFToken": CSRF_SECRET,
                },
                "api": {"Authorization": f"Bearer {ApiToken.issue(user)}"},
            }
        )
    events = {
        name: seed_event(
            slug=slug,
            participants=warm_participants if name == "warm" else participants,
            creator=organiser,
            desks=desks,
        )
        for name, slug in SLUGS.items()
    }
    return {"events": events, "credentials": credentials, "participants": participants}


def verify(*, slug: str, entries: list[dict], firsts: int) -> dict[str, Any]:
    """Compare the database with what the desks sent (`entries`, every request of every desk) and the
    number of answers that said "first check-in" (`firsts`). Returns the figures and `problems`."""
    from civicmeet.checkin.models import CheckIn, CheckInRequest, Ticket
    from civicmeet.checkin.tickets import nonce_from_code
    from civicmeet.events.models import Event

    event = Event.objects.get(slug=slug)
    scanned = [entry for entry in entries if entry["kind"] != "refused"]
    nonces = {nonce_from_code(entry["code"]) for entry in scanned}
    people = set(Ticket.objects.filter(nonce__in=nonces).values_list("registration_id", flat=True))
    client_ids = {entry["client_id"] for entry in scanned}
    checkins = CheckIn.objects.filter(event=event)
    recorded = set(checkins.values_list("registration_id", flat=True))
    figures = {
        "requests_sent": len(entries),
        "distinct_codes": len(people),
        "checkins": checkins.count(),
        "first_answers": firsts,
        "distinct_client_ids": len(client_ids),
        "request_records": CheckInRequest.objects.filter(event=event).count(),
    }
    problems = []
    if figures["checkins"] != figures["distinct_codes"]:
        problems.append(f"{figures['checkins']} check-ins for {figures['distinct_codes']} distinct codes scanned")
    if len(people) != len(nonces):
        problems.append(f"{len(nonces) - len(people)} codes scanned name no ticket")
    if recorded != people:
        problems.append(
            f"{len(people - recorded)} people scanned have no check-in; {len(recorded - people)} check-ins "
            "of people nobody scanned"
        )
    if firsts != figures["checkins"]:
        problems.append(f"{firsts} answers said 'first check-in' for {figures['checkins']} check-ins")
    if figures["request_records"] != figures["distinct_client_ids"]:
        problems.append(
            f"{figures['request_records']} request records for {figures['distinct_client_ids']} distinct client ids"
        )
    return {**figures, "problems": problems}


# -- The run: the server, wrk, the retries -----------------------------------------------------------


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User and system CPU seconds each process has used so far (gone ones are left out)."""
    used = {}
    for pid in pids:
        try:
            fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return used


def cpu_used(before: dict[int, float], after: dict[int, float]) -> dict[int, float]:
    """CPU seconds used between the two readings by each process alive at the second (a process
    started in between counts whole; one that ended in between, e.g. another client's database
    backend, counts nothing)."""
    return {pid: seconds - before.get(pid, 0.0) for pid, seconds in after.items()}


def postgres_pids() -> list[int]:
    """The PostgreSQL server of DATABASE_URL (its postmaster on this port) and its backends."""
    port = re.search(r":(\d+)/", os.environ.get("DATABASE_URL", ""))
    if not port:
        return []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if command and command[0].endswith(b"postgres") and b"-p" in command:
            if command[command.index(b"-p") + 1 :][:1] == [port.group(1).encode()]:
                return [int(entry.name), *descendants(int(entry.name))]
    return []


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def run_wrk(url: str, plan_dir: Path, *, duration: int) -> tuple[dict, list[dict]]:
    command = [
        "wrk",
        f"-t{DESKS}",
        f"-c{DESKS}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA / "checkin.lua"),
        url,
    ]
    done = subprocess.run(  # noqa: S603 - wrk with our own arguments
        command, capture_output=True, text=True, env={**os.environ, "BENCH_PLAN_DIR": str(plan_dir)}, check=False
    )
    figures = re.search(r"BENCH_JSON (\{.*\})", done.stdout)
    desks = re.search(r"BENCH_DESKS (\[.*\])", done.stdout)
    if done.returncode != 0 or not figures or not desks:
        raise SystemExit(f"wrk failed (status {done.returncode}):\n{done.stdout}\n{done.stderr}")
    raw = json.loads(figures.group(1))
    seconds = raw["duration_us"] / 1e6
    return (
        {
            "rps": round(raw["requests"] / seconds, 1),
            "requests": raw["requests"],
            "socket_errors": raw["errors"] - raw["status_errors"],
            "p50_ms": round(raw["p50_us"] / 1000, 1),
            "p90_ms": round(raw["p90_us"] / 1000, 1),
            "p99_ms": round(raw["p99_us"] / 1000, 1),
            "max_ms": round(raw["max_us"] / 1000, 1),
        },
        sorted(json.loads(desks.group(1)), key=lambda desk: desk["desk"]),
    )


def post(port: int, path: str, headers: dict[str, str], entry: dict) -> tuple[int, dict]:
    body = json.dumps({"client_id": entry["client_id"], "code": entry["code"], "basis": entry["basis"]})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST", path, body, {**headers, "Content-Type": "application/json", "Accept": "application/json"}
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


def scenario(
    name: str,
    *,
    port: int,
    path: str,
    plans: list[list[dict]],
    headers: list[dict],
    duration: int,
    work: Path,
    server_pid: int,
) -> tuple[dict, list[dict], int]:
    """One wrk run of `plans`; then the requests left unanswered sent again (same client ids).
    Returns the figures, every request sent, and the answers that said "first check-in"."""
    plan_dir = work / f"plan-{name}"
    write_plan(plan_dir, plans, headers)
    before = loadavg()
    web_before = cpu_seconds([server_pid, *descendants(server_pid)])
    database_before = cpu_seconds(postgres_pids())
    figures, desks = run_wrk(f"http://127.0.0.1:{port}{path}", plan_dir, duration=duration)
    web = cpu_used(web_before, cpu_seconds([server_pid, *descendants(server_pid)]))
    database = cpu_used(database_before, cpu_seconds(postgres_pids()))
    # How the 4 connections fell on granian's 2 workers (each connection stays with one worker;
    # 3 or 4 of them on one share its interpreter's lock, and the run uses about one core).
    each = sorted((round(used, 1) for used in web.values()), reverse=True)
    figures["cpu_s_busiest_processes"] = [used for used in each if used >= 0.5]
    figures["loadavg_before"], figures["loadavg_after"] = before, loadavg()
    # What a check-in costs the server in CPU, whatever else the machine runs: the web workers and
    # the task worker (the processes serve.sh started), and PostgreSQL's server when there is one.
    requests = max(figures["requests"], 1)
    figures["cpu_ms_web"] = round(sum(web.values()) * 1000 / requests, 1)
    figures["cpu_ms_database"] = round(sum(database.values()) * 1000 / requests, 1) if database else None
    firsts = sum(desk["firsts"] for desk in desks)
    unexpected = sum(desk["unexpected"] for desk in desks)
    entries: list[dict] = []
    retried = 0
    time.sleep(1)  # what the server was still doing when wrk stopped
    for desk in desks:
        # The Lua script sends entry n + 1 only once entry n is answered: what was on the wire when
        # wrk stopped is the one after the answered ones (processed or not: sent again, it is
        # either answered from its record or recorded now).
        sent = sent_entries(plans[desk["desk"]], desk["answered"] + 1)
        entries += sent
        for entry in sent[desk["answered"] :]:
            retried += 1
            status, answer = post(port, path, headers[desk["desk"]], entry)
            if entry["kind"] == "refused":
                unexpected += status != 409
            elif status in (200, 201):
                firsts += entry["kind"] != "replay" and answer.get("already") is False
            else:
                unexpected += 1
    statuses: dict[str, int] = {}
    for desk in desks:
        for status, count in desk["status"].items():
            statuses[status] = statuses.get(status, 0) + count
    kinds: dict[str, int] = {}
    for entry in entries:
        kinds[entry["kind"]] = kinds.get(entry["kind"], 0) + 1
    figures.update(
        {
            "statuses": statuses,
            "unexpected": unexpected,
            "last_unexpected": [desk["last_unexpected"] for desk in desks if desk["last_unexpected"]],
            "resent_after_stop": retried,
            "kinds": kinds,
            "plan_passes": max(desk["passes"] for desk in desks),
        }
    )
    return figures, entries, firsts


def child(env: dict[str, str], *args: str, timeout: float = 1800) -> dict:
    """Run this script in a child process with the server's environment; its last line is JSON."""
    done = subprocess.run(  # noqa: S603 - our own script
        [PY, str(Path(__file__).resolve()), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"bench/checkin.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_server(env: dict[str, str], log_path: Path, base: str) -> subprocess.Popen:
    log = log_path.open("wb")
    server = subprocess.Popen(  # noqa: S603 - our own script
        [str(ROOT / "scripts" / "serve.sh")],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    started = time.monotonic()
    while True:
        try:
            wait_until_up(f"{base}/healthz", timeout=5)
            break
        except SystemExit:
            waited = time.monotonic() - started
            if server.poll() is None and waited < SERVER_START_TIMEOUT:
                continue
            stop_server(server)
            tail = log_path.read_text(errors="replace")[-6000:]
            why = f"exited with status {server.returncode}" if waited < SERVER_START_TIMEOUT else "did not answer"
            raise SystemExit(
                f"the server {why} after {waited:.0f} s ({base}/healthz, load average {loadavg()}); "
                f"its log ({log_path}):\n{tail}"
            ) from None
    print(f"the server answered after {time.monotonic() - started:.1f} s", flush=True)
    return server


def stop_server(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def measure(args: argparse.Namespace) -> dict:
    database, var_dir, port, env = production_env("civicmeet-bench-checkin-")
    base = f"http://127.0.0.1:{port}"
    results: dict[str, Any] = {
        "database": database,
        "niceness": os.nice(0),
        "participants": args.participants,
        "desks": DESKS,
        "duration": args.duration,
        "scenarios": {},
        "problems": [],
    }
    server = None
    try:
        print(f"[{database}] preparing the database in {var_dir} …", flush=True)
        subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603
        seeded_file = var_dir / "seed.json"
        started = time.monotonic()
        child(env, "--seed", str(seeded_file), "--participants", str(args.participants))
        results["seed_seconds"] = round(time.monotonic() - started, 1)
        seeded = json.loads(seeded_file.read_text())
        if database == "postgresql":
            # The planner's statistics after the bulk load (autovacuum would get there later).
            analyse = "from django.db import connection; connection.cursor().execute('ANALYZE')"
            subprocess.run([PY, "manage.py", "shell", "-c", analyse], cwd=ROOT, env=env, check=True)  # noqa: S603
        server = start_server(env, var_dir / "server.log", base)
        results["worker_busy_before"] = wait_for_quiet(env)
        events, credentials = seeded["events"], seeded["credentials"]
        paths = {
            "desk": lambda slug: f"/{args.language}/manage/events/{slug}/desk/checkins.json",
            "api": lambda slug: f"/api/v1/manage/events/{slug}/checkins",
        }
        warm = events["warm"]
        for name in args.scenarios:
            headers = [credential[name] for credential in credentials]
            # Warm-up on its own event (templates, translations, every thread's database connection).
            warm_plans = make_plan(warm["codes"], warm["refused"], run=f"warm-{name}")
            scenario(
                f"warm-{name}",
                port=port,
                path=paths[name](warm["slug"]),
                plans=warm_plans,
                headers=headers,
                duration=WARM_SECONDS,
                work=var_dir,
                server_pid=server.pid,
            )
            event = events[name]
            plans = make_plan(event["codes"], event["refused"], run=name)
            print(f"[{database}] {name}: {DESKS} desks for {args.duration} s (load average {loadavg()}) …", flush=True)
            figures, entries, firsts = scenario(
                name,
                port=port,
                path=paths[name](event["slug"]),
                plans=plans,
                headers=headers,
                duration=args.duration,
                work=var_dir,
                server_pid=server.pid,
            )
            entries_file = var_dir / f"entries-{name}.json"
            entries_file.write_text(json.dumps({"slug": event["slug"], "entries": entries, "firsts": firsts}))
            checked = child(env, "--verify", str(entries_file))
            figures["verified"] = checked
            problems = list(checked["problems"])
            if figures["unexpected"]:
                problems.append(
                    f"{figures['unexpected']} unexpected answers (e.g. {'; '.join(figures['last_unexpected'])})"
                )
            if figures["socket_errors"]:
                problems.append(f"{figures['socket_errors']} connection errors or timeouts")
            results["problems"] += [f"{name}: {problem}" for problem in problems]
            results["scenarios"][name] = figures
            print(
                f"[{database}] {name}: {figures['rps']} requests/s, p50 {figures['p50_ms']} ms, "
                f"p99 {figures['p99_ms']} ms, CPU per check-in {figures['cpu_ms_web']} ms (web) "
                f"{figures['cpu_ms_database'] or 0} ms (PostgreSQL), {checked['checkins']} check-ins, "
                f"{'OK' if not problems else 'PROBLEMS: ' + '; '.join(problems)}",
                flush=True,
            )
    finally:
        if server is not None:
            stop_server(server)
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)
    return results


# -- The report ----------------------------------------------------------------------------------


def report(paths: list[str]) -> None:
    runs = [json.loads(Path(path).read_text()) for path in paths]
    first = runs[0]
    lines = [
        "## Check-in (issue 11)",
        "",
        f"Measured by `make bench` (bench/checkin.py) on {datetime.now(UTC).strftime('%Y-%m-%d')}: an event "
        f"with {first['participants']:,} accepted participants with tickets (the invitation's safety rule, so "
        f"every check-in recomputes the verdict), {first['desks']} desk members (the desk role), each its own "
        f"session and token, and wrk with one connection per desk scanning for {first['duration']} s, through "
        "`make serve`'s production server (granian, 2 workers, DEBUG off). Each desk walks its own quarter of "
        f"the tickets; every {CROSS_EVERY}th step it also scans the code the next desk scans at that step, every "
        f"{REPLAY_EVERY}th it sends the request before it again with its client id, every {REFUSED_EVERY}th "
        "scans a cancelled or forged ticket (409 expected). Afterwards the database holds exactly one check-in "
        "per distinct code scanned and one request record per client id (checked by the benchmark: it fails "
        "otherwise). `desk` is what the desk page's script posts (session and CSRF token), `api` is "
        "`POST /api/v1/manage/events/{slug}/checkins` with a bearer token. Target: p99 < "
        f"{TARGET_P99_MS} ms on both databases.",
        f"Machine: {machine()}. The load average (1, 5, 15 minutes) before and after each run says how busy the "
        "machine was with other work; the server's CPU per check-in (its web workers, and PostgreSQL's server) "
        "is the figure that load changes least.",
        "",
        "| database | path | requests/s | p50 ms | p99 ms (target < 150) | server CPU per check-in | requests "
        "(first / cross / replay / refused) | check-ins | unexpected answers | load average before → after |",
        "|---|---|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for run in runs:
        nice = f", niceness {run['niceness']}" if run.get("niceness") else ""
        for name, figures in run["scenarios"].items():
            kinds = figures["kinds"]
            mix = " / ".join(str(kinds.get(kind, 0)) for kind in ("first", "cross", "replay", "refused"))
            met = "" if figures["p99_ms"] < TARGET_P99_MS else " (**missed**)"
            cpu = f"{figures['cpu_ms_web']} ms"
            if figures.get("cpu_ms_database") is not None:
                cpu += f" + {figures['cpu_ms_database']} ms PostgreSQL"
            lines.append(
                f"| {run['database']} | {name} | {figures['rps']:,.0f} | {figures['p50_ms']} | "
                f"{figures['p99_ms']}{met} | {cpu} | {figures['requests']:,} ({mix}) | "
                f"{figures['verified']['checkins']:,} | {figures['unexpected'] + figures['socket_errors']} | "
                f"{figures['loadavg_before']} → {figures['loadavg_after']}{nice} |"
            )
    lines.append("")
    lines.append(
        "Reproduce one database: `env -u DATABASE_URL .venv/bin/python bench/checkin.py` (SQLite) or "
        "`PYTHON=.venv/bin/python scripts/pg-test.sh .venv/bin/python bench/checkin.py` (PostgreSQL); "
        "`--duration`, `--participants` and `--scenarios desk` to change the run."
    )
    block = "\n".join(lines)
    text = DOC.read_text()
    start, end = MARKERS
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _old, after = rest.split(end, 1)
        text = f"{before}{start}\n{block}\n{end}{after}"
    else:
        text = f"{text.rstrip()}\n\n{start}\n{block}\n{end}\n"
    DOC.write_text(text)
    print(f"wrote the check-in figures into {DOC}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_CHECKIN_DURATION", "30")))
    # Enough tickets for a 30-second run on 2 idle cores to stay within each desk's first pass
    # (most scans first check-ins, as at the door); a meeting of 4,000 is large for civicmeet.
    parser.add_argument("--participants", type=int, default=4000)
    parser.add_argument("--language", default="uk", choices=["pl", "uk", "en"], help="the desk page's language")
    parser.add_argument(
        "--scenarios",
        type=lambda names: [name for name in names.split(",") if name],
        default=["desk", "api"],
        help="comma-separated: desk, api",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (database, server log)")
    parser.add_argument("--json", help="write the figures of this run here")
    parser.add_argument("--report", nargs="+", metavar="JSON", help="write the figures into docs/performance.md")
    # Inside the child processes (the server's environment):
    parser.add_argument("--seed", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--verify", metavar="FILE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        _setup_django()
        Path(args.seed).write_text(json.dumps(seed(participants=args.participants)))
        print(json.dumps({"seeded": args.seed}))
        return
    if args.verify:
        _setup_django()
        sent = json.loads(Path(args.verify).read_text())
        print(json.dumps(verify(slug=sent["slug"], entries=sent["entries"], firsts=sent["firsts"])))
        return
    if args.report:
        report(args.report)
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    unknown = set(args.scenarios) - {"desk", "api"}
    if unknown:
        sys.exit(f"unknown scenarios: {', '.join(sorted(unknown))}")
    results = measure(args)
    print(json.dumps(results, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    if results["problems"]:
        sys.exit("check-in benchmark FAILED:\n- " + "\n- ".join(results["problems"]))


if __name__ == "__main__":
    main()
