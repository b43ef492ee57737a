"""The directory in a phone's browser: a representative signs in by link, edits the organisation's
profile in Ukrainian, types a NIP with a typo, sees the error next to the field in Ukrainian with
everything else kept, fixes it and sees the profile. axe on each page.

The screenshots illustrate docs/network/directory.md.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from civicmeet.organisations.models import Organisation, OrganisationLogEntry, OrganisationStatus
from civicmeet.organisations.tests.profiles_setup import (
    ZUSTRICZ_NAMES,
    add_names,
    make_moderator,
    make_organisation,
    make_representative,
)

from .network import sign_in_by_link

pytestmark = pytest.mark.django_db(transaction=True)


def assert_fits_phone(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways on a 360-px phone ({width} px)"


@pytest.fixture
def zustricz():
    organisation = make_organisation(
        "Fundacja Zustricz",
        city="Kraków",
        region="malopolskie",
        working_languages=["uk", "pl"],
        description_pl="Wspieramy migrantów z Ukrainy w Krakowie.",
        description_uk="Підтримуємо мігрантів з України у Кракові.",
    )
    add_names(organisation, *ZUSTRICZ_NAMES)
    return organisation


def test_a_representative_fixes_a_bad_nip_on_a_phone_in_ukrainian(page, zustricz, axe_check, screenshot):
    make_representative(zustricz, "olena@zustricz.example.org")
    sign_in_by_link(page, "olena@zustricz.example.org", language="uk")

    page.goto("/uk/network/organisations/")
    expect(page.get_by_role("heading", name="Фонд «Зустріч»")).to_be_visible()
    axe_check(page)
    assert_fits_phone(page)
    page.get_by_role("link", name="Фонд «Зустріч»").click()
    page.wait_for_url(f"**/uk/network/organisations/{zustricz.pk}-fundacja-zustricz/")
    expect(page.locator("h1")).to_have_text("Фонд «Зустріч»")
    axe_check(page)
    assert_fits_phone(page)

    page.get_by_role("link", name="Редагувати профіль").click()
    page.wait_for_url(f"**/uk/network/organisations/{zustricz.pk}/edit/")
    axe_check(page)
    assert_fits_phone(page)
    page.locator("#id_area_served").fill("Краків і Малопольща")
    page.locator("#id_founded_year").fill("2013")
    page.locator("#id_nip").fill("123-456-32-19")  # the last digit mistyped
    page.get_by_role("button", name="Зберегти профіль").click()

    error = page.locator("#id_nip_error")
    expect(error).to_contain_text("Цей NIP недійсний: контрольна цифра не збігається")
    # Next to its field: the message sits in the NIP's row, before its input, and the input says so.
    expect(page.locator("#id_nip_field #id_nip_error")).to_be_visible()
    expect(page.locator("#id_nip")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#error-summary")).to_be_visible()
    # Everything typed is kept.
    expect(page.locator("#id_nip")).to_have_value("123-456-32-19")
    expect(page.locator("#id_area_served")).to_have_value("Краків і Малопольща")
    expect(page.locator("#id_founded_year")).to_have_value("2013")
    expect(page.locator("#id_names-0-name")).not_to_have_value("")
    axe_check(page)
    assert_fits_phone(page)
    page.locator("#id_nip_field").scroll_into_view_if_needed()
    screenshot(page, "directory-profile-nip-error-uk", full_page=False)
    assert Organisation.objects.get(pk=zustricz.pk).nip == ""

    page.locator("#id_nip").fill("123-456-32-18")
    page.get_by_role("button", name="Зберегти профіль").click()
    page.wait_for_url(f"**/uk/network/organisations/{zustricz.pk}-fundacja-zustricz/")
    expect(page.locator(".notice-success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Краків і Малопольща")
    expect(page.locator("main")).to_contain_text("123-456-32-18")
    axe_check(page)
    assert_fits_phone(page)
    screenshot(page, "directory-profile-uk", full_page=False)
    saved = Organisation.objects.get(pk=zustricz.pk)
    assert (saved.nip, saved.area_served, saved.founded_year) == ("1234563218", "Краків і Малопольща", 2013)
    assert OrganisationLogEntry.objects.filter(organisation=zustricz).count() == 1


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_the_directorys_pages_fit_a_phone_and_pass_axe(page, zustricz, language, axe_check):
    """The list (with a filter), the profile, its form and the moderators' queue in each language."""
    federation = make_organisation("Federacja Organizacji Mniejszości Narodowych i Etnicznych")
    Organisation.objects.filter(pk=zustricz.pk).update(parent=federation)
    make_organisation("Fundacja Nowa", status=OrganisationStatus.DRAFT)
    make_moderator("moderator@civicmeet.example.org")
    pages = [
        f"/{language}/network/organisations/",
        f"/{language}/network/organisations/?language=uk&community=ukrainian",
        f"/{language}/network/organisations/{zustricz.pk}-fundacja-zustricz/",
        f"/{language}/network/organisations/{federation.pk}-federacja-organizacji-mniejszosci-narodowych-i-etnicznych/",
    ]
    for path in pages:
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        axe_check(page)
        assert_fits_phone(page)
    sign_in_by_link(page, "moderator@civicmeet.example.org", language=language)
    for path in (
        f"/{language}/network/organisations/review/",
        f"/{language}/network/organisations/{zustricz.pk}/edit/",
    ):
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        axe_check(page)
        assert_fits_phone(page)
