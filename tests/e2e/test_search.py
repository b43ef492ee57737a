"""The one search box on a 360-px phone, in Ukrainian: a query with a typo finds the organisation
under its Ukrainian name, a filter narrows the results, two typos end in "did you mean"; axe-core on
every state, nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from civicmeet.organisations.models import OrganisationName, OrganisationType
from civicmeet.organisations.search_documents import organisation_reindex
from civicmeet.organisations.tests.representatives_setup import published_organisation
from civicmeet.search.services import search_document_save

pytestmark = pytest.mark.django_db(transaction=True)


def _fits(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_a_ukrainian_query_with_a_typo_on_a_phone(page, axe_check, screenshot):
    zustricz = published_organisation(
        "Fundacja Zustricz",
        type=OrganisationType.MIGRANT,
        description_uk="Підтримуємо мігрантів з України у Кракові: консультації, курси польської мови.",
        description_pl="Wspieramy migrantów z Ukrainy w Krakowie: porady, kursy języka polskiego.",
    )
    OrganisationName.objects.create(organisation=zustricz, language="uk", name="Фундація «Зустріч»")
    organisation_reindex(zustricz)
    search_document_save(
        kind="offer",
        key="e2e-room",
        organisation_id=zustricz.pk,
        visibility="public",
        url_name="directory:organisation",
        url_kwargs={"pk": zustricz.pk, "slug": "fundacja-zustricz"},
        titles={"pl": "Sala na 30 osób", "uk": "Зала на 30 осіб", "en": "A room for 30"},
        texts=["Зустріч надає залу в суботу.", "Zustricz udostępnia salę w soboty."],
        facets={"direction": "offer", "category": "room"},
    )

    page.goto("/uk/network/search/")
    axe_check(page)
    page.get_by_role("searchbox").fill("зустрч")  # "Зустріч" without the і
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/uk/network/search/?q=*")
    hits = page.locator(".search-hit h3")
    expect(hits).to_have_count(2)
    expect(hits.first).to_have_text("Фундація «Зустріч»")  # the name above the mention
    expect(page.locator("[role=status] .notice-info")).to_contain_text("Зустріч")
    expect(page.locator(".search-hit mark").first).to_be_visible()
    _fits(page)
    axe_check(page)
    screenshot(page, "network-search-uk", full_page=False)

    # Only offers and needs: the filters are in a <details> that opens without JavaScript too.
    page.locator("details.search-filters summary").click()
    page.locator("#id_what").select_option("resource")
    page.locator("main form button[type=submit]").click()
    expect(hits).to_have_count(1)
    expect(hits.first).to_have_text("Зала на 30 осіб")
    _fits(page)
    axe_check(page)

    # Two typos: nothing found, and a suggestion that finds it.
    page.goto("/uk/network/search/?q=Zustrcsz")
    expect(page.locator(".notice-warning")).to_be_visible()
    suggestion = page.locator("a.search-suggestion")
    expect(suggestion).to_have_text("zustricz")
    axe_check(page)
    suggestion.click()
    expect(hits.first).to_have_text("Фундація «Зустріч»")
    hits.first.locator("a").click()
    page.wait_for_url(f"**/uk/network/organisations/{zustricz.pk}-*/")
