"""Helpers of the reliability tests: processes, a small HTTP client and test data."""

from __future__ import annotations

import errno
import fcntl
import http.client
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from civicmeet.accounts.models import ApiToken
from civicmeet.events.tests.factories import EventFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT / "scripts" / "serve.sh"
PASSWORD = "correct horse battery staple"
STARTUP_TIMEOUT = 120.0
STOP_TIMEOUT = 20.0
REQUEST_TIMEOUT = 60.0
# How long a test waits for a condition before it fails saying what did not happen. Generous on
# purpose: the tests wait for states, never for durations (speed is measured by `make bench`).
DEADLINE = 120.0

# Every way a request can fail to bring back a whole answer: refused, reset, timed out (OSError),
# or cut in the middle of the answer's headers or body (http.client.HTTPException, such as
# IncompleteRead when a worker dies after its headers). All of them are a cut connection.
CUT_CONNECTION = (OSError, http.client.HTTPException)


# -- processes ----------------------------------------------------------------------------------

_PORT_LOCKS = Path(tempfile.gettempdir()) / "civicmeet-test-ports"
_held_ports: dict[int, int] = {}  # port -> the open lock file that reserves it for this process


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def _nobody_uses(port: int) -> bool:
    with socket.socket() as sock:  # no SO_REUSEADDR: any socket on the port makes it taken
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def free_port() -> int:
    """A loopback port for a test server that no other program takes while this process lives.

    Not a port from the kernel (`bind(0)`): those come from the ephemeral range, which every
    outgoing connection on the machine draws from too, so such a port can be taken between the
    moment it was found free and the moment the server binds it, or while the server is down (a
    restart, an outage): then the server cannot start, or a client trying to reach it connects to
    itself. So the port is outside the ephemeral range, and a lock file reserves it against other
    runs of these tests on the same machine (a concurrent `make test`) for as long as this process
    lives; the same process never hands it out twice either."""
    _PORT_LOCKS.mkdir(mode=0o777, exist_ok=True)
    low, high = _ephemeral_range()
    candidates = [port for port in range(10_000, 65_536) if not low <= port <= high] or list(range(10_000, 65_536))
    random.SystemRandom().shuffle(candidates)
    for port in candidates:
        if port in _held_ports:
            continue
        fd = os.open(_PORT_LOCKS / f"{port}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        if _nobody_uses(port):
            _held_ports[port] = fd  # released when the process exits
            return port
        os.close(fd)
    raise RuntimeError("no free port for a test server")


def _ppid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def children(pid: int) -> list[int]:
    result = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _ppid(int(entry.name)) == pid:
            result.append(int(entry.name))
    return sorted(result)


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        for child in children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def database_url() -> str:
    """The URL of the database this test run uses (after pytest-django set it up)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return "sqlite:///" + str(Path(settings["NAME"]).resolve())
    if connection.vendor == "postgresql":
        credentials = quote(settings["USER"] or "postgres", safe="")
        if settings.get("PASSWORD"):
            credentials += ":" + quote(settings["PASSWORD"], safe="")
        return (
            f"postgres://{credentials}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    raise RuntimeError(f"no reliability server for {connection.vendor}")


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log_path: Path
    env: dict[str, str]

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def _child(self, word: str) -> int | None:
        """The process running `word` (under its supervisor), not its own children."""
        for pid in descendants(self.process.pid):
            if word in _cmdline(pid) and word not in _cmdline(_ppid(pid) or 0):
                return pid
        return None

    @property
    def granian_pid(self) -> int | None:
        return self._child("granian")

    @property
    def worker_pid(self) -> int | None:
        return self._child("db_worker")

    def web_workers(self) -> list[int]:
        main = self.granian_pid
        return [pid for pid in children(main) if _alive(pid)] if main else []

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until_ready(self, workers: int = 2, timeout: float = STARTUP_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"serve.sh exited with {self.process.returncode}:\n{self.log()[-4000:]}")
            if len(self.web_workers()) >= workers:
                try:
                    if get(self.url, "/healthz").status == 200:
                        return
                except CUT_CONNECTION:  # a worker still starting may take the connection and drop it
                    pass
            time.sleep(0.1)
        raise AssertionError(f"the server did not start within {timeout} s:\n{self.log()[-4000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            everyone = descendants(self.process.pid)
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            for pid in everyone:  # nothing may outlive the test, whatever happened
                if _alive(pid):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass


# -- HTTP -----------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def cookies(self) -> dict[str, str]:
        found = {}
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                found[name.strip()] = rest.split(";", 1)[0]
        return found


def request(
    base_url: str,
    method: str,
    path: str,
    *,
    json_body: Any = None,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> Response:
    """One request on a fresh connection (so a killed worker only costs the requests it held)."""
    host, port = base_url.removeprefix("http://").rsplit(":", 1)
    all_headers = {"Accept-Language": "en", **(headers or {})}
    body = None
    if json_body is not None:
        body = json.dumps(json_body).encode()
        all_headers["Content-Type"] = "application/json"
    elif form is not None:
        body = urlencode(form).encode()
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=all_headers)
        raw = conn.getresponse()
        return Response(status=raw.status, headers=raw.getheaders(), body=raw.read())
    finally:
        conn.close()


def get(base_url: str, path: str, **kwargs: Any) -> Response:
    return request(base_url, "GET", path, **kwargs)


def run_together(calls: list[Callable[[], Any]], *, timeout: float = DEADLINE) -> list[Any]:
    """Run the calls in one thread each, released at the same moment; results (or exceptions) in order.

    The threads wait at the barrier for each other however long starting them takes (no time
    limit of their own); the one limit is the deadline for everything, which releases them."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - reported to the test as a result
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0.1))
    barrier.abort()  # no-op once all passed it; otherwise the stragglers stop waiting
    still_running = sum(thread.is_alive() for thread in threads)
    assert not still_running, f"{still_running} of {len(calls)} calls still running after {timeout:.0f} s"
    return results


# -- data -----------------------------------------------------------------------------------------


@dataclass
class Organiser:
    user: Any
    token: str
    headers: dict[str, str] = field(default_factory=dict)


def organiser_with_token(email: str = "anna@zustricz.example.org") -> Organiser:
    user = UserFactory(email=email)
    # Hashed for the server's (production) hashers, not the test settings' fast MD5 one.
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt(), iterations=10_000)
    user.save(update_fields=["password"])
    token = ApiToken.issue(user)
    return Organiser(user=user, token=token, headers={"Authorization": f"Bearer {token}"})


def make_event(organisers: list[Organiser], **fields: Any):
    return EventFactory(organisers=[o.user for o in organisers], **fields)


def registration_payload(n: int, **overrides: Any) -> dict[str, Any]:
    payload = {
        "first_name": "Olena",
        "last_name": f"Kowalenko {n}",
        "email": f"olena.{n}@example.org",
        "language": "uk",
        "organisation_name": "Fundacja Zustricz",
        "organisation_type": "migrant",
        "consent_processing": True,
    }
    payload.update(overrides)
    return payload


def register(base_url: str, slug: str, n: int, **overrides: Any) -> Response:
    return request(
        base_url, "POST", f"/api/v1/events/{slug}/registrations", json_body=registration_payload(n, **overrides)
    )


def decide(base_url: str, organiser: Organiser, slug: str, registration_id: int, decision: str) -> Response:
    return request(
        base_url,
        "POST",
        f"/api/v1/events/{slug}/registrations/{registration_id}/decision",
        json_body={"decision": decision},
        headers=organiser.headers,
    )


def is_server_error(result: Any) -> bool:
    return isinstance(result, Response) and result.status >= 500


@dataclass
class Load:
    """Clients registering new people without pause until stopped."""

    url: str
    slug: str
    # (started, finished, answer) for every request; `broken` are the connections that failed.
    answered: list[tuple[float, float, Response]] = field(default_factory=list)
    broken: list[tuple[float, float, Exception]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    numbers: itertools.count = field(default_factory=itertools.count)

    def client(self) -> None:
        while not self.stop.is_set():
            with self.lock:
                n = next(self.numbers)
            started = time.monotonic()
            try:
                response = register(self.url, self.slug, n)
            except CUT_CONNECTION as error:
                # No whole answer: the connection died with its worker (before, during or after
                # the headers), or nobody listens. Not answered; the test judges when it happened.
                with self.lock:
                    self.broken.append((started, time.monotonic(), error))
                # Pacing while the server is away, not a wait for anything: the next attempt
                # starts whatever happened meanwhile.
                time.sleep(0.1)
                continue
            with self.lock:
                self.answered.append((started, time.monotonic(), response))

    def created_since(self, moment: float) -> int:
        """Registrations answered 201 that were sent after `moment`."""
        with self.lock:
            return sum(1 for started, _, r in self.answered if started > moment and r.status == 201)

    def first_success_after(self, moment: float) -> float:
        with self.lock:
            return min(end for started, end, r in self.answered if started > moment and r.status == 201) - moment


def wait_for(condition: Callable[[], Any], what: str, limit: float = DEADLINE) -> float:
    """Wait until `condition()` is true; returns how long that took (a figure, never asserted).

    `limit` is a generous deadline after which the test fails saying what did not happen."""
    started = time.monotonic()
    while True:
        if condition():
            return time.monotonic() - started
        if time.monotonic() - started > limit:
            raise AssertionError(f"{what}: still not the case after {limit:.0f} s")
        time.sleep(0.05)


def process_start_time(pid: int) -> str | None:
    """The process's start time (in clock ticks since boot), which tells it apart from a later
    process that got the same pid; None if there is no such process."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def gone(pid: int, start_time: str | None) -> bool:
    """The process has exited and been reaped: every thread has ended and its sockets are closed
    (a zombie's other threads may still hold them)."""
    return start_time is None or process_start_time(pid) != start_time


def tasks_waiting_or_running() -> int:
    """Tasks the server's worker has yet to finish: queued and due now, or running."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().count() + DBTaskResult.objects.running().count()
