"""`make run` and `make serve` started as a user starts them, watched through /proc, and stopped.

Every process a start makes carries a marker in its environment (`CIVICMEET_PROCESS_TEST`), which
every descendant inherits — also one that moved to a process group or session of its own, or was
left behind by its parent. That is how the tests find what is left, and how they kill it when a
test fails.
"""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARKER = "CIVICMEET_PROCESS_TEST"
# Generous: a fresh database is migrated and the demo loaded on a busy 2-core machine.
START_TIMEOUT = 240.0
# The scripts give their servers 20 s (STOP_TIMEOUT) before killing them; granian's workers 10 s.
STOP_DEADLINE = 60.0
# What the settings of the servers must not take from the caller's environment.
_NOT_INHERITED = (
    "DATABASE_URL",
    "SITE_URL",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "DJANGO_SETTINGS_MODULE",
    "ALLOWED_HOSTS",
    "HOST",
    "PORT",
    "CACHE_BACKEND",
    "CACHE_LOCATION",
    "EMAIL_BACKEND",
    "DEMO",
    "MAKEFLAGS",
    "MAKELEVEL",
    "MFLAGS",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Nobody listens on 127.0.0.1:port (a connection in TIME_WAIT does not count)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def marked(mark: str) -> list[int]:
    """Living processes (not zombies) whose environment carries this start's marker."""
    needle = f"{MARKER}={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0"):
            stat = _stat(int(entry.name))
            if stat is not None and stat[0] != "Z":
                found.append(int(entry.name))
    return sorted(found)


def wait_for(
    condition: Callable[[], object], timeout: float, what: str, *, describe: Callable[[], str] = str
) -> object:
    """Poll `condition` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:.0f} s. {describe()}")
        time.sleep(0.05)


def http_get(port: int, path: str, *, timeout: float = 30.0, headers: dict[str, str] | None = None):
    """(status, body) of one GET on a fresh connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept-Language": "en", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def answers(port: int) -> bool:
    try:
        return http_get(port, "/healthz", timeout=5)[0] == 200
    except (OSError, http.client.HTTPException):
        return False


@dataclass
class Started:
    """One `make TARGET` in a session (so a process group) of its own."""

    target: str
    process: subprocess.Popen
    port: int
    var_dir: Path
    log_path: Path
    env: dict[str, str]
    mark: str
    seen: dict[int, str] = field(default_factory=dict)

    @property
    def pgid(self) -> int:
        return self.process.pid  # the session leader leads its process group

    def processes(self) -> dict[int, str]:
        """The living processes of this start, with their command lines (remembered for reports)."""
        now = {pid: cmdline(pid) for pid in marked(self.mark)}
        self.seen.update({pid: line for pid, line in now.items() if line})
        return now

    def running(self, word: str) -> list[int]:
        return [pid for pid, line in self.processes().items() if word in line]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def report(self) -> str:
        left = self.processes()
        lines = [f"make {self.target} (pid {self.process.pid}, exit status {self.process.poll()})"]
        lines += [f"  left running: {pid} {line}" for pid, line in left.items()]
        lines.append("--- output (last lines) ---")
        lines += [line for line in self.log().splitlines() if "Task id=" not in line][-40:]
        return "\n".join(lines)

    def wait_until_answering(self) -> None:
        def ready() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"make {self.target} ended before it answered.\n{self.report()}")
            return answers(self.port)

        wait_for(ready, START_TIMEOUT, f"make {self.target} answering on port {self.port}", describe=self.report)

    def wait_until_running(self, word: str) -> None:
        def started() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"make {self.target} ended before {word!r} ran.\n{self.report()}")
            return bool(self.running(word))

        wait_for(started, START_TIMEOUT, f"{word!r} started by make {self.target}", describe=self.report)

    def everything_stopped(self) -> bool:
        return self.process.poll() is not None and not self.processes() and port_is_free(self.port)

    def kill_everything(self) -> None:
        """Whatever happened in the test: nothing it started may outlive it. Only the processes
        that carry this start's marker are signalled, each by its own pid (a process group id
        could belong to someone else once its members are gone)."""
        for _ in range(50):
            if self.process.poll() is None:
                self.process.kill()
            left = marked(self.mark)
            if not left and self.process.poll() is not None:
                return
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            time.sleep(0.1)


def requirements_are_installed() -> bool:
    """`make run` and `make serve` would install nothing (and so need no network)."""
    check = subprocess.run(
        ["make", "--no-print-directory", "-q", ".venv/.requirements.stamp"],
        cwd=ROOT,
        env=_base_env(),
        capture_output=True,
        check=False,
    )
    return check.returncode == 0


def _signals_as_in_a_terminal() -> None:
    """Start make as a terminal would, with SIGINT and SIGHUP at their defaults. A suite started in
    the background (`cmd &` ignores SIGINT, `nohup` ignores SIGHUP) passes the ignoring on to every
    child, and a script cannot trap a signal that was ignored when it started — right for
    `nohup make serve &`, but then the Ctrl-C and hang-up cases would test nothing (they failed so
    in `nohup make test &`)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def _base_env() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key not in _NOT_INHERITED}


def start(target: str, tmp_path: Path, *, var_dir: Path | None = None, **extra: str) -> Started:
    """`make TARGET PORT=<free port>` with its own var/ directory, SQLite, no network."""
    port = free_port()
    var_dir = var_dir or tmp_path / f"var-{target}"
    var_dir.mkdir(parents=True, exist_ok=True)
    mark = uuid.uuid4().hex
    env = _base_env()
    env.update(
        {
            MARKER: mark,
            "CIVICMEET_VAR_DIR": str(var_dir),
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "WARNING",
        }
    )
    if target == "serve":
        env["SECRET_KEY"] = secrets.token_urlsafe(64)
    env.update(extra)
    log_path = tmp_path / f"make-{target}-{mark[:8]}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["make", "--no-print-directory", target, f"PORT={port}", "HOST=127.0.0.1"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_signals_as_in_a_terminal,
        )
    return Started(target, process, port, var_dir, log_path, env, mark)
