"""Files made in the background for one person to download: `<id>.<extension>` under
`VAR_DIR/<folder>`, beside a JSON sidecar `<id>.json` saying what it is and how far it has got.

Ids are `secrets.token_urlsafe(24)` (192 bits, 32 characters), checked against `ID_RE` before they
become a path; a sidecar is replaced whole (readers never see half of one); every file of an id is
deleted after the store's time to live. No URL serves the folder: each app's download view checks
who may have the file. Used by the registrations' XLSX export and the meeting's documents.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

ID_RE_PATTERN = r"^[A-Za-z0-9_-]{32}$"


class BackgroundFiles:
    def __init__(self, folder: str, extension: str, ttl: timedelta) -> None:
        self.folder, self.extension, self.ttl = folder, extension, ttl

    def directory(self) -> Path:
        return Path(settings.VAR_DIR) / self.folder

    @staticmethod
    def new_id() -> str:
        return secrets.token_urlsafe(24)

    def file(self, file_id: str) -> Path:
        return self.directory() / f"{file_id}.{self.extension}"

    def sidecar(self, file_id: str) -> Path:
        return self.directory() / f"{file_id}.json"

    def write_sidecar(self, file_id: str, data: dict[str, Any]) -> None:
        temporary = self.directory() / f"{file_id}.json.part"
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, self.sidecar(file_id))  # readers never see half a sidecar

    def read_sidecar(self, file_id: str) -> dict[str, Any] | None:
        """The sidecar's data, or None (unreadable, not JSON, not an object)."""
        try:
            data = json.loads(self.sidecar(file_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def delete(self, file_id: str) -> None:
        for suffix in (self.extension, f"{self.extension}.part", "json", "json.part"):
            (self.directory() / f"{file_id}.{suffix}").unlink(missing_ok=True)

    def purge_expired(self, created_at: Callable[[str], datetime | None], now: datetime | None = None) -> int:
        """Delete every id older than the time to live: by `created_at(id)` (its sidecar's time),
        or by the file's own time for a stray file."""
        now = now or timezone.now()
        directory = self.directory()
        if not directory.is_dir():
            return 0
        deleted = set()
        for path in directory.iterdir():
            file_id = path.name.split(".", 1)[0]
            if file_id in deleted:
                continue
            created = created_at(file_id)
            try:
                created = created or datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
            except FileNotFoundError:
                continue  # deleted meanwhile by another process
            if now - created >= self.ttl:
                self.delete(file_id)
                deleted.add(file_id)
        return len(deleted)
