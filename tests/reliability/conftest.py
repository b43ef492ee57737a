"""Real servers for the reliability tests: scripts/serve.sh (granian + db_worker, production profile)
on a free loopback port, against the test database pytest-django created (a temporary SQLite file,
or the throw-away PostgreSQL of scripts/pg-test.sh).

The tests commit their data (transactional_db), so the server sees it, and read the results back
through the ORM. Every server is stopped before the database is flushed.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from .harness import ROOT, SERVE, Server, database_url, free_port

_figures: list[str] = []


def pytest_terminal_summary(terminalreporter) -> None:
    if _figures:
        terminalreporter.section("reliability figures")
        for line in _figures:
            terminalreporter.write_line(line)


@pytest.fixture
def figures(request) -> Callable[[str], None]:
    """Record a measured figure; they are printed at the end of the run."""
    database = connection.vendor

    def record(text: str) -> None:
        _figures.append(f"[{database}] {request.node.name}: {text}")

    return record


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory) -> None:
    """A SQLite test database of this run's own, not the shared `var/test-civicmeet.sqlite3`: a
    second run at the same time (another `make test`, the browser tests) would delete it under
    this one's servers when it creates its own."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "civicmeet.core.sqlite":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test-civicmeet.sqlite3")


@pytest.fixture(scope="session", autouse=True)
def _stop_servers_on_sigterm():
    """SIGTERM (what `timeout` and supervisors send) ends the run as Ctrl-C does, so the fixtures'
    teardown stops the servers, which run in sessions of their own and would otherwise outlive it."""

    def interrupt(signum, frame):
        raise KeyboardInterrupt(f"stopped by {signal.Signals(signum).name}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    yield
    signal.signal(signal.SIGTERM, previous)


@pytest.fixture(scope="session")
def server_var_dir(tmp_path_factory) -> Path:
    """The servers' var/ directory, with the static files collected once for the session."""
    var_dir = tmp_path_factory.mktemp("serve-var")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "CIVICMEET_VAR_DIR": str(var_dir),
        "SECRET_KEY": secrets.token_urlsafe(64),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    return var_dir


@pytest.fixture
def serve(transactional_db, server_var_dir, tmp_path) -> Iterator[Callable[..., Server]]:
    """Start scripts/serve.sh on the test database; `serve(EMAIL_PORT="2525")` adds variables."""
    servers: list[Server] = []

    def start(**extra: str) -> Server:
        port = free_port()
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS")
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings.prod",
                "CIVICMEET_VAR_DIR": str(server_var_dir),
                "DATABASE_URL": database_url(),
                "HOST": "127.0.0.1",
                "PORT": str(port),
                "VENV_PYTHON": sys.executable,
                "SERVE_SETUP": "0",  # the test database is migrated; static files are collected
                "SECURE_SSL_REDIRECT": "0",
                "RATE_LIMITS": "off",
                "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
                "EMAIL_RETRY_DELAY_SECONDS": "1",
                "EMAIL_TIMEOUT": "5",
                "LOG_LEVEL": "WARNING",
            }
        )
        env.update(extra)
        log_path = tmp_path / f"serve-{len(servers)}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [str(SERVE)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        server = Server(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path, env=env)
        servers.append(server)
        server.wait_until_ready()
        return server

    yield start
    for server in servers:
        server.stop()
        # Shown with a failing test's captured output: what the server said (its task lines aside).
        lines = [line for line in server.log().splitlines() if "Task id=" not in line]
        print(f"--- {server.log_path.name} (last lines) ---", *lines[-40:], sep="\n")
    connection.close()
