from __future__ import annotations

from django.db import IntegrityError, connections, transaction

from civicmeet.core.lookups import PreparedQuery, lower_equals

from .models import Organisation


def normalise_organisation_name(name: str) -> str:
    return " ".join(name.split())


# Asked for every registration that names an organisation.
_FIND_FIELDS = ("id", "name", "type")
_FIND = PreparedQuery(
    lambda name: Organisation.objects.filter(lower_equals("name", name)).order_by().values_list(*_FIND_FIELDS)[:1],
    "name",
)


def organisation_find(*, name: str) -> Organisation | None:
    """The organisation with this name (case-insensitive, spaces normalised), if it is known."""
    connection = connections[Organisation.objects.db]
    row = _FIND.fetchone(connection, name=normalise_organisation_name(name))
    # Its other columns are loaded if something asks for them.
    return Organisation.from_db(connection.alias, _FIND_FIELDS, row) if row else None


def organisation_get_or_create(*, name: str, type: str) -> Organisation:
    """Find an organisation by its name (case-insensitive) or create it with the given type."""
    name = normalise_organisation_name(name)
    existing = organisation_find(name=name)
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Organisation.objects.create(name=name, type=type)
    except IntegrityError:
        # Two people named the same new organisation at the same moment.
        return Organisation.objects.get(lower_equals("name", name))
