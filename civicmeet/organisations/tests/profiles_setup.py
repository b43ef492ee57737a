"""People and organisations of the directory's and profile's tests."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from civicmeet.events.tests.factories import UserFactory
from civicmeet.organisations.models import (
    NameKind,
    Organisation,
    OrganisationName,
    OrganisationStatus,
    OrganisationType,
    Representative,
    RepresentativeSource,
    RepresentativeStatus,
)


def make_moderator(email: str = "moderator@civicmeet.example.org"):
    user = UserFactory(email=email)
    user.user_permissions.add(Permission.objects.get(codename="moderate_network"))
    return type(user).objects.get(pk=user.pk)  # permissions are cached on the instance


def make_organisation(name: str = "Fundacja Zustricz", *, status: str = OrganisationStatus.PUBLISHED, **values):
    values.setdefault("type", OrganisationType.MIGRANT)
    return Organisation.objects.create(name=name, status=status, **values)


def add_names(organisation: Organisation, *names: tuple[str, str, str]) -> None:
    """(name, language, kind) rows as set-up state."""
    for name, language, kind in names:
        OrganisationName.objects.create(organisation=organisation, name=name, language=language, kind=kind)


def make_representative(organisation: Organisation, email: str, *, contact_public: bool = False, **values):
    user = UserFactory(email=email, **values)
    Representative.objects.create(
        organisation=organisation,
        user=user,
        status=RepresentativeStatus.APPROVED,
        source=RepresentativeSource.INVITATION,
        contact_public=contact_public,
    )
    return type(user).objects.get(pk=user.pk)


ZUSTRICZ_NAMES = (
    ("Фонд «Зустріч»", "uk", NameKind.TRANSLATION),
    ("Zustricz Foundation", "en", NameKind.TRANSLATION),
    ("Zustricz", "", NameKind.ALTERNATE),
)


def profile_url(organisation: Organisation, language: str = "en", slug: str | None = None) -> str:
    from civicmeet.organisations.selectors import organisation_slug

    with translation.override(language):
        return reverse(
            "directory:organisation", kwargs={"pk": organisation.pk, "slug": slug or organisation_slug(organisation)}
        )


def page_url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)
