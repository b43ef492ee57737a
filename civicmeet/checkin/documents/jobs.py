"""Big documents built by a background task (django-tasks), never in a request: the badges and the
attendance list of hundreds of people. The pattern of registrations.export_tasks:

- The organiser's POST writes a small JSON sidecar and enqueues `build_document`; the status page
  polls (htmx, or a "Check again" link without JavaScript) and shows the progress ("96 of 300"),
  which the task writes into the sidecar after each chunk.
- Files live under `settings.VAR_DIR / "documents"` (mode 0700), never under a served directory;
  the only way out is the download view, which checks that the user organises the event. Each job
  is `<id>.pdf` + `<id>.json`; the id is `secrets.token_urlsafe(24)` (192 bits), checked against
  JOB_ID_RE before it touches a path.
- Retention: JOB_TTL (1 hour) from creation; expired jobs answer 404 and are deleted whenever a job
  is started or built (`jobs_purge_expired`).
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from civicmeet.core.background_files import ID_RE_PATTERN, BackgroundFiles
from civicmeet.events.models import Event

from . import attendance, badges

logger = logging.getLogger(__name__)

JOB_TTL = timedelta(hours=1)
JOB_ID_RE = re.compile(ID_RE_PATTERN)

# kind -> (its name for people, the download's file name without the slug)
KINDS = {
    "badges_sheet": (_("Badges, A4 sheets of 8"), "badges-sheets"),
    "badges_single": (_("Badges, one a page"), "badges"),
    "attendance_pdf": (_("Attendance list (PDF)"), "attendance-list"),
}


class JobState:
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True)
class DocumentJob:
    id: str
    event_id: int
    kind: str
    state: str
    created_at: datetime
    done: int = 0
    total: int = 0

    @property
    def path(self) -> Path:
        return jobs_dir() / f"{self.id}.pdf"

    @property
    def label(self) -> str:
        return str(KINDS[self.kind][0])

    def filename(self, event: Event) -> str:
        return f"{event.slug}-{KINDS[self.kind][1]}.pdf"

    def expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) - self.created_at >= JOB_TTL

    @property
    def ready(self) -> bool:
        return self.state == JobState.READY and self.path.is_file()

    @property
    def failed(self) -> bool:
        return self.state == JobState.FAILED

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


# The files and their sidecars: civicmeet.core.background_files, shared with the XLSX export.
FILES = BackgroundFiles("documents", "pdf", JOB_TTL)


def jobs_dir() -> Path:
    return FILES.directory()


def _sidecar(job_id: str) -> Path:
    return FILES.sidecar(job_id)


def _write_sidecar(job: DocumentJob) -> None:
    data = {
        "event": job.event_id,
        "kind": job.kind,
        "state": job.state,
        "created_at": job.created_at.isoformat(),
        "done": job.done,
        "total": job.total,
    }
    FILES.write_sidecar(job.id, data)


def job_get(job_id: str) -> DocumentJob | None:
    """The job with this id, or None (unknown, malformed id, unreadable sidecar)."""
    if not JOB_ID_RE.match(job_id):
        return None
    data = FILES.read_sidecar(job_id)
    if data is None:
        return None
    try:
        kind = str(data["kind"])
        if kind not in KINDS:
            return None
        return DocumentJob(
            id=job_id,
            event_id=int(data["event"]),
            kind=kind,
            state=str(data["state"]),
            created_at=datetime.fromisoformat(data["created_at"]),
            done=int(data.get("done", 0)),
            total=int(data.get("total", 0)),
        )
    except (ValueError, KeyError, TypeError):
        return None


def job_for_event(event: Event, job_id: str) -> DocumentJob | None:
    """The job if it belongs to this event and has not expired (an expired one is deleted)."""
    job = job_get(job_id)
    if job is None or job.event_id != event.pk:
        return None
    if job.expired():
        _delete(job_id)
        return None
    return job


def _delete(job_id: str) -> None:
    FILES.delete(job_id)


def jobs_purge_expired(now: datetime | None = None) -> int:
    """Delete every job older than JOB_TTL (by its sidecar, or by file time for a stray file)."""
    return FILES.purge_expired(lambda job_id: job.created_at if (job := job_get(job_id)) else None, now)


def document_start(*, event: Event, kind: str, language: str) -> DocumentJob:
    """Record a pending job and enqueue the task that builds it; returns at once."""
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}")
    directory = jobs_dir()
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)  # personal data: readable by the service account only
    jobs_purge_expired()
    job = DocumentJob(
        id=FILES.new_id(), event_id=event.pk, kind=kind, state=JobState.PENDING, created_at=timezone.now()
    )
    _write_sidecar(job)
    build_document.enqueue(job_id=job.id, event_id=event.pk, kind=kind, language=language)
    return job


@task()
def build_document(*, job_id: str, event_id: int, kind: str, language: str) -> None:
    """Write the PDF to `<id>.pdf.part`, reporting progress, then rename it and mark the job ready."""
    jobs_purge_expired()
    job = job_get(job_id)
    if job is None or job.event_id != event_id or job.kind != kind:
        return  # expired and purged before a worker got to it
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        _delete(job_id)
        return

    def progress(done: int, total: int) -> None:
        _write_sidecar(replace(job, done=done, total=total))

    temporary = jobs_dir() / f"{job_id}.pdf.part"
    try:
        with translation.override(language), open(temporary, "wb") as target:
            if kind == "attendance_pdf":
                total = attendance.attendance_write_pdf(event, target, language=language, progress=progress)
            else:
                layout = badges.SHEET if kind == "badges_sheet" else badges.SINGLE
                total = badges.badges_write(event, target, layout=layout, language=language, progress=progress)
        os.replace(temporary, job.path)
    except Exception:
        temporary.unlink(missing_ok=True)
        _write_sidecar(replace(job, state=JobState.FAILED))
        logger.exception("document %s (%s) of event %s failed", job_id, kind, event_id)
        raise
    _write_sidecar(replace(job, state=JobState.READY, done=total, total=total))
