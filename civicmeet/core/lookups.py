"""Query helpers shared by the apps."""

from __future__ import annotations

from django.db.models import Value
from django.db.models.functions import Lower
from django.db.models.lookups import Exact


def lower_equals(field: str, value: str) -> Exact:
    """`lower(field) = lower(value)`: a case-insensitive match that uses an index on Lower(field).

    Django's `__iexact` compiles to LIKE on SQLite and UPPER() on PostgreSQL, neither of which the
    unique Lower() indexes serve: with them, every check scanned all the rows (measured on the
    registration path, docs/performance.md). Use it as `Model.objects.filter(lower_equals(...))`.
    """
    return Exact(Lower(field), Lower(Value(value)))


class PreparedQuery:
    """A query on a hot path, built by the ORM once per process and then run as plain SQL.

    Building a query through the ORM costs more than running a simple one (measured on the
    event page and the registration path, docs/performance.md). `build` receives one placeholder
    object per name and returns the queryset; `fetchone(**values)` runs it with the values in
    their places. Only for simple lookups whose parameters are passed to the database as they are.
    """

    def __init__(self, build, *names: str) -> None:
        self._build = build
        self._names = names
        self._compiled: dict[tuple[str, str], tuple[str, tuple]] = {}

    def _sql(self, connection) -> tuple[str, tuple]:
        key = (connection.alias, connection.vendor)
        if key not in self._compiled:
            placeholders = {name: f"\x00{name}\x00" for name in self._names}
            sql, params = self._build(**placeholders).query.sql_with_params()
            by_placeholder = {value: name for name, value in placeholders.items()}
            self._compiled[key] = (sql, tuple(by_placeholder.get(param, (param,)) for param in params))
        return self._compiled[key]

    def fetchone(self, connection, **values) -> tuple | None:
        sql, params = self._sql(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, tuple(values[param] if isinstance(param, str) else param[0] for param in params))
            return cursor.fetchone()
