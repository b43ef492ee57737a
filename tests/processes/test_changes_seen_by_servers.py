"""The production server (scripts/serve.sh: granian with 2 workers, the file cache they share)
follows a change made by another process within the bound, on SQLite and on PostgreSQL.

Two ways of changing an event from outside that never reach the server's cache: `manage.py shell`
with the settings `manage.py` falls back to (development: a cache of its own), and a
`QuerySet.update` with the server's own settings (the shared file cache, but no signal). Before
the bound existed, each left the server showing the old event for up to 300 s.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
import uuid

import pytest
import reliability.conftest as _reliability
from reliability.harness import ROOT, database_url, get, make_event, organiser_with_token

# The reliability tests' real servers (tests/reliability/conftest.py), for this module only.
serve = _reliability.serve
server_var_dir = _reliability.server_var_dir
django_db_modify_db_settings = _reliability.django_db_modify_db_settings
_stop_servers_on_sigterm = _reliability._stop_servers_on_sigterm
figures = _reliability.figures

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

# "Seconds, not 300", with room for a loaded 2-core machine; the bound itself is checked exactly
# in test_changes_across_processes.py.
DEADLINE = 2 + 30.0  # EVENT_VERSION_SECONDS of the production settings, plus room
# Answers in a row that must all show the change: each comes on a fresh connection, so both web
# workers (each with its own stored pages and copy of the event) are asked.
IN_A_ROW = 12


def _shell(code: str, **env: str) -> None:
    """`manage.py shell -c CODE` in a process of its own, against the server's database."""
    environment = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": database_url(),
        "SECRET_KEY": secrets.token_urlsafe(64),
        "PYTHONUNBUFFERED": "1",
        **env,
    }
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=environment, check=True, timeout=120
    )


def _shows(url: str, slug: str, title: str) -> bool:
    api = get(url, f"/api/v1/events/{slug}")
    page = get(url, f"/en/e/{slug}/")
    form = get(url, f"/en/e/{slug}/register/")
    return json.loads(api.body)["title"]["en"] == title and title in page.text and title in form.text


def _follows(url: str, slug: str, title: str) -> float:
    """Seconds until IN_A_ROW answers in a row of the API, the page and the form show `title`."""
    started = time.monotonic()
    deadline = started + DEADLINE
    row = 0
    while row < IN_A_ROW:
        row = row + 1 if _shows(url, slug, title) else 0
        assert time.monotonic() < deadline, f"the server still showed the old event after {DEADLINE:.0f} s"
    return time.monotonic() - started


def test_the_server_follows_changes_made_by_other_processes(serve, server_var_dir, figures):
    event = make_event([organiser_with_token()])
    server = serve()
    old = event.title["en"]
    # Every worker stores the page, its copy of the event and the version.
    for _ in range(IN_A_ROW):
        assert _shows(server.url, event.slug, old)

    # 1. `manage.py shell` without DJANGO_SETTINGS_MODULE: manage.py's development settings.
    first = f"Changed by a command {uuid.uuid4().hex[:8]}"
    _shell(
        "from civicmeet.events.models import Event; "
        f"event = Event.objects.get(slug={event.slug!r}); "
        f"event.title = {{**event.title, 'en': {first!r}}}; event.save()",
        CIVICMEET_VAR_DIR=str(server_var_dir / "elsewhere"),
    )
    figures(
        f"a change saved by manage.py with other settings: seen after {_follows(server.url, event.slug, first):.1f} s"
    )

    # 2. The server's own settings and shared cache, but an update that sends no signal.
    second = f"Changed by an update {uuid.uuid4().hex[:8]}"
    _shell(
        "from django.utils import timezone; from civicmeet.events.models import Event; "
        f"event = Event.objects.get(slug={event.slug!r}); "
        f"Event.objects.filter(pk=event.pk).update(title={{**event.title, 'en': {second!r}}}, updated_at=timezone.now())",
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        CIVICMEET_VAR_DIR=str(server_var_dir),
    )
    figures(f"an update that sent no signal: seen after {_follows(server.url, event.slug, second):.1f} s")
