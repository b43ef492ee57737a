"""Organisations with approved representatives, and their offers and needs (made through the services)."""

from __future__ import annotations

import itertools

from civicmeet.events.tests.factories import UserFactory
from civicmeet.organisations.models import (
    Organisation,
    OrganisationStatus,
    OrganisationType,
    Region,
    Representative,
    RepresentativeSource,
    RepresentativeStatus,
)
from civicmeet.resources import services

_numbers = itertools.count(1)


def organisation(name: str = "", *, status: str = OrganisationStatus.PUBLISHED, **fields) -> Organisation:
    fields.setdefault("type", OrganisationType.MIGRANT)
    fields.setdefault("city", "Kraków")
    fields.setdefault("region", Region.MALOPOLSKIE)
    return Organisation.objects.create(name=name or f"Fundacja {next(_numbers)}", status=status, **fields)


def representative(org: Organisation, *, email: str = "", language: str = "pl", first_name: str = "", status=None):
    user = UserFactory(email=email or f"rep{next(_numbers)}@example.org", first_name=first_name)
    Representative.objects.create(
        organisation=org,
        user=user,
        status=status or RepresentativeStatus.APPROVED,
        source=RepresentativeSource.INVITATION,
        language=language,
    )
    return user


def resource(org: Organisation, actor, **data):
    data.setdefault("direction", "offer")
    data.setdefault("category", "room")
    data.setdefault("title", "Sala")
    data.setdefault("region", org.region)
    data.setdefault("city", org.city)
    return services.resource_create(organisation=org, actor=actor, data=data)


def activity(org: Organisation, actor, **data):
    data.setdefault("title", "Kurs języka polskiego")
    return services.activity_create(organisation=org, actor=actor, data=data)
