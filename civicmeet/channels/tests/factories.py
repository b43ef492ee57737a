"""Personas and items of the channels app, made through its services."""

from __future__ import annotations

from django.contrib.auth.models import Permission

from civicmeet.channels import services
from civicmeet.channels.models import ChannelKind, Helpfulness, Topic
from civicmeet.events.tests.factories import OrganisationFactory, UserFactory
from civicmeet.organisations.models import Representative, RepresentativeSource, RepresentativeStatus


def moderator(email: str = "moderator@civicmeet.example.org"):
    user = UserFactory(email=email)
    user.user_permissions.add(Permission.objects.get(codename="moderate_network"))
    return type(user).objects.get(pk=user.pk)  # a fresh object: permissions are cached per instance


def representative(organisation=None, *, email: str | None = None, language: str = "uk"):
    """An approved representative (and their organisation)."""
    organisation = organisation or OrganisationFactory(name="Fundacja Zustricz")
    user = UserFactory(email=email or f"rep{organisation.pk}@zustricz.example.org")
    Representative.objects.create(
        organisation=organisation,
        user=user,
        status=RepresentativeStatus.APPROVED,
        source=RepresentativeSource.INVITATION,
        language=language,
    )
    return user, organisation


def channel_data(**overrides) -> dict:
    data = {
        "name": "Małopolski Urząd Wojewódzki w Krakowie",
        "department": "Wydział Spraw Cudzoziemców",
        "kind": ChannelKind.VOIVODESHIP_OFFICE,
        "city": "Kraków",
        "region": "malopolskie",
        "topics": [Topic.RESIDENCE],
        "purpose": "Zezwolenia na pobyt czasowy i stały, karty pobytu.",
        "address": "ul. Przy Rondzie 6, 31-547 Kraków",
        "opening_hours": "pon. 10–18, wt.–pt. 8–15",
        "phone": "+48 12 392 11 11",
        "email": "",
        "website": "https://www.malopolska.uw.gov.pl",
        "booking": "Wizyty przez system rezerwacji na stronie urzędu.",
        "languages": ["pl", "en", "uk"],
        "interpreter_available": False,
        "language_notes": "Informacja po ukraińsku i angielsku przy wejściu.",
        "language": "pl",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def published_channel(mod=None, **overrides):
    mod = mod or moderator("channels-moderator@civicmeet.example.org")
    channel = services.channel_create(actor=mod, organisation=None, data=channel_data(**overrides))
    return services.item_publish(item=channel, actor=mod)


def experience_data(**overrides) -> dict:
    data = {
        "text": "Złożyłyśmy wnioski dla 12 osób; urzędniczka pomogła po angielsku.",
        "happened_on": None,
        "helpful": Helpfulness.HELPFUL,
        "language": "pl",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def practice_data(**overrides) -> dict:
    data = {
        "title": "Stały dyżur urzędnika w organizacji",
        "text": "Raz w miesiącu urzędnik przyjmuje u nas: ludzie nie czekają w kolejce.",
        "region": "malopolskie",
        "language": "pl",
        "visibility": "public",
        "channels": [],
    }
    data.update(overrides)
    return data
