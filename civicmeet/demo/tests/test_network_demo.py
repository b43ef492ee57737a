"""The demo network: the invitation's organisations published with a representative each, offers
and needs that fit, the programme's projects; idempotent; its pages and API answer."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from civicmeet.channels import examples as channel_examples
from civicmeet.channels.models import Channel, ChannelExperience, GoodPractice, ItemStatus
from civicmeet.demo import content, network
from civicmeet.organisations.models import Organisation, OrganisationStatus, Representative, RepresentativeStatus
from civicmeet.organisations.permissions import is_moderator
from civicmeet.organisations.selectors import organisation_slug
from civicmeet.programmes.models import Project, ProjectOffer
from civicmeet.resources.models import Activity, Resource
from civicmeet.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_every_organisation_of_the_invitation_is_a_published_profile_with_a_representative():
    load_demo()

    names = {spec["name"] for spec in network.ORGANISATIONS}
    co_organisers = {name for name, _type in content.CO_ORGANISERS}
    participants = {person["organisation_name"] for person in content.REGISTRATIONS}
    assert co_organisers | participants <= names
    for organisation in Organisation.objects.filter(name__in=names).prefetch_related("names", "communities"):
        assert organisation.status == OrganisationStatus.PUBLISHED, organisation.name
        assert organisation.description_pl and organisation.description_uk and organisation.description_en
        assert "uk" in {variant.language for variant in organisation.names.all()}, organisation.name
        assert organisation.communities.exists(), organisation.name
        assert organisation.region == "malopolskie"
        assert organisation.website.endswith(".example.org/")
        representative = Representative.objects.get(organisation=organisation)
        assert representative.status == RepresentativeStatus.APPROVED
        assert not representative.user.has_usable_password()  # they sign in by link
        assert SearchDocument.objects.filter(kind="organisation", key=str(organisation.pk)).exists()
    zustricz = Organisation.objects.get(name="Fundacja Zustricz")
    assert {variant.name for variant in zustricz.names.all()} >= {"Зустріч", "Zustricz Foundation"}


def test_the_demo_organiser_moderates_the_network_and_the_output_says_how_representatives_sign_in():
    output = load_demo()

    organiser = get_user_model().objects.get(username=content.ORGANISER_EMAIL)
    assert is_moderator(organiser)
    assert "/accounts/signin/" in output
    assert "mykola.bondarenko@example.org" in output


def test_the_demo_has_offers_and_needs_that_fit_each_other():
    load_demo()

    room_offer = Resource.objects.get(organisation__name="Fundacja Zustricz", category="room", direction="offer")
    room_need = Resource.objects.get(category="room", direction="need")
    assert room_need.organisation.name == "Stowarzyszenie Kultury Żydowskiej „Mezuza”"
    assert room_offer.quantity >= room_need.quantity
    assert set(room_offer.weekdays) & set(room_need.weekdays) == {5}  # Saturdays
    assert room_offer.city == room_need.city == "Kraków"
    interpreting = Resource.objects.get(category="interpreting", direction="offer")
    wanted = Resource.objects.get(category="interpreting", direction="need")
    assert set(interpreting.languages) & set(wanted.languages) == {"prs"}
    assert Activity.objects.filter(looking_for_partners=True).exists()


def test_the_demo_holds_the_programme_and_its_three_projects_with_offers():
    load_demo()

    projects = Project.objects.order_by("short_name")
    assert projects.count() == 3
    assert {"IDZ", "KOMM"} <= {project.short_name for project in projects}
    assert ProjectOffer.objects.filter(project__in=projects).count() >= 3


def test_the_demo_holds_channels_to_local_government_and_one_waiting_for_review():
    load_demo()

    published = Channel.objects.filter(status=ItemStatus.PUBLISHED)
    assert published.filter(name="Małopolski Urząd Wojewódzki w Krakowie").exists()
    assert GoodPractice.objects.filter(status=ItemStatus.PUBLISHED).exists()
    assert ChannelExperience.objects.filter(
        status=ItemStatus.PUBLISHED, organisation__name="Fundacja Zustricz"
    ).exists()
    waiting = Channel.objects.get(name=channel_examples.WAITING["name"])
    assert waiting.status == ItemStatus.SUBMITTED
    assert waiting.author.email == "mykola.bondarenko@example.org"


def snapshot() -> dict:
    return {
        "organisations": list(Organisation.objects.values_list("pk", "name", "status").order_by("pk")),
        "representatives": list(Representative.objects.values_list("pk", "status").order_by("pk")),
        "activities": Activity.objects.count(),
        "resources": Resource.objects.count(),
        "projects": list(Project.objects.values_list("pk", "slug").order_by("pk")),
        "offers": ProjectOffer.objects.count(),
        "channels": list(Channel.objects.values_list("pk", "status").order_by("pk")),
        "practices": GoodPractice.objects.count(),
        "experiences": ChannelExperience.objects.count(),
        "log": sum(organisation.log_entries.count() for organisation in Organisation.objects.all()),
    }


def test_loading_the_demo_network_again_adds_nothing():
    load_demo()
    before = snapshot()

    output = load_demo()

    assert snapshot() == before
    assert "Loaded the demo network" not in output


def test_an_organisation_a_moderator_took_back_to_draft_stays_a_draft():
    load_demo()
    Organisation.objects.filter(name="Fundacja Białoruska Inicjatywa").update(status=OrganisationStatus.DRAFT)

    load_demo()

    assert Organisation.objects.get(name="Fundacja Białoruska Inicjatywa").status == OrganisationStatus.DRAFT


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_the_demo_networks_pages_and_api_answer(language):
    load_demo()
    client = Client()
    urls = [reverse("directory:list"), reverse("programmes:list"), reverse("channels:list")]
    urls += [
        reverse("channels:detail", kwargs={"pk": pk})
        for pk in Channel.objects.filter(status="published").values_list("pk", flat=True)
    ]
    for organisation in Organisation.objects.filter(status=OrganisationStatus.PUBLISHED):
        urls.append(
            reverse("directory:organisation", kwargs={"pk": organisation.pk, "slug": organisation_slug(organisation)})
        )
    for project in Project.objects.all():
        urls.append(reverse("programmes:project", kwargs={"slug": project.slug}))
    urls += [reverse("programmes:offer", kwargs={"pk": pk}) for pk in ProjectOffer.objects.values_list("pk", flat=True)]
    urls = [f"/{language}{url[3:]}" for url in urls]  # reverse() gives the default language's prefix
    urls += [
        "/api/v1/network/organisations",
        "/api/v1/network/resources",
        "/api/v1/network/activities",
        "/api/v1/network/programmes",
        "/api/v1/network/project-offers",
        "/api/v1/network/channels",
        "/api/v1/network/good-practices",
        f"/api/v1/network/channels/{Channel.objects.filter(status='published').first().pk}",
        f"/api/v1/network/projects/{Project.objects.first().slug}",
    ]
    for url in urls:
        response = client.get(url, headers={"Accept-Language": language})
        assert response.status_code == 200, url
    listed = client.get("/api/v1/network/organisations").json()
    assert listed["count"] == Organisation.objects.filter(status="published", visibility="public").count() >= 9
