"""The directory list: what each reader sees, the filters, and a constant number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from civicmeet.core.visibility import Visibility
from civicmeet.organisations.models import Community, NameKind, OrganisationStatus, OrganisationType, Region

from .profiles_setup import add_names, make_moderator, make_organisation, make_representative

pytestmark = pytest.mark.django_db


def list_url(url_language: str = "en", **query) -> str:
    with translation.override(url_language):
        url = reverse("directory:list")
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def many(count: int, start: int = 0) -> None:
    ukrainian, jewish = Community.objects.get(slug="ukrainian"), Community.objects.get(slug="jewish")
    for number in range(start, start + count):
        organisation = make_organisation(
            f"Stowarzyszenie {number:03}", working_languages=["uk", "pl"], city="Kraków", region=Region.MALOPOLSKIE
        )
        organisation.communities.add(ukrainian, jewish)
        add_names(organisation, (f"Асоціація {number:03}", "uk", NameKind.TRANSLATION))


def test_lists_published_visible_organisations_with_names_in_the_readers_language(client):
    zustricz = make_organisation("Fundacja Zustricz", working_languages=["uk", "pl"], city="Kraków")
    zustricz.communities.add(Community.objects.get(slug="ukrainian"))
    add_names(zustricz, ("Фонд «Зустріч»", "uk", NameKind.TRANSLATION))
    make_organisation("Szkic Fundacji", status=OrganisationStatus.DRAFT)
    make_organisation("Tylko Dla Członków", visibility=Visibility.MEMBERS)
    make_organisation("Prywatna Fundacja", visibility=Visibility.PRIVATE)

    page = client.get(list_url("uk")).content.decode()
    assert "Фонд «Зустріч»" in page
    assert "українська, польська" in page  # working languages by name in Ukrainian
    assert "українська" in page
    for hidden in ("Szkic Fundacji", "Tylko Dla Członków", "Prywatna Fundacja"):
        assert hidden not in page
    page = client.get(list_url("pl")).content.decode()
    assert "Fundacja Zustricz" in page and "ukraiński, polski" in page
    with translation.override("uk"):
        assert (
            reverse("directory:organisation", kwargs={"pk": zustricz.pk, "slug": "fundacja-zustricz"})
            in client.get(list_url("uk")).content.decode()
        )


def test_members_and_moderators_see_more(client):
    make_organisation("Fundacja Publiczna")
    make_organisation("Tylko Dla Członków", visibility=Visibility.MEMBERS)
    own = make_organisation("Nasza Prywatna", visibility=Visibility.PRIVATE)
    make_organisation("Cudza Prywatna", visibility=Visibility.PRIVATE)
    client.force_login(make_representative(own, "rep@nasza.example.org"))
    page = client.get(list_url()).content.decode()
    assert "Tylko Dla Członków" in page and "Nasza Prywatna" in page
    assert "Cudza Prywatna" not in page
    client.force_login(make_moderator())
    page = client.get(list_url()).content.decode()
    assert "Cudza Prywatna" in page
    assert "Drafts to review" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"type": "national_minority"}, {"Związek Łemków"}),
        ({"community": "lemko"}, {"Związek Łemków"}),
        ({"language": "uk"}, {"Fundacja Zustricz"}),
        ({"language": "rue"}, {"Związek Łemków"}),
        ({"region": "podkarpackie"}, {"Związek Łemków"}),
        ({"region": "malopolskie", "community": "ukrainian"}, {"Fundacja Zustricz"}),
        ({"language": "zz"}, {"Fundacja Zustricz", "Związek Łemków"}),  # an unknown value filters nothing
    ],
)
def test_filters(client, query, expected):
    zustricz = make_organisation("Fundacja Zustricz", working_languages=["uk", "pl"], region=Region.MALOPOLSKIE)
    zustricz.communities.add(Community.objects.get(slug="ukrainian"))
    lemkos = make_organisation(
        "Związek Łemków",
        type=OrganisationType.NATIONAL_MINORITY,
        working_languages=["rue", "pl"],
        region=Region.PODKARPACKIE,
    )
    lemkos.communities.add(Community.objects.get(slug="lemko"))
    response = client.get(list_url(**query))
    shown = {card["organisation"].name for card in response.context["cards"]}
    assert shown == expected


def test_query_count_does_not_grow_with_the_organisations(client, django_assert_num_queries):
    many(2)
    with django_assert_num_queries(5) as few:
        client.get(list_url())
    many(18, start=2)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(list_url())
    assert len(response.context["cards"]) == 20


def test_paginates(client):
    many(25)
    first = client.get(list_url())
    assert len(first.context["cards"]) == 20
    second = client.get(list_url(page=2))
    assert [card["organisation"].name for card in second.context["cards"]] == [
        f"Stowarzyszenie {number:03}" for number in range(20, 25)
    ]


def test_rejects_post(client):
    assert client.post(list_url()).status_code == 405
