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

import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.http import QueryDict
from django.utils import timezone, translation
from django_tasks import task

from civicmeet.core.background_files import ID_RE_PATTERN, BackgroundFiles
from civicmeet.events.models import Event

from . import exports, selectors

logger = logging.getLogger(__name__)

EXPORT_TTL = timedelta(hours=1)
EXPORT_ID_RE = re.compile(ID_RE_PATTERN)


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


# The files and their sidecars: civicmeet.core.background_files, shared with the meeting's documents.
FILES = BackgroundFiles("exports", "xlsx", EXPORT_TTL)


def export_dir() -> Path:
    return FILES.directory()


def _sidecar(export_id: str) -> Path:
    return FILES.sidecar(export_id)


def _write_sidecar(export: XlsxExport) -> None:
    FILES.write_sidecar(
        export.id, {"event": export.event_id, "state": export.state, "created_at": export.created_at.isoformat()}
    )


def export_get(export_id: str) -> XlsxExport | None:
    """The export with this id, or None (unknown, malformed id, unreadable sidecar)."""
    if not EXPORT_ID_RE.match(export_id):
        return None
    data = FILES.read_sidecar(export_id)
    if data is None:
        return None
    try:
        return XlsxExport(
            id=export_id,
            event_id=int(data["event"]),
            state=str(data["state"]),
            created_at=datetime.fromisoformat(data["created_at"]),
        )
    except (ValueError, KeyError, TypeError):
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
    FILES.delete(export_id)


def exports_purge_expired(now: datetime | None = None) -> int:
    """Delete every export older than EXPORT_TTL (by its sidecar, or by file time for a stray file)."""
    return FILES.purge_expired(lambda export_id: export.created_at if (export := export_get(export_id)) else None, now)


def export_xlsx_start(*, event: Event, query: str, language: str) -> XlsxExport:
    """Record a pending export and enqueue the task that builds it; returns at once.

    `query` is the dashboard's filter query string, `language` the organiser's (headers, labels).
    """
    directory = export_dir()
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)  # personal data: readable by the service account only
    exports_purge_expired()
    export = XlsxExport(
        id=FILES.new_id(),
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
