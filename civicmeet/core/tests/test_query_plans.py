"""The lookups on the hot paths are served by an index, on SQLite and on PostgreSQL.

A case-insensitive match written as `__iexact` cannot use the unique Lower() indexes (LIKE on
SQLite, UPPER() on PostgreSQL): every registration then scanned all of the event's rows. The
plans are read from the database itself; PostgreSQL is told not to prefer a scan of a small table.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicmeet.core.lookups import lower_equals
from civicmeet.events.page_cache import event_version_from_database
from civicmeet.organisations.services import organisation_find
from civicmeet.registrations.models import Registration
from civicmeet.registrations.services import _already_registered
from civicmeet.registrations.tests.factories import submit

pytestmark = pytest.mark.django_db


def _plan(queryset_or_sql, params=()) -> str:
    if isinstance(queryset_or_sql, str):
        sql = queryset_or_sql
    else:
        sql, params = queryset_or_sql.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row) for row in cursor.fetchall())


def _plans_of_queries_run_by(function) -> list[str]:
    """The plans of the queries `function` really runs (as the database received them)."""
    with CaptureQueriesContext(connection) as captured:
        function()
    return [_plan(query["sql"]) for query in captured.captured_queries]


def test_one_email_per_event_is_checked_through_its_unique_index(event):
    if connection.vendor == "postgresql":
        # The planner's statistics of a real table, the same on every run: without them it chose
        # between the event's index and the unique one by whatever autovacuum had last seen of the
        # test database (and the test failed when autovacuum had analysed a nearly empty table).
        for index in range(40):
            submit(event, email=f"person{index}@example.org")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registrations_registration")
    (plan,) = _plans_of_queries_run_by(lambda: _already_registered(event, "Olena@Example.org"))
    assert "registration_one_per_email" in plan, plan


def test_an_organisation_is_found_by_name_through_its_unique_index():
    (plan,) = _plans_of_queries_run_by(lambda: organisation_find(name="Fundacja  Zustricz"))
    assert "organisation_name_unique_ci" in plan, plan


def test_iexact_would_not_use_the_index(event):
    """Why lower_equals exists: the same match written with __iexact scans (on both databases)."""
    plan = _plan(Registration.objects.filter(event=event, email__iexact="Olena@Example.org").order_by()[:1])
    assert "registration_one_per_email" not in plan, plan


def test_lower_equals_is_case_insensitive(event):
    registration = submit(event, email="Olena.Kowalenko@Example.org")
    assert list(Registration.objects.filter(lower_equals("email", "olena.kowalenko@EXAMPLE.ORG"))) == [registration]


def test_the_event_page_version_is_read_through_the_slug_index(event):
    (plan,) = _plans_of_queries_run_by(lambda: event_version_from_database(slug=event.slug))
    assert "slug" in plan and ("INDEX" in plan.upper()), plan
