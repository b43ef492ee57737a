"""A representative signs in by a link from their email, on a 360-px phone, and lands on their
network home (axe-core on every page)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from civicmeet.accounts.models import SignInLink
from civicmeet.organisations.tests.representatives_setup import person, published_organisation, representative_of

from .network import signin_link_path

pytestmark = pytest.mark.django_db(transaction=True)


def test_representative_signs_in_by_link_on_a_phone(page, axe_check, screenshot):
    olena = person("olena@zustricz.example.org", name="Olena")
    representative_of(published_organisation("Fundacja Zustricz"), olena, language="uk")

    page.goto("/uk/accounts/login/")
    page.locator("a[href*='/accounts/signin/']").click()
    page.wait_for_url("**/uk/accounts/signin/")
    axe_check(page)
    page.locator("input[name=email]").fill("Olena@Zustricz.example.org")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".notice-info")).to_be_visible()
    axe_check(page)

    path = signin_link_path("olena@zustricz.example.org")
    assert path.startswith("/uk/accounts/signin/")
    page.goto(path)
    expect(page.locator("main form button[type=submit]")).to_be_visible()
    axe_check(page)
    screenshot(page, "network-signin-link-uk", full_page=False)
    assert SignInLink.objects.get(user=olena).used_at is None  # opening the link used nothing

    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/uk/network/mine/")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("[data-organisation]").first).to_contain_text("Fundacja Zustricz")
    axe_check(page)
    screenshot(page, "network-home-uk", full_page=False)

    # The same link a second time: a clear page with a way to ask for a new one.
    page.context.clear_cookies()
    response = page.goto(path)
    assert response is not None and response.status == 410
    expect(page.locator("main a.btn-primary[href$='/accounts/signin/']")).to_be_visible()
    axe_check(page)
