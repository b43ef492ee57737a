from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from civicmeet.events.tests.factories import OrganisationFactory, UserFactory
from civicmeet.organisations.models import Representative, RepresentativeSource, RepresentativeStatus
from civicmeet.programmes import services
from civicmeet.programmes.models import OfferKind


def representative(organisation, *, email: str, language: str = "pl"):
    """An approved representative of `organisation` (created as the moderators' approval would)."""
    user = UserFactory(email=email)
    Representative.objects.create(
        organisation=organisation,
        user=user,
        status=RepresentativeStatus.APPROVED,
        source=RepresentativeSource.INVITATION,
        language=language,
    )
    return user


def make_project(*, organisation=None, slug: str = "komm", short_name: str = "KOMM", visibility: str = "public"):
    programme = services.programme_save(
        slug="aktywni-obywatele",
        data={"name": {"pl": "Aktywni Obywatele – Fundusz Krajowy", "en": "Active Citizens – National Fund"}},
    )
    return services.project_save(
        programme=programme,
        organisation=organisation or OrganisationFactory(name="Żydowskie Stowarzyszenie Czulent"),
        slug=slug,
        data={
            "title": {"pl": "Koalicja organizacji mniejszości", "uk": "Коаліція організацій меншин"},
            "short_name": short_name,
            "visibility": visibility,
        },
    )


def make_offer(project, *, seats: int | None = 2, **data):
    starts = (timezone.now() + timedelta(days=20)).replace(microsecond=0)
    values = {
        "kind": OfferKind.TRAINING,
        "title": {"pl": "Szkolenie: jak zbudować koalicję", "uk": "Тренінг: як побудувати коаліцію"},
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=4),
        "city": "Kraków",
        "region": "malopolskie",
        "languages": ["pl", "uk"],
        "seats": seats,
        **data,
    }
    return services.offer_save(project=project, data=values)


def person(name: str = "Olena Kovalenko", email: str = "olena@example.org", language: str = "uk", **extra):
    return services.SignUpData(name=name, email=email, language=language, **extra)
