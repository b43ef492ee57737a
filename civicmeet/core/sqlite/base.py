"""Django's SQLite backend, with writers taking turns promptly instead of sleeping for long.

SQLite lets one transaction write at a time. Every write transaction here starts with
`BEGIN IMMEDIATE` (settings: a transaction that reads first could not wait for the lock at all),
and a connection that finds the lock taken waits in SQLite's busy handler, which sleeps 1, 2, 5,
10, 15, 20, 25 … 100 ms between attempts. Under a burst of registrations the lock is free again
after a millisecond or two while the waiters sleep on: the cores stay idle and the slowest
registrations took over a second (measured, docs/performance.md).

So before `BEGIN IMMEDIATE` each connection takes an advisory lock on a file next to the
database (`<database>.writers`), trying again every 0.05–0.5 ms, and lets go of it after COMMIT
or ROLLBACK. Every connection — each thread of each process — tries on equal terms, so no process
can keep the turn to itself. Waiting longer than the database `timeout` option ends in the same
"database is locked" error as before. Writes outside a transaction, and other programs opening the
file, are still kept in order by SQLite itself.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time

from django.db.backends.sqlite3 import base, creation

_FIRST_POLL = 0.00005
_LONGEST_POLL = 0.0005


def turns_path(database: str) -> str:
    """The lock file the writers of this database take turns with."""
    return os.path.abspath(str(database)) + ".writers"


class DatabaseCreation(creation.DatabaseCreation):
    def _destroy_test_db(self, test_database_name, verbosity):
        super()._destroy_test_db(test_database_name, verbosity)  # type: ignore[misc]  # private: not in django-stubs
        if not self.is_in_memory_db(test_database_name):
            try:
                os.remove(turns_path(test_database_name))
            except FileNotFoundError:
                pass


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation

    # This connection's open lock file, and whether it holds the turn.
    _turn_fd: int | None = None
    _turn_path: str | None = None
    _turn_pid: int | None = None
    _holds_turn = False

    def _turn_file(self) -> int | None:
        if self.is_in_memory_db():
            return None
        path = turns_path(self.settings_dict["NAME"])
        if self._turn_pid != os.getpid():
            # A connection object inherited through fork shares the parent's open file (and so
            # its lock): open a new one.
            self._turn_fd = self._turn_path = None
            self._holds_turn = False
            self._turn_pid = os.getpid()
        if self._turn_path != path:
            self._close_turn_file()
            # One open file per connection: the lock belongs to the open file, so every connection
            # (thread) has its own, and a forked process opens new ones (new connections).
            self._turn_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._turn_path = path
        return self._turn_fd

    def _close_turn_file(self) -> None:
        if self._turn_fd is not None:
            os.close(self._turn_fd)  # also lets go of the lock
            self._turn_fd = self._turn_path = None
            self._holds_turn = False

    def _take_turn(self) -> None:
        fd = self._turn_file()
        if fd is None or self._holds_turn:
            return
        deadline = time.monotonic() + float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        poll = _FIRST_POLL
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._holds_turn = True
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    # The same error (Django's, wrapping SQLite's) as when SQLite itself gives up.
                    with self.wrap_database_errors:
                        raise sqlite3.dbapi2.OperationalError("database is locked") from None
                time.sleep(poll)
                poll = min(poll * 2, _LONGEST_POLL)

    def _give_back_turn(self) -> None:
        if self._holds_turn:
            self._holds_turn = False
            assert self._turn_fd is not None  # the turn is held through this open file
            fcntl.flock(self._turn_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self):
        self._take_turn()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # private: not in django-stubs
        except BaseException:
            self._give_back_turn()
            raise

    def _commit(self):
        try:
            return super()._commit()  # type: ignore[misc]  # private: not in django-stubs
        finally:
            self._give_back_turn()

    def _rollback(self):
        try:
            return super()._rollback()  # type: ignore[misc]  # private: not in django-stubs
        finally:
            self._give_back_turn()

    def _close(self):
        try:
            return super()._close()  # type: ignore[misc]  # private: not in django-stubs
        finally:
            self._close_turn_file()
