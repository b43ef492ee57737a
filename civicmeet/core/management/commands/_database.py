"""What the backup and restore commands share: which database, and how to reach PostgreSQL's tools."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connections

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


def engine(alias: str) -> str:
    """ "sqlite" or "postgresql" (the connection's vendor: our SQLite backend is Django's, extended)."""
    vendor = connections[alias].vendor
    if vendor not in (SQLITE, POSTGRESQL):
        raise CommandError(f"Backups support SQLite and PostgreSQL, not {connections[alias].settings_dict['ENGINE']}.")
    return vendor


def sqlite_path(alias: str) -> Path:
    return Path(connections[alias].settings_dict["NAME"])


def pg_environment(alias: str) -> dict[str, str]:
    """libpq's variables for the configured database, so no password appears on a command line."""
    settings = connections[alias].settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGDATABASE", "NAME"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: from PG_BIN_DIR if set, else the PATH (Debian's wrappers pick the newest)."""
    bin_dir = os.environ.get("PG_BIN_DIR")
    path = str(Path(bin_dir) / name) if bin_dir else shutil.which(name)
    if not path or not Path(path).exists():
        raise CommandError(f"{name} not found: install the PostgreSQL client (apt-get install -y postgresql-client).")
    return path
