"""Programmes on a 360-px phone (issue 10's fourth agenda point).

A person signs up for a KOMM training in Ukrainian: first with a bad email (the error in
Ukrainian next to the field, the rest kept), then rightly, and sees the confirmation. The project
team's representative signs in by link and sees them in the offer's sign-ups; then adds an offer
(a missing title first: the error next to the field, the form kept). axe-core on every page.
"""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from civicmeet.events.tests.factories import OrganisationFactory
from civicmeet.programmes.models import OfferSignUp, ProjectOffer, SignUpStatus
from civicmeet.programmes.tests.factories import make_offer, make_project, representative

from .network import sign_in_by_link

pytestmark = pytest.mark.django_db(transaction=True)


def check(page, axe_check) -> None:
    axe_check(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways on a 360-px phone ({width} px)"


def test_a_person_signs_up_in_ukrainian_and_the_team_sees_them(page, axe_check, screenshot):
    czulent = OrganisationFactory(name="Żydowskie Stowarzyszenie Czulent", city="Kraków")
    project = make_project(organisation=czulent)
    offer = make_offer(project, seats=12)
    team = representative(czulent, email="rep@czulent.example.org", language="pl")

    page.goto(f"/uk/offers/{offer.pk}/")
    expect(page.locator("h1")).to_have_text("Тренінг: як побудувати коаліцію")
    check(page, axe_check)
    page.locator("#id_name").fill("Олена Коваленко")
    page.locator("#id_email").fill("olena@")
    page.locator("#id_organisation_name").fill("Fundacja Zustricz")
    page.locator("input[name=language][value=uk]").check()
    page.locator("#id_message").fill("Я прийду з колегою.")
    page.locator("#id_consent").check()
    page.locator("main form button[type=submit]").click()

    with translation.override("uk"):
        invalid_email = gettext("Enter a valid email address.")
    assert invalid_email != "Enter a valid email address."
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_email_error")).to_contain_text(invalid_email)
    expect(page.locator("#id_name")).to_have_value("Олена Коваленко")
    expect(page.locator("#id_message")).to_have_value("Я прийду з колегою.")
    expect(page.locator("#id_organisation_name")).to_have_value("Fundacja Zustricz")
    check(page, axe_check)
    assert not OfferSignUp.objects.exists()

    page.locator("#id_email").fill("olena@example.org")
    if not page.locator("#id_consent").is_checked():
        page.locator("#id_consent").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".notice-success")).to_contain_text("Олена Коваленко")
    check(page, axe_check)
    screenshot(page, "programmes-signed-up-uk")
    signup = OfferSignUp.objects.get()
    assert signup.status == SignUpStatus.SIGNED_UP and signup.language == "uk"
    assert signup.email == "olena@example.org" and signup.message == "Я прийду з колегою."

    # The project's team (Czulent's representative, in Polish) sees the sign-up.
    page.context.clear_cookies()
    sign_in_by_link(page, team.email, language="pl")
    page.goto(f"/pl/projects/{project.slug}/")
    check(page, axe_check)
    page.locator("main a[href$='/sign-ups/']").first.click()
    row = page.locator(f"tr[data-signup='{signup.pk}']")
    expect(row).to_contain_text("Олена Коваленко")
    expect(row).to_contain_text("olena@example.org")
    expect(page.locator("dd[data-count=signed_up]")).to_contain_text("1 / 12")
    check(page, axe_check)
    screenshot(page, "programmes-sign-ups-pl")

    # The team adds an offer: first without a title.
    page.goto(f"/pl/projects/{project.slug}/")
    page.locator(f"main a[href$='/projects/{project.slug}/offers/new/']").first.click()
    check(page, axe_check)
    page.locator("#id_kind").select_option("consultation")
    page.locator("#id_seats").fill("8")
    page.locator("#id_city").fill("Kraków")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_title_pl_error")).to_be_visible()
    expect(page.locator("#id_seats")).to_have_value("8")
    expect(page.locator("#id_city")).to_have_value("Kraków")
    check(page, axe_check)
    page.locator("#id_title_pl").fill("Konsultacje prawne dla organizacji")
    page.locator("#id_title_uk").fill("Юридичні консультації для організацій")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".notice-success")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Konsultacje prawne dla organizacji")
    check(page, axe_check)
    added = ProjectOffer.objects.get(title__pl="Konsultacje prawne dla organizacji")
    assert added.project == project and added.seats == 8 and added.starts_at is None
