"""The network's read-only API: who sees what, filters, search, and constant query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civicmeet.accounts.models import ApiToken
from civicmeet.channels.tests.factories import published_channel
from civicmeet.events.tests.factories import UserFactory
from civicmeet.organisations.models import (
    Community,
    NameKind,
    Organisation,
    OrganisationName,
    Representative,
    RepresentativeSource,
    RepresentativeStatus,
)
from civicmeet.organisations.search_documents import organisations_reindex_all
from civicmeet.programmes.tests.factories import make_offer, make_project
from civicmeet.resources.models import Activity, Resource

from .conftest import JSONClient

pytestmark = pytest.mark.django_db

BASE = "/api/v1/network"


def organisation(name: str, **fields) -> Organisation:
    values = {
        "type": "migrant",
        "status": "published",
        "visibility": "public",
        "city": "Kraków",
        "region": "malopolskie",
        "working_languages": ["uk", "pl"],
        **fields,
    }
    communities = values.pop("communities", [])
    created = Organisation.objects.create(name=name, **values)
    created.communities.set(Community.objects.filter(slug__in=communities))
    return created


@pytest.fixture
def zustricz():
    org = organisation(
        "Fundacja Zustricz",
        communities=["ukrainian"],
        contact_email="kontakt@zustricz.example.org",
        contact_visibility="members",
        description_pl="Fundacja ukraińskiej społeczności Krakowa.",
        description_en="A foundation of Kraków's Ukrainian community.",
        nip="6762459734",
    )
    OrganisationName.objects.create(organisation=org, name="Зустріч", language="uk", kind=NameKind.TRANSLATION)
    OrganisationName.objects.create(
        organisation=org, name="Zustricz Foundation", language="en", kind=NameKind.TRANSLATION
    )
    return org


@pytest.fixture
def member_client(outsider):
    """An organiser of an event: a member of the network."""
    return JSONClient(token=ApiToken.issue(outsider))


@pytest.fixture
def moderator_client():
    user = UserFactory(email="moderator@civicmeet.example.org")
    user.user_permissions.add(Permission.objects.get(codename="moderate_network"))
    return JSONClient(token=ApiToken.issue(user))


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


# -- Organisations ---------------------------------------------------------------------------


def test_anonymous_callers_see_public_published_organisations_only(
    api_client, zustricz, member_client, moderator_client
):
    organisation("Stowarzyszenie dla członków", visibility="members")
    organisation("Fundacja prywatna", visibility="private")
    organisation("Szkic z rejestracji", status="draft")

    assert names(api_client.get(f"{BASE}/organisations")) == ["Fundacja Zustricz"]
    assert names(member_client.get(f"{BASE}/organisations")) == ["Fundacja Zustricz", "Stowarzyszenie dla członków"]
    assert sorted(names(moderator_client.get(f"{BASE}/organisations"))) == [
        "Fundacja Zustricz",
        "Fundacja prywatna",
        "Stowarzyszenie dla członków",
    ]


def test_an_unknown_token_is_refused_rather_than_treated_as_anonymous(zustricz):
    response = JSONClient(token="not-a-token").get(f"{BASE}/organisations")

    assert response.status_code == 401
    assert response.json()["code"]


def test_organisation_list_reads_the_name_in_the_callers_language(api_client, zustricz):
    item = api_client.get(f"{BASE}/organisations", headers={"Accept-Language": "uk"}).json()["items"][0]

    assert item["display_name"] == "Зустріч"
    assert item["name"] == "Fundacja Zustricz"
    assert item["communities"] == ["ukrainian"]
    assert item["url"].endswith(f"/network/organisations/{zustricz.pk}-fundacja-zustricz/")


def test_organisation_list_filters_by_type_community_language_and_region(api_client, zustricz):
    organisation(
        "Stowarzyszenie Romów Małopolski", type="ethnic_minority", communities=["roma"], working_languages=["rom", "pl"]
    )
    organisation(
        "Towarzystwo Łemków",
        type="ethnic_minority",
        communities=["lemko"],
        region="podkarpackie",
        working_languages=["rue", "pl"],
    )

    assert names(api_client.get(f"{BASE}/organisations", {"type": "ethnic_minority"})) == [
        "Stowarzyszenie Romów Małopolski",
        "Towarzystwo Łemków",
    ]
    assert names(api_client.get(f"{BASE}/organisations", {"community": "roma"})) == ["Stowarzyszenie Romów Małopolski"]
    assert names(api_client.get(f"{BASE}/organisations", {"language": "uk"})) == ["Fundacja Zustricz"]
    assert names(api_client.get(f"{BASE}/organisations", {"region": "podkarpackie"})) == ["Towarzystwo Łemków"]


@pytest.mark.parametrize(
    ("query", "field"),
    [({"type": "cooperative"}, "type"), ({"region": "bavaria"}, "region"), ({"language": "Ukrainian"}, "language")],
)
def test_organisation_list_refuses_unknown_filter_values_naming_the_field(api_client, query, field):
    response = api_client.get(f"{BASE}/organisations", query)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["detail"]] == [field]


def test_organisation_search_finds_any_name_variant_with_a_typo_and_respects_visibility(
    api_client, member_client, zustricz
):
    organisation("Stowarzyszenie Romów Małopolski", type="ethnic_minority")
    hidden = organisation("Fundacja Zustricz Oddział", visibility="members")
    organisations_reindex_all()

    assert names(api_client.get(f"{BASE}/organisations", {"q": "зустріч"})) == ["Fundacja Zustricz"]
    assert names(api_client.get(f"{BASE}/organisations", {"q": "Zustrcz Foundation"})) == ["Fundacja Zustricz"]
    found = member_client.get(f"{BASE}/organisations", {"q": "zustricz"}).json()
    assert {item["id"] for item in found["items"]} == {zustricz.pk, hidden.pk}
    assert found["count"] == 2
    assert names(api_client.get(f"{BASE}/organisations", {"q": "zustricz", "type": "ethnic_minority"})) == []


def _queries(client, url) -> int:
    client.get(url)  # a token's first use of the minute records it (api.auth); count a usual request
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_organisation_list_runs_the_same_queries_for_2_or_12_organisations(member_client):
    for index in range(2):
        org = organisation(f"Organizacja {index}", communities=["ukrainian", "jewish"])
        OrganisationName.objects.create(organisation=org, name=f"Організація {index}", language="uk")
    few = _queries(member_client, f"{BASE}/organisations")
    for index in range(2, 12):
        org = organisation(f"Organizacja {index}", communities=["roma"])
        OrganisationName.objects.create(organisation=org, name=f"Організація {index}", language="uk")

    assert _queries(member_client, f"{BASE}/organisations") == few


def test_organisation_detail_shows_contacts_and_representatives_only_to_those_allowed(
    api_client, member_client, zustricz
):
    user = UserFactory(email="olena@zustricz.example.org", first_name="Olena", last_name="Kowalenko")
    Representative.objects.create(
        organisation=zustricz,
        user=user,
        status=RepresentativeStatus.APPROVED,
        source=RepresentativeSource.INVITATION,
        role="Prezeska",
        contact_public=True,
    )
    Representative.objects.create(
        organisation=zustricz,
        user=UserFactory(email="quiet@zustricz.example.org"),
        status=RepresentativeStatus.APPROVED,
        source=RepresentativeSource.INVITATION,
        contact_public=False,
    )
    url = f"{BASE}/organisations/{zustricz.pk}"

    public = api_client.get(url).json()
    member = member_client.get(url).json()

    assert public["contact"] is None
    assert public["representatives"] == []
    assert member["contact"]["email"] == "kontakt@zustricz.example.org"
    assert member["representatives"] == [
        {"name": "Olena Kowalenko", "role": "Prezeska", "email": "olena@zustricz.example.org"}
    ]
    assert public["nip"] == "6762459734"
    assert public["description"] == {
        "pl": "Fundacja ukraińskiej społeczności Krakowa.",
        "en": "A foundation of Kraków's Ukrainian community.",
    }
    assert {(n["name"], n["language"]) for n in public["names"]} == {("Зустріч", "uk"), ("Zustricz Foundation", "en")}
    assert public["languages"] == [{"code": "uk", "name": "Ukrainian"}, {"code": "pl", "name": "Polish"}]
    assert public["communities_served"][0]["names"]["uk"] == "українська"


def test_organisation_detail_names_a_parent_only_when_visible(api_client, member_client):
    federation = organisation("Federacja Organizacji Migranckich", visibility="members")
    child = organisation("Fundacja Członkowska", parent=federation)

    assert api_client.get(f"{BASE}/organisations/{child.pk}").json()["parent"] is None
    assert member_client.get(f"{BASE}/organisations/{child.pk}").json()["parent"] == {
        "id": federation.pk,
        "name": "Federacja Organizacji Migranckich",
    }
    assert member_client.get(f"{BASE}/organisations/{federation.pk}").json()["members"] == [
        {"id": child.pk, "name": "Fundacja Członkowska"}
    ]


@pytest.mark.parametrize("case", ["draft", "members", "unknown", "huge"])
def test_organisation_detail_answers_404_for_what_the_caller_may_not_see(api_client, case):
    if case == "draft":
        target = organisation("Szkic", status="draft").pk
    elif case == "members":
        target = organisation("Dla członków", visibility="members").pk
    else:
        target = 999_999 if case == "unknown" else 2**70
    response = api_client.get(f"{BASE}/organisations/{target}")

    assert response.status_code in (404, 422) if case == "huge" else response.status_code == 404


def test_organisation_detail_runs_the_same_queries_with_0_or_5_names_and_communities(member_client):
    bare = organisation("Goła Organizacja")
    rich = organisation("Bogata Organizacja", communities=["ukrainian", "jewish", "roma", "lemko", "armenian"])
    for index in range(5):
        OrganisationName.objects.create(organisation=rich, name=f"Wariant {index}", kind=NameKind.ALTERNATE)
        Representative.objects.create(
            organisation=rich,
            user=UserFactory(email=f"rep{index}@example.org"),
            status=RepresentativeStatus.APPROVED,
            source=RepresentativeSource.INVITATION,
            contact_public=True,
        )

    assert _queries(member_client, f"{BASE}/organisations/{bare.pk}") == _queries(
        member_client, f"{BASE}/organisations/{rich.pk}"
    )


def test_communities_are_listed_with_their_names_in_each_language(api_client):
    items = api_client.get(f"{BASE}/communities", headers={"Accept-Language": "pl"}).json()["items"]

    ukrainian = next(item for item in items if item["slug"] == "ukrainian")
    assert ukrainian["name"] == "ukraińska"
    assert ukrainian["names"] == {"pl": "ukraińska", "uk": "українська", "en": "Ukrainian"}


# -- Activities, offers and needs ---------------------------------------------------------------


def test_resources_follow_their_own_and_their_organisations_visibility(api_client, member_client, zustricz):
    today = timezone.localdate()
    members_only = organisation("Stowarzyszenie dla członków", visibility="members")
    Resource.objects.create(
        organisation=zustricz, direction="offer", category="room", title="Sala na 40 osób", quantity=40, weekdays=[5]
    )
    Resource.objects.create(
        organisation=zustricz, direction="need", category="room", title="Dla członków", visibility="members"
    )
    Resource.objects.create(
        organisation=members_only, direction="offer", category="room", title="Organizacji dla członków"
    )
    Resource.objects.create(organisation=zustricz, direction="offer", category="room", title="Nieaktywna", active=False)
    Resource.objects.create(
        organisation=zustricz,
        direction="offer",
        category="room",
        title="Minęła",
        active_until=today - timedelta(days=1),
    )
    draft = organisation("Szkic", status="draft")
    Resource.objects.create(organisation=draft, direction="offer", category="room", title="Szkicu")

    public = api_client.get(f"{BASE}/resources").json()
    assert [item["title"] for item in public["items"]] == ["Sala na 40 osób"]
    assert public["items"][0]["weekdays"] == [5]
    # Named in the caller's language (English here).
    assert public["items"][0]["organisation"] == {"id": zustricz.pk, "name": "Zustricz Foundation"}
    member_titles = {item["title"] for item in member_client.get(f"{BASE}/resources").json()["items"]}
    assert member_titles == {"Sala na 40 osób", "Dla członków", "Organizacji dla członków"}
    needs = member_client.get(f"{BASE}/resources", {"direction": "need"}).json()["items"]
    assert [item["title"] for item in needs] == ["Dla członków"]
    assert api_client.get(f"{BASE}/resources", {"category": "teleport"}).status_code == 422


def test_resource_list_runs_the_same_queries_for_1_or_10(api_client, zustricz):
    Resource.objects.create(organisation=zustricz, direction="offer", category="room", title="Sala 0")
    few = _queries(api_client, f"{BASE}/resources")
    for index in range(1, 10):
        other = organisation(f"Organizacja {index}")
        OrganisationName.objects.create(organisation=other, name=f"Організація {index}", language="uk")
        Resource.objects.create(organisation=other, direction="need", category="transport", title=f"Bus {index}")

    assert _queries(api_client, f"{BASE}/resources") == few


def test_activities_leave_out_finished_ones_and_filter_by_partners(api_client, zustricz):
    today = timezone.localdate()
    Activity.objects.create(organisation=zustricz, title="Kurs polskiego", starts_on=today, looking_for_partners=True)
    Activity.objects.create(organisation=zustricz, title="Festiwal", starts_on=today + timedelta(days=30))
    Activity.objects.create(
        organisation=zustricz, title="Dawno", starts_on=today - timedelta(days=90), ends_on=today - timedelta(days=60)
    )

    items = api_client.get(f"{BASE}/activities").json()["items"]
    assert [(item["title"], item["timing"]) for item in items] == [
        ("Kurs polskiego", "current"),
        ("Festiwal", "planned"),
    ]
    partners = api_client.get(f"{BASE}/activities", {"looking_for_partners": "true"}).json()["items"]
    assert [item["title"] for item in partners] == ["Kurs polskiego"]


# -- Channels and good practice ---------------------------------------------------------------------


def test_only_published_channels_are_listed_and_answer(api_client):
    channel = published_channel()

    listed = api_client.get(f"{BASE}/channels").json()
    assert [item["id"] for item in listed["items"]] == [channel.pk]
    assert listed["items"][0]["department"] == "Wydział Spraw Cudzoziemców"
    detail = api_client.get(f"{BASE}/channels/{channel.pk}")
    assert detail.status_code == 200
    assert detail.json()["experiences"] == []
    assert api_client.get(f"{BASE}/channels", {"topic": "residence"}).json()["count"] == 1
    assert api_client.get(f"{BASE}/channels", {"topic": "health"}).json()["count"] == 0

    type(channel).objects.filter(pk=channel.pk).update(status="draft")
    assert api_client.get(f"{BASE}/channels").json()["count"] == 0
    assert api_client.get(f"{BASE}/channels/{channel.pk}").status_code == 404


# -- Programmes -----------------------------------------------------------------------------------------


def test_programmes_list_their_visible_projects_and_a_project_its_offers(api_client, member_client):
    runner = organisation("Żydowskie Stowarzyszenie Czulent", type="national_minority")
    komm = make_project(organisation=runner)
    make_project(organisation=runner, slug="tylko-dla-czlonkow", short_name="TDC", visibility="members")
    offer = make_offer(komm)

    programmes = api_client.get(f"{BASE}/programmes").json()["items"]
    assert [project["short_name"] for project in programmes[0]["projects"]] == ["KOMM"]
    member_programmes = member_client.get(f"{BASE}/programmes").json()["items"]
    assert [project["short_name"] for project in member_programmes[0]["projects"]] == ["KOMM", "TDC"]

    project = api_client.get(f"{BASE}/projects/komm").json()
    assert project["organisation"]["name"] == "Żydowskie Stowarzyszenie Czulent"
    assert [item["id"] for item in project["offers"]] == [offer.pk]
    assert project["offers"][0]["url"].endswith(f"/offers/{offer.pk}/")
    assert api_client.get(f"{BASE}/projects/tylko-dla-czlonkow").status_code == 404
    offers = api_client.get(f"{BASE}/project-offers", {"project": "komm", "language": "uk"}).json()
    assert [item["id"] for item in offers["items"]] == [offer.pk]
    assert api_client.get(f"{BASE}/project-offers", {"language": "vi"}).json()["count"] == 0
