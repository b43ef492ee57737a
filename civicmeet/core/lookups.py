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
