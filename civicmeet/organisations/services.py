from __future__ import annotations

from django.db import IntegrityError, transaction

from civicmeet.core.lookups import lower_equals

from .models import Organisation


def normalise_organisation_name(name: str) -> str:
    return " ".join(name.split())


def organisation_find(*, name: str) -> Organisation | None:
    """The organisation with this name (case-insensitive, spaces normalised), if it is known."""
    found = Organisation.objects.filter(lower_equals("name", normalise_organisation_name(name))).order_by()[:1]
    return found[0] if found else None


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
