"""The profile page: who sees what, the address, sections, and a constant number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from civicmeet.core.visibility import Visibility
from civicmeet.organisations import profile_sections
from civicmeet.organisations.models import Community, NameKind, OrganisationStatus

from .profiles_setup import (
    ZUSTRICZ_NAMES,
    add_names,
    make_moderator,
    make_organisation,
    make_representative,
    profile_url,
)

pytestmark = pytest.mark.django_db

PROFILE_QUERY_CEILING = 25


@pytest.fixture
def zustricz():
    organisation = make_organisation(
        "Fundacja Zustricz",
        city="Kraków",
        working_languages=["uk", "pl"],
        description_pl="Wspieramy migrantów z Ukrainy w Krakowie.",
        description_uk="Підтримуємо мігрантів з України у Кракові.",
        contact_email="biuro@zustricz.example.org",
        contact_visibility=Visibility.MEMBERS,
        last_checked_on=timezone.localdate().replace(day=1),
        founded_year=2013,
    )
    add_names(organisation, *ZUSTRICZ_NAMES)
    organisation.communities.add(Community.objects.get(slug="ukrainian"))
    return organisation


def test_shows_the_profile_in_the_readers_language(client, zustricz):
    page = client.get(profile_url(zustricz, "uk")).content.decode()
    assert "<h1>Фонд «Зустріч»</h1>" in page
    assert "Підтримуємо мігрантів" in page
    assert "українська, польська" in page
    assert "Zustricz Foundation" in page and "Fundacja Zustricz" in page  # other names
    assert "2013" in page
    with translation.override("uk"):
        checked = zustricz.last_checked_on
    assert str(checked.year) in page and "Information last checked" not in page  # translated sentence
    page = client.get(profile_url(zustricz, "en")).content.decode()
    assert "<h1>Zustricz Foundation</h1>" in page
    assert "Information last checked on" in page


def test_a_wrong_slug_redirects_to_the_right_address(client, zustricz):
    response = client.get(profile_url(zustricz, slug="old-name"))
    assert response.status_code == 301
    assert response["Location"] == profile_url(zustricz)


@pytest.mark.parametrize(
    ("visibility", "anonymous", "member", "own"),
    [
        (Visibility.PUBLIC, 200, 200, 200),
        (Visibility.MEMBERS, 404, 200, 200),
        (Visibility.PRIVATE, 404, 404, 200),
    ],
)
def test_the_profile_answers_by_its_visibility(client, visibility, anonymous, member, own):
    organisation = make_organisation("Fundacja Widoczna", visibility=visibility)
    other = make_organisation("Stowarzyszenie Inne")
    assert client.get(profile_url(organisation)).status_code == anonymous
    client.force_login(make_representative(other, "member@inne.example.org"))
    assert client.get(profile_url(organisation)).status_code == member
    client.force_login(make_representative(organisation, "own@widoczna.example.org"))
    response = client.get(profile_url(organisation))
    assert response.status_code == own
    assert (f'data-visibility="{visibility}"' in response.content.decode()) is (visibility != Visibility.PUBLIC)
    client.force_login(make_moderator())
    assert client.get(profile_url(organisation)).status_code == 200


def test_a_draft_is_not_found_except_by_its_editors(client):
    draft = make_organisation("Fundacja Szkic", status=OrganisationStatus.DRAFT)
    assert client.get(profile_url(draft)).status_code == 404
    client.force_login(make_representative(make_organisation("Inna"), "member@inna.example.org"))
    assert client.get(profile_url(draft)).status_code == 404
    client.force_login(make_moderator())
    page = client.get(profile_url(draft)).content.decode()
    assert "Draft: this organisation is not in the directory yet" in page
    assert "application/ld+json" not in page
    assert client.get("/en/network/organisations/999999-nothing/").status_code == 404


def test_contacts_follow_the_organisations_choice(client, zustricz):
    assert "biuro@zustricz.example.org" not in client.get(profile_url(zustricz)).content.decode()
    client.force_login(make_representative(make_organisation("Inna"), "member@inna.example.org"))
    assert "biuro@zustricz.example.org" in client.get(profile_url(zustricz)).content.decode()
    zustricz.contact_visibility = Visibility.PUBLIC
    zustricz.save()
    client.logout()
    assert "biuro@zustricz.example.org" in client.get(profile_url(zustricz)).content.decode()


def test_representatives_who_consented_are_shown_to_members_only(client, zustricz):
    make_representative(zustricz, "olena@zustricz.example.org", contact_public=True, first_name="Olena")
    make_representative(zustricz, "taras@zustricz.example.org", contact_public=False, first_name="Taras")
    assert "olena@zustricz.example.org" not in client.get(profile_url(zustricz)).content.decode()
    client.force_login(make_representative(make_organisation("Inna"), "member@inna.example.org"))
    page = client.get(profile_url(zustricz)).content.decode()
    assert "olena@zustricz.example.org" in page
    assert "taras@zustricz.example.org" not in page


def test_parent_federation_and_members_are_linked(client, zustricz):
    federation = make_organisation("Federacja Organizacji Mniejszości")
    zustricz.parent = federation
    zustricz.save()
    hidden_member = make_organisation("Koło Prywatne", parent=federation, visibility=Visibility.PRIVATE)
    page = client.get(profile_url(federation)).content.decode()
    assert "Zustricz Foundation" in page and profile_url(zustricz) in page  # its English name
    assert hidden_member.name not in page
    page = client.get(profile_url(zustricz)).content.decode()
    assert profile_url(federation) in page


def test_editors_see_edit_and_still_correct(client, zustricz):
    assert "Edit the profile" not in client.get(profile_url(zustricz)).content.decode()
    client.force_login(make_representative(zustricz, "olena@zustricz.example.org"))
    page = client.get(profile_url(zustricz)).content.decode()
    assert reverse("directory:organisation_edit", kwargs={"pk": zustricz.pk}) in page
    assert "The information is still correct" in page


def test_registered_sections_are_rendered_in_order_with_their_context(client, zustricz, monkeypatch):
    monkeypatch.setattr(profile_sections.PROFILE_SECTIONS, "registered", {})
    profile_sections.register_profile_section(
        key="second",
        order=20,
        template="organisations/tests/_section.html",
        context=lambda organisation, user: {"text": f"SECOND {organisation.pk}"},
    )
    profile_sections.register_profile_section(
        key="first",
        order=10,
        template="organisations/tests/_section.html",
        context=lambda organisation, user: {"text": "FIRST"},
    )
    profile_sections.register_profile_section(
        key="hidden", order=5, template="organisations/tests/_section.html", context=lambda organisation, user: None
    )
    page = client.get(profile_url(zustricz)).content.decode()
    assert page.index("<p>FIRST</p>") < page.index(f"<p>SECOND {zustricz.pk}</p>")
    assert page.count("data-test-section") == 2


def _fill(organisation, count: int) -> None:
    communities = list(Community.objects.all()[:count])
    organisation.communities.set(communities)
    organisation.names.all().delete()
    add_names(organisation, *[(f"Nazwa {number}", "", NameKind.ALTERNATE) for number in range(count)])
    for number in range(count):
        make_representative(organisation, f"rep{count}-{number}@example.org", contact_public=True)


def _members(organisation, count: int) -> None:
    for number in range(count):
        member = make_organisation(f"Członek {count}-{number}", parent=organisation, working_languages=["pl"])
        member.communities.add(Community.objects.get(slug="roma"))
        add_names(member, (f"Член {count}-{number}", "uk", NameKind.TRANSLATION))


@pytest.mark.parametrize("signed_in", [False, True])
def test_query_count_is_the_same_with_0_and_5_of_everything(
    client, django_assert_num_queries, django_assert_max_num_queries, signed_in
):
    empty = make_organisation("Fundacja Pusta")
    full = make_organisation("Fundacja Pełna")
    _fill(full, 5)
    if signed_in:
        client.force_login(make_representative(make_organisation("Inna"), "member@inna.example.org"))
    client.get(profile_url(empty))  # the session and caches settle
    # The ceiling leaves room for the sections other apps register (each a constant number).
    with django_assert_max_num_queries(PROFILE_QUERY_CEILING) as baseline:
        client.get(profile_url(empty))
    with django_assert_num_queries(len(baseline.captured_queries)):
        response = client.get(profile_url(full))
    page = response.content.decode()
    assert "Nazwa 4" in page
    assert ("rep5-4@example.org" in page) is signed_in


def test_query_count_is_the_same_with_1_and_5_member_organisations(client, django_assert_num_queries):
    """Member organisations' cards (names, communities) are prefetched: from one member on, the
    count stays (with none, Django has nothing to prefetch for them)."""
    one, five = make_organisation("Federacja Mała"), make_organisation("Federacja Duża")
    _members(one, 1)
    _members(five, 5)
    client.get(profile_url(one))
    with django_assert_num_queries(PROFILE_QUERY_CEILING, exact=False) as baseline:
        client.get(profile_url(one))
    with django_assert_num_queries(len(baseline.captured_queries)):
        page = client.get(profile_url(five)).content.decode()
    assert "Członek 5-4" in page


def test_rejects_post(client, zustricz):
    assert client.post(profile_url(zustricz)).status_code == 405
