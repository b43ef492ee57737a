"""A moderator imports a spreadsheet on a 360-px phone: the dry run explains the refused rows in
Polish (and reads well in Ukrainian and English), "Import 2 rows" adds exactly the two good ones;
axe-core on every page, nothing scrolls sideways."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from civicmeet.events.tests.factories import UserFactory
from civicmeet.organisations.models import Organisation, OrganisationAction, OrganisationLogEntry

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL, PASSWORD = "moderatorka@civicmeet.example.org", "correct horse battery staple"
SPREADSHEET = (
    "\ufeffNazwa;Typ;Miasto;Województwo;NIP;E-mail;Języki\r\n"
    "Fundacja Nowy Dom;migrancka;Kraków;małopolskie;;biuro@nowydom.example.org;pl, uk\r\n"
    "Stowarzyszenie Łemków;mniejszość etniczna;Gorlice;małopolskie;;;polski\r\n"
    ";migrancka;Kraków;;;;\r\n"
    "Fundacja Zła;nieznany;Kraków;;123-456-32-19;nie-email;\r\n"
).encode()


def _fits(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def _upload(page, language: str) -> None:
    page.goto(f"/{language}/network/import/")
    page.locator("#id_file").set_input_files(
        files=[{"name": "organizacje.csv", "mimeType": "text/csv", "buffer": SPREADSHEET}]
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_a_moderator_imports_a_spreadsheet_with_two_good_and_two_bad_rows(page, axe_check, screenshot):
    moderator = UserFactory(email=EMAIL, password=PASSWORD)
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_network"))
    page.goto("/pl/accounts/login/")
    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto("/pl/network/import/")
    axe_check(page)
    _fits(page)

    # The dry run in Ukrainian and English reads well on a phone too (it changes nothing).
    for language in ("uk", "en"):
        _upload(page, language)
        expect(page.locator("#dry-run tbody tr")).to_have_count(4)
        axe_check(page)
        _fits(page)

    _upload(page, "pl")
    rows = page.locator("#dry-run tbody tr")
    expect(rows).to_have_count(4)
    expect(page.locator('#dry-run tr[data-action="create"]')).to_have_count(2)
    refused = page.locator('#dry-run tr[data-action="refuse"]')
    expect(refused).to_have_count(2)
    expect(refused.nth(0)).to_contain_text("Brakuje nazwy.")
    expect(refused.nth(1)).to_contain_text("Nieznany typ „nieznany”")
    expect(refused.nth(1)).to_contain_text("NIP „123-456-32-19”")
    expect(refused.nth(1)).to_contain_text("„nie-email” to nie jest adres e-mail.")
    axe_check(page)
    _fits(page)
    screenshot(page, "network-import-dry-run-pl")
    assert Organisation.objects.count() == 0  # nothing yet

    page.get_by_role("button", name="Importuj 2 wiersze").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("Import zakończony")
    expect(page.locator("main")).to_contain_text("Fundacja Nowy Dom")
    expect(page.locator("main")).to_contain_text("Stowarzyszenie Łemków")
    axe_check(page)
    _fits(page)
    assert set(Organisation.objects.values_list("name", "status")) == {
        ("Fundacja Nowy Dom", "draft"),
        ("Stowarzyszenie Łemków", "draft"),
    }
    assert OrganisationLogEntry.objects.filter(action=OrganisationAction.IMPORTED, actor=moderator).count() == 2

    # The imported drafts are on the duplicates page's watch; the export page answers everyone.
    page.goto("/pl/network/duplicates/")
    axe_check(page)
    _fits(page)


def test_the_data_pages_fit_a_phone_and_pass_axe_in_every_language(page, axe_check, screenshot):
    from civicmeet.events.tests.factories import OrganisationFactory
    from civicmeet.organisations.models import OrganisationStatus

    moderator = UserFactory(email=EMAIL, password=PASSWORD)
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_network"))
    survivor = OrganisationFactory(
        name="Fundacja Zustricz",
        status=OrganisationStatus.PUBLISHED,
        city="Kraków",
        website="https://zustricz.example.org",
    )
    survivor.names.create(name="Зустріч", language="uk")
    duplicate = OrganisationFactory(name="Fundacja „Zustricz”", status=OrganisationStatus.DRAFT)
    page.goto("/en/accounts/login/")
    page.fill("#id_username", EMAIL)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    for language in ("pl", "uk", "en"):
        for path in (
            "network/duplicates/",
            f"network/duplicates/merge/{survivor.pk}/{duplicate.pk}/",
            f"network/organisations/{survivor.pk}/merges/",
            "network/import/",
            "network/export/",
        ):
            response = page.goto(f"/{language}/{path}")
            assert response is not None and response.status == 200, path
            axe_check(page)
            _fits(page)
    page.goto(f"/pl/network/duplicates/merge/{survivor.pk}/{duplicate.pk}/")
    screenshot(page, "network-merge-pl")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    expect(page.locator(".notice-success").first).to_contain_text("Fundacja „Zustricz”")
    page.goto(f"/uk/network/organisations/{survivor.pk}/merges/")
    expect(page.locator("main")).to_contain_text("Fundacja „Zustricz”")
    axe_check(page)
