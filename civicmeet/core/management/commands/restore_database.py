"""`manage.py restore_database BACKUP [--force]`: put a backup made by `backup_database` in place.

Restores into the configured database (DATABASE_URL, or the SQLite file under var/). Stop the web
server and the worker first. An existing database is only replaced with --force; for PostgreSQL
the target database must exist (`createdb`), and a fresh, empty one is the safe choice.
Afterwards it applies any newer migrations, so a backup from an older release can be restored.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from ._database import SQLITE, engine, pg_environment, pg_tool, sqlite_path


class Command(BaseCommand):
    help = "Restore a backup made by backup_database into the configured database (stop the site first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", help="A .sqlite3 or .pgdump file written by backup_database.")
        parser.add_argument(
            "--force", action="store_true", help="Replace the data of a database that already has tables."
        )
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, **options) -> None:
        alias = options["database"]
        backup = Path(options["backup"])
        if not backup.is_file():
            raise CommandError(f"No such backup file: {backup}")
        kind = engine(alias)
        connection = connections[alias]
        has_tables = kind != SQLITE or sqlite_path(alias).exists()
        if has_tables:
            with connection.cursor() as cursor:
                has_tables = bool(connection.introspection.table_names(cursor))
        if has_tables and not options["force"]:
            raise CommandError(
                "The target database already has tables. Restore into a fresh database, or add --force to replace them."
            )
        connection.close()
        if kind == SQLITE:
            self._sqlite(backup, sqlite_path(alias))
        else:
            self._postgresql(alias, backup, clean=has_tables)
        call_command("migrate", database=alias, interactive=False, verbosity=0)
        # core knows no app above it: count what every installed model holds.
        count = sum(model._default_manager.using(alias).count() for model in apps.get_models())
        self.stdout.write(f"Restored {backup} ({count} rows).")

    def _sqlite(self, backup: Path, target: Path) -> None:
        with backup.open("rb") as file:
            if file.read(16) != b"SQLite format 3\x00":
                raise CommandError(f"{backup} is not an SQLite database (a PostgreSQL dump needs DATABASE_URL).")
        target.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        destination = sqlite3.connect(target, timeout=20)
        try:
            source.backup(destination, pages=-1)  # also replaces a -wal file's content correctly
        finally:
            destination.close()
            source.close()

    def _postgresql(self, alias: str, backup: Path, *, clean: bool) -> None:
        command = [pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if clean:
            command += ["--clean", "--if-exists"]
        env = pg_environment(alias)
        command += ["--dbname", env.get("PGDATABASE", ""), str(backup)]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
