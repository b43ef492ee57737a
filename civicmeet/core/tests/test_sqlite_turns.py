"""SQLite writers take turns (civicmeet/core/sqlite/base.py): one at a time, promptly, and a
writer that waits too long gets SQLite's own "database is locked"."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest
from django.db import OperationalError, connection, connections, transaction

from civicmeet.organisations.models import Organisation

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only"),
]


def _other_connection(timeout: float):
    """A second connection to the same database file, as another thread or process would open."""
    settings = {**connection.settings_dict, "OPTIONS": {**connection.settings_dict["OPTIONS"], "timeout": timeout}}
    return connections.create_connection("default").__class__(settings, alias="other")


def test_a_writer_waits_for_the_turn_and_then_sees_what_the_first_one_wrote():
    first_inside = threading.Event()
    let_go = threading.Event()
    seen_by_second: list[int] = []

    def first():
        with transaction.atomic():
            Organisation.objects.create(name="Fundacja Zustricz", type="migrant")
            first_inside.set()
            let_go.wait(10)
        connections.close_all()

    def second():
        other = _other_connection(timeout=10)
        try:
            other.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)  # as atomic() does
            with other.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM organisations_organisation")
                seen_by_second.append(cursor.fetchone()[0])
            other.commit()
        finally:
            other.close()

    writer = threading.Thread(target=first)
    writer.start()
    assert first_inside.wait(10)
    waiter = threading.Thread(target=second)
    waiter.start()
    waiter.join(0.3)
    assert waiter.is_alive(), "the second writer must wait while the first holds the turn"
    let_go.set()
    writer.join(10)
    waiter.join(10)
    assert seen_by_second == [1]


def test_a_writer_that_waits_longer_than_the_timeout_gets_database_is_locked():
    other = _other_connection(timeout=0.2)
    with transaction.atomic():
        Organisation.objects.create(name="Fundacja Zustricz", type="migrant")
        with pytest.raises(OperationalError, match="database is locked"):
            other.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    other.close()


def test_the_turn_is_given_back_after_a_rollback():
    other = _other_connection(timeout=0.5)
    with pytest.raises(ValueError), transaction.atomic():
        Organisation.objects.create(name="Fundacja Zustricz", type="migrant")
        raise ValueError("something went wrong mid-transaction")
    other.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    other.rollback()
    other.set_autocommit(True)
    other.close()
    assert not Organisation.objects.exists()


def test_the_turn_is_the_lock_file_next_to_the_database_held_for_the_whole_transaction():
    path = f"{connection.settings_dict['NAME']}.writers"

    def free() -> bool:
        fd = os.open(path, os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
        finally:
            os.close(fd)

    assert free()
    with transaction.atomic():
        assert not free()
        Organisation.objects.create(name="Fundacja Zustricz", type="migrant")
        assert not free()
    assert free()
