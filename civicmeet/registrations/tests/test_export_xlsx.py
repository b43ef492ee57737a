"""The XLSX export as a background task: status page, download, access, expiry, queries.

What the workbook contains (columns, rows, formula injection) is in test_exports.py.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from civicmeet.events.tests.factories import EventFactory
from civicmeet.registrations import export_tasks
from civicmeet.registrations.export_tasks import (
    EXPORT_TTL,
    ExportState,
    XlsxExport,
    build_xlsx_export,
    export_get,
    exports_purge_expired,
)

from .factories import submit
from .test_exports import as_dicts, url, xlsx_rows

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _private_exports(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def org_client(client, organiser):
    client.force_login(organiser)
    return client


def export_url(name: str, event, export_id: str) -> str:
    with translation.override("en"):
        return reverse(f"registrations:{name}", kwargs={"slug": event.slug, "export_id": export_id})


def start(client, event, query: str = "") -> str:
    """POST "Export XLSX"; return the export's id from the redirect to its status page."""
    response = client.post(url("export_xlsx", event) + query)
    assert response.status_code == 302
    export_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert response["Location"] == export_url("export_status", event, export_id)
    return export_id


def start_as(client, organiser, event) -> str:
    client.force_login(organiser)
    return start(client, event)


def exports_dir() -> Path:
    return Path(django_settings.VAR_DIR) / "exports"


def test_export_is_ready_at_once_with_the_inline_backend(org_client, event):
    submit(event, first_name="Olena")
    export_id = start(org_client, event)

    assert len(export_id) == 32  # token_urlsafe(24): 192 bits
    page = org_client.get(export_url("export_status", event, export_id)).content.decode()
    download = export_url("export_download", event, export_id)
    assert download in page
    assert "being prepared" not in page
    response = org_client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-registrations.xlsx"'
    assert response["Cache-Control"] == "no-store"
    assert as_dicts(xlsx_rows(response))[0]["First name"] == "Olena"


def test_export_file_lives_in_var_exports_with_an_unguessable_name(org_client, event):
    export_id = start(org_client, event)
    files = sorted(path.name for path in exports_dir().iterdir())
    assert files == [f"{export_id}.json", f"{export_id}.xlsx"]
    for public in (django_settings.STATIC_ROOT, getattr(django_settings, "MEDIA_ROOT", "")):
        if public:
            assert not exports_dir().resolve().is_relative_to(Path(public).resolve())
    assert start(org_client, event) != export_id


def test_starting_an_export_needs_post(org_client, event):
    assert org_client.get(url("export_xlsx", event)).status_code == 405
    assert not exports_dir().exists()


@pytest.mark.django_db(transaction=True)
def test_the_request_does_not_build_the_workbook_the_worker_does(org_client, event, settings):
    settings.TASKS = DATABASE_TASKS
    submit(event, first_name="Olena")
    export_id = start(org_client, event)

    assert not (exports_dir() / f"{export_id}.xlsx").exists()
    status = org_client.get(export_url("export_status", event, export_id))
    page = status.content.decode()
    assert "being prepared" in page
    assert 'hx-trigger="every 2s"' in page
    assert f'href="{export_url("export_status", event, export_id)}"' in page  # without JavaScript
    assert org_client.get(export_url("export_download", event, export_id)).status_code == 404

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert (exports_dir() / f"{export_id}.xlsx").is_file()
    page = org_client.get(export_url("export_status", event, export_id)).content.decode()
    assert "being prepared" not in page
    response = org_client.get(export_url("export_download", event, export_id))
    assert as_dicts(xlsx_rows(response))[0]["First name"] == "Olena"


@pytest.mark.parametrize("name", ["export_status", "export_download"])
def test_outsider_gets_404_for_an_export_of_our_event(client, organiser, outsider, event, name):
    export_id = start_as(client, organiser, event)
    client.force_login(outsider)
    assert client.get(export_url(name, event, export_id)).status_code == 404


@pytest.mark.parametrize("name", ["export_status", "export_download"])
def test_an_export_is_bound_to_its_event(client, organiser, event, name):
    other = EventFactory(organisers=[organiser])
    export_id = start_as(client, organiser, event)
    assert client.get(export_url(name, other, export_id)).status_code == 404
    response = client.get(export_url(name, event, export_id))
    assert response.status_code == 200
    response.close()


@pytest.mark.parametrize("name", ["export_status", "export_download"])
def test_anonymous_is_sent_to_login(client, organiser, event, name):
    export_id = start_as(client, organiser, event)
    client.logout()
    response = client.get(export_url(name, event, export_id))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("export_id", ["x" * 32, "..%2F..%2Fsettings", "short"])
def test_unknown_or_malformed_export_id_is_404(org_client, event, export_id):
    assert org_client.get(export_url("export_status", event, export_id)).status_code == 404
    assert org_client.get(export_url("export_download", event, export_id)).status_code == 404


def test_an_expired_export_is_refused_and_deleted(org_client, event):
    export_id = start(org_client, event)
    assert (exports_dir() / f"{export_id}.xlsx").is_file()

    with time_machine.travel(timezone.now() + EXPORT_TTL + timedelta(seconds=1)):
        assert org_client.get(export_url("export_download", event, export_id)).status_code == 404
        assert org_client.get(export_url("export_status", event, export_id)).status_code == 404
    assert not (exports_dir() / f"{export_id}.xlsx").exists()
    assert not (exports_dir() / f"{export_id}.json").exists()


def test_a_new_export_deletes_the_expired_ones(org_client, event):
    old = start(org_client, event)
    stray = exports_dir() / "leftover.xlsx.part"
    stray.write_bytes(b"half a workbook")

    with time_machine.travel(timezone.now() + timedelta(minutes=59)):
        assert exports_purge_expired() == 0
    with time_machine.travel(timezone.now() + EXPORT_TTL + timedelta(minutes=1)):
        new = start(org_client, event)
    assert sorted(path.name for path in exports_dir().iterdir()) == [f"{new}.json", f"{new}.xlsx"]
    assert export_get(old) is None


def test_a_failed_export_says_so_and_leaves_no_file(org_client, event, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(export_tasks.exports, "xlsx_write", broken)
    export_id = start(org_client, event)

    page = org_client.get(export_url("export_status", event, export_id)).content.decode()
    assert "could not be prepared" in page
    assert 'hx-trigger="every 2s"' not in page
    assert sorted(path.name for path in exports_dir().iterdir()) == [f"{export_id}.json"]
    assert org_client.get(export_url("export_download", event, export_id)).status_code == 404
    assert "disk full" in caplog.text


def test_the_task_costs_the_same_queries_for_any_number_of_rows(event):
    def queries_for_an_export() -> int:
        export = XlsxExport(secrets.token_urlsafe(24), event.pk, ExportState.PENDING, timezone.now())
        exports_dir().mkdir(parents=True, exist_ok=True)
        export_tasks._write_sidecar(export)
        with CaptureQueriesContext(connection) as captured:
            build_xlsx_export.call(export_id=export.id, event_id=event.pk, query="state=submitted", language="en")
        assert export_get(export.id).ready
        return len(captured.captured_queries)

    for _ in range(3):
        submit(event)
    few = queries_for_an_export()
    for n in range(40):
        submit(event, organisation_name=f"Organisation {n % 7}")
    assert queries_for_an_export() == few
    assert few <= 4
