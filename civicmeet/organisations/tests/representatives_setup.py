"""People and organisations of the representatives' tests (also usable by other network tests)."""

from __future__ import annotations

from civicmeet.events.tests.factories import OrganisationFactory, UserFactory
from civicmeet.organisations.models import (
    Organisation,
    OrganisationStatus,
    Representative,
    RepresentativeSource,
    RepresentativeStatus,
)
from civicmeet.organisations.tests.data_fixtures import moderator

__all__ = ["moderator", "published_organisation", "person", "representative_of"]


def published_organisation(name: str = "Fundacja Zustricz", **values) -> Organisation:
    organisation = OrganisationFactory(name=name, **values)
    if organisation.status != OrganisationStatus.PUBLISHED:
        Organisation.objects.filter(pk=organisation.pk).update(status=OrganisationStatus.PUBLISHED)
        organisation.refresh_from_db()
    return organisation


def person(email: str, *, name: str = ""):
    """An account as the sign-in by link makes it: the email as username, no usable password."""
    user = UserFactory(email=email, first_name=name)
    user.set_unusable_password()
    user.save()
    return user


def representative_of(
    organisation: Organisation,
    user,
    *,
    status: str = RepresentativeStatus.APPROVED,
    language: str = "pl",
    source: str = RepresentativeSource.INVITATION,
) -> Representative:
    """A representative row as set up state (the services are tested on their own)."""
    return Representative.objects.create(
        organisation=organisation, user=user, status=status, source=source, language=language
    )
