"""`manage.py backup_database [--output PATH]`: a consistent copy of the database while it is in use.

- SQLite: SQLite's online backup API copies the database in one step from a read transaction, so
  the copy is a snapshot of one moment; the web server and worker keep reading and writing (WAL).
  The result is a single self-contained SQLite file.
- PostgreSQL: `pg_dump --format=custom` (one snapshot transaction, no lock on writers).

The file is written next to its final name and renamed when complete, so a half-written backup
never looks like a backup. Prints the path on the last line. Restore with `restore_database`.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ._database import SQLITE, engine, pg_environment, pg_tool, sqlite_path


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup or pg_dump) while the site keeps running."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            help="The backup file to write (default: var/backups/civicmeet-<date>-<time>.sqlite3 or .pgdump).",
        )
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, **options) -> None:
        alias = options["database"]
        kind = engine(alias)
        suffix = ".sqlite3" if kind == SQLITE else ".pgdump"
        if options["output"]:
            output = Path(options["output"])
        else:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.VAR_DIR) / "backups" / f"civicmeet-{stamp}{suffix}"
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        partial.unlink(missing_ok=True)
        try:
            if kind == SQLITE:
                self._sqlite(alias, partial)
            else:
                self._postgresql(alias, partial)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        partial.chmod(0o600)  # personal data
        partial.replace(output)
        self.stdout.write(str(output))

    def _sqlite(self, alias: str, target: Path) -> None:
        source_path = sqlite_path(alias)
        if not source_path.exists():
            raise CommandError(f"The database {source_path} does not exist.")
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=20)
        destination = sqlite3.connect(target)
        try:
            # pages=-1: everything in one step, so the copy is one snapshot even while others write.
            source.backup(destination, pages=-1)
            destination.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
            (result,) = destination.execute("PRAGMA integrity_check").fetchone()
            if result != "ok":
                raise CommandError(f"The backup failed its integrity check: {result}")
        finally:
            destination.close()
            source.close()

    def _postgresql(self, alias: str, target: Path) -> None:
        command = [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)]
        result = subprocess.run(command, env=pg_environment(alias), capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
