"""A backup taken while registrations pour in restores into a fresh database with all of them."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection

from civicmeet.registrations.models import Registration

from .harness import ROOT, Load, make_event, organiser_with_token, wait_for

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

# Prints what a restored database holds: registrations, and those that lack their log entry or email.
INSPECT = """
import json
from civicmeet.registrations.models import Registration
registrations = Registration.objects.all()
print(json.dumps({
    "ids": sorted(registrations.values_list("pk", flat=True)),
    "without_log": registrations.filter(log__isnull=True).count(),
    "without_email": registrations.filter(emails__isnull=True).count(),
}))
"""


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


@pytest.fixture
def fresh_database_url(transactional_db):
    """An empty database next to the test database: a file for SQLite, a new database for PostgreSQL."""
    name = f"restored_{secrets.token_hex(4)}"
    if connection.vendor == "sqlite":
        path = connection.settings_dict["NAME"]
        target = f"{path}.{name}"
        yield f"sqlite:///{target}"
        for suffix in ("", "-wal", "-shm", ".writers"):
            subprocess.run(["rm", "-f", target + suffix], check=True)
        return
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")  # autocommit: transactional_db
    from .harness import database_url

    yield database_url().rsplit("/", 1)[0] + "/" + name
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_backup_under_load_restores_every_registration(serve, fresh_database_url, tmp_path, figures):
    event = make_event([organiser_with_token()], capacity=10_000)
    server = serve()
    env = {**server.env, "SECRET_KEY_FILE": str(ROOT / server.env["CIVICMEET_VAR_DIR"] / "secret_key")}
    load = Load(server.url, event.slug)
    clients = [threading.Thread(target=load.client, daemon=True) for _ in range(4)]
    for client in clients:
        client.start()
    try:
        wait_for(lambda: load.created_since(0) >= 60, "60 registrations before the backup")
        before = set(Registration.objects.values_list("pk", flat=True))
        started = time.monotonic()
        backup = manage(env, "backup_database", "--output", str(tmp_path / "civicmeet.backup"))
        finished = time.monotonic()
        after = set(Registration.objects.values_list("pk", flat=True))
        # The site kept working: registrations sent once the backup was done are answered too
        # (however many per second this machine manages, and the ones during it are counted below).
        wait_for(lambda: load.created_since(finished) >= 5, "5 registrations after the backup")
    finally:
        load.stop.set()
        for client in clients:
            client.join(70)
    path = backup.stdout.strip().splitlines()[-1]
    assert path == str(tmp_path / "civicmeet.backup")
    assert (tmp_path / "civicmeet.backup").stat().st_mode & 0o077 == 0  # personal data: owner only
    assert {r.status for _, _, r in load.answered} == {201}
    assert load.broken == []
    during = sum(1 for sent, ended, r in load.answered if sent > started and ended < finished and r.status == 201)
    figures(
        f"backup of {len(before)}–{len(after)} registrations under load took {finished - started:.2f} s "
        f"({during} registrations answered meanwhile)"
    )

    restore_env = {**env, "DATABASE_URL": fresh_database_url}
    restored = manage(restore_env, "restore_database", path)
    assert "Restored" in restored.stdout, restored.stderr
    found = json.loads(manage(restore_env, "shell", "-c", INSPECT).stdout.strip().splitlines()[-1])

    assert before <= set(found["ids"]) <= after
    assert (found["without_log"], found["without_email"]) == (0, 0)  # a snapshot of one moment
    assert set(found["ids"]) <= set(Registration.objects.values_list("pk", flat=True))
    # Restoring over a database that has data needs an explicit --force.
    again = manage(restore_env, "restore_database", path, check=False)
    assert again.returncode != 0
    assert "already has tables" in again.stderr
