"""XLSX exports built by a background task, so that no web worker is held while the workbook is written.

The organiser's POST enqueues `build_xlsx_export`; the request only writes a small JSON sidecar and
redirects to a status page, which polls until the file is there and then offers the download.

Where the files live and for how long (personal data — see docs/data-protection.md):
- `settings.VAR_DIR / "exports"`, never under STATIC_ROOT or MEDIA_ROOT: no URL serves the directory,
  the only way out is the download view, which checks that the user organises the event.
- Each export is `<id>.xlsx` plus `<id>.json` (event, state, creation time); the id is
  `secrets.token_urlsafe(24)` (192 bits), so names cannot be guessed, and it is checked against
  `EXPORT_ID_RE` before it is used in a path.
- Retention: EXPORT_TTL (1 hour) from creation. After that the status and download views answer 404,
  and the files are deleted whenever an export is started or built (`exports_purge_expired`).
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone, translation
from django_tasks import task

from civicmeet.events.models import Event

from . import exports, selectors

logger = logging.getLogger(__name__)

EXPORT_TTL = timedelta(hours=1)
EXPORT_ID_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")


class ExportState:
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True)
class XlsxExport:
    id: str
    event_id: int
    state: str
    created_at: datetime

    @property
    def path(self) -> Path:
        return export_dir() / f"{self.id}.xlsx"

    def expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) - self.created_at >= EXPORT_TTL

    @property
    def ready(self) -> bool:
        return self.state == ExportState.READY and self.path.is_file()


def export_dir() -> Path:
    return Path(settings.VAR_DIR) / "exports"


def _sidecar(export_id: str) -> Path:
    return export_dir() / f"{export_id}.json"


def _write_sidecar(export: XlsxExport) -> None:
    data = {"event": export.event_id, "state": export.state, "created_at": export.created_at.isoformat()}
    temporary = export_dir() / f"{export.id}.json.part"
    temporary.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temporary, _sidecar(export.id))  # readers never see half a sidecar


def export_get(export_id: str) -> XlsxExport | None:
    """The export with this id, or None (unknown, malformed id, unreadable sidecar)."""
    if not EXPORT_ID_RE.match(export_id):
        return None
    try:
        data = json.loads(_sidecar(export_id).read_text(encoding="utf-8"))
        return XlsxExport(
            id=export_id,
            event_id=int(data["event"]),
            state=str(data["state"]),
            created_at=datetime.fromisoformat(data["created_at"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def export_for_event(event: Event, export_id: str) -> XlsxExport | None:
    """The export if it belongs to this event and has not expired (an expired one is deleted)."""
    export = export_get(export_id)
    if export is None or export.event_id != event.pk:
        return None
    if export.expired():
        _delete(export_id)
        return None
    return export


def _delete(export_id: str) -> None:
    for name in (f"{export_id}.xlsx", f"{export_id}.xlsx.part", f"{export_id}.json", f"{export_id}.json.part"):
        (export_dir() / name).unlink(missing_ok=True)


def exports_purge_expired(now: datetime | None = None) -> int:
    """Delete every export older than EXPORT_TTL (by its sidecar, or by file time for a stray file)."""
    now = now or timezone.now()
    directory = export_dir()
    if not directory.is_dir():
        return 0
    deleted = set()
    for path in directory.iterdir():
        export_id = path.name.split(".", 1)[0]
        if export_id in deleted:
            continue
        export = export_get(export_id)
        try:
            created = export.created_at if export else datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
        except FileNotFoundError:
            continue  # deleted meanwhile by another process
        if now - created >= EXPORT_TTL:
            _delete(export_id)
            deleted.add(export_id)
    return len(deleted)


def export_xlsx_start(*, event: Event, query: str, language: str) -> XlsxExport:
    """Record a pending export and enqueue the task that builds it; returns at once.

    `query` is the dashboard's filter query string, `language` the organiser's (headers, labels).
    """
    directory = export_dir()
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)  # personal data: readable by the service account only
    exports_purge_expired()
    export = XlsxExport(
        id=secrets.token_urlsafe(24),
        event_id=event.pk,
        state=ExportState.PENDING,
        created_at=timezone.now(),
    )
    _write_sidecar(export)
    build_xlsx_export.enqueue(export_id=export.id, event_id=event.pk, query=query, language=language)
    return export


@task()
def build_xlsx_export(*, export_id: str, event_id: int, query: str, language: str) -> None:
    """Write the workbook to `<id>.xlsx.part`, then rename it, then mark the sidecar ready."""
    from .forms.manage import RegistrationFilterForm

    exports_purge_expired()
    export = export_get(export_id)
    if export is None or export.event_id != event_id:
        return  # expired and purged before a worker got to it
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        _delete(export_id)
        return
    temporary = export_dir() / f"{export_id}.xlsx.part"
    try:
        with translation.override(language):
            filters = RegistrationFilterForm(QueryDict(query) or None, event=event).filters()
            registrations = selectors.registration_list(event=event, filters=filters)
            with open(temporary, "wb") as target:
                exports.xlsx_write(event, registrations, target)
        os.replace(temporary, export.path)
    except Exception:
        temporary.unlink(missing_ok=True)
        _write_sidecar(XlsxExport(export_id, event_id, ExportState.FAILED, export.created_at))
        logger.exception("XLSX export %s of event %s failed", export_id, event_id)
        raise
    _write_sidecar(XlsxExport(export_id, event_id, ExportState.READY, export.created_at))
