from __future__ import annotations

from datetime import timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from civicmeet.accounts.models import Team, TeamMember, TeamRole
from civicmeet.events.models import Event
from civicmeet.organisations.models import Organisation, OrganisationType


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    email = factory.Sequence(lambda n: f"organiser{n}@example.org")
    username = factory.SelfAttribute("email")
    password = factory.django.Password("correct horse battery staple")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Stowarzyszenie {n}")
    type = OrganisationType.MIGRANT


class EventFactory(factory.django.DjangoModelFactory):
    """The invitation's meeting, with registration open now and the event two weeks away."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"spotkanie-sieciujace-{n}")
    team = factory.LazyFunction(Team.objects.create)
    title = factory.LazyFunction(
        lambda: {
            "pl": "Spotkanie sieciujące organizacji mniejszości oraz migranckich",
            "uk": "Мережева зустріч організацій меншин і мігрантів",
            "en": "Networking meeting of minority and migrant organisations",
        }
    )
    description = factory.LazyFunction(
        lambda: {
            "pl": "Fundacja Zustricz i Żydowskie Stowarzyszenie Czulent zapraszają do udziału w spotkaniu sieciującym.",
            "en": "The Zustricz Foundation and the Jewish Association Czulent invite you to a networking meeting.",
        }
    )
    venue = factory.LazyFunction(lambda: {"pl": "Kraków", "en": "Kraków"})
    starts_at = factory.LazyFunction(lambda: (timezone.now() + timedelta(days=14)).replace(microsecond=0))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=6))
    timezone = "Europe/Warsaw"
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    registration_closes_at = factory.LazyAttribute(lambda o: o.starts_at - timedelta(days=3))
    capacity = 40
    seats_per_organisation = None
    is_published = True

    @factory.post_generation
    def organisers(self, create, extracted, **kwargs):
        for user in extracted or []:
            TeamMember.objects.create(team=self.team, user=user, role=TeamRole.ORGANISER)
