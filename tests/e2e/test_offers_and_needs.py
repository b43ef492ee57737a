"""The network's offers and needs on a 360-px phone (issue 10's browser test).

A representative of organisation A signs in by a one-time link and adds an offer (a room for 40 in
Kraków on Saturdays); a representative of B, which needs a room for 30 in Kraków on Saturdays,
signs in, sees it suggested with the reason, presses "Contact them" and sends a message. The email
is queued to A's representative in A's language and shows no address of B's person. axe-core on
every page; then each page of the app in Polish, Ukrainian and English (test_every_page excuses
them for this test).
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from playwright.sync_api import expect

from civicmeet.notifications.models import OutgoingEmail
from civicmeet.resources.models import ContactRequest, Resource
from civicmeet.resources.tests import factories as f

from .network import sign_in_by_link

pytestmark = pytest.mark.django_db(transaction=True)


def assert_fits_phone(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways on a 360-px phone ({width} px)"


def check(page, axe_check) -> None:
    axe_check(page)
    assert_fits_phone(page)


def test_offer_suggested_against_a_need_and_contact_asked(page, axe_check, screenshot):
    a = f.organisation("Fundacja Zustricz", city="Kraków", region="malopolskie")
    b = f.organisation("Stowarzyszenie Czulent", city="Kraków", region="malopolskie")
    olena = f.representative(a, email="olena@zustricz.example.org", language="uk", first_name="Olena")
    jan = f.representative(b, email="jan.private@czulent.example.org", language="pl", first_name="Jan")
    f.resource(b, jan, direction="need", title="Sala na warsztaty", quantity=30, weekdays=[5], language="pl")

    # A's representative, in Ukrainian, adds the offer.
    sign_in_by_link(page, olena.email, language="uk")
    page.goto(f"/uk/network/organisations/{a.pk}/offers-and-needs/")
    check(page, axe_check)
    page.locator("main a[href$='?direction=offer']").click()
    check(page, axe_check)
    page.locator("#id_category").select_option("room")
    page.locator("#id_title").fill("Зала на 40 осіб")
    page.locator("#id_language").select_option("uk")
    page.locator("#id_quantity").fill("40")
    page.locator("#id_city").fill("Kraków")
    page.locator("#id_region").select_option("malopolskie")
    page.locator("#id_weekdays input[value='5']").check()
    # First sent without a title: the error is next to the field and the rest is kept.
    page.locator("#id_title").fill("")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_title_error")).to_be_visible()
    expect(page.locator("#id_quantity")).to_have_value("40")
    check(page, axe_check)
    page.locator("#id_title").fill("Зала на 40 осіб")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".notice-success")).to_be_visible()
    check(page, axe_check)
    offer = Resource.objects.get(title="Зала на 40 осіб")
    assert offer.organisation == a and offer.quantity == 40 and offer.weekdays == [5]

    # B's representative, in Polish, sees it suggested with the reason.
    page.context.clear_cookies()
    sign_in_by_link(page, jan.email, language="pl")
    page.goto("/pl/network/suggestions/")
    card = page.locator("article.suggestion").filter(has_text="Fundacja Zustricz")
    expect(card).to_have_count(1)
    expect(card.locator(".suggestion-mine")).to_contain_text("dla 30 osób")
    expect(card.locator(".suggestion-theirs")).to_contain_text("dla 40 osób")
    expect(card.locator(".suggestion-reasons")).to_contain_text("Kraków")
    check(page, axe_check)
    screenshot(page, "network-suggestions-pl")
    card.locator("a.btn-primary").click()
    check(page, axe_check)
    page.locator("#id_message").fill("Dzień dobry! Czy możemy skorzystać z sali w sobotę 12 czerwca?")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".notice-success")).to_be_visible()
    expect(page.locator("article.suggestion .badge")).to_be_visible()  # the request is waiting
    check(page, axe_check)

    request = ContactRequest.objects.get()
    assert (request.from_organisation, request.to_organisation) == (b, a)
    email = OutgoingEmail.objects.get(kind="resources_contact_request")
    assert email.to == olena.email and email.language == "uk"
    assert "Stowarzyszenie Czulent" in email.subject
    with translation.override("uk"):
        assert "хоче" in email.subject
    everything = email.subject + email.body_text + email.body_html + email.reply_to
    assert jan.email not in everything and "czulent.example.org" not in everything
    assert "Czy możemy skorzystać z sali" in email.body_text

    # A answers from the link in the email: the page shows, the POST accepts.
    page.context.clear_cookies()
    path = re.search(r"https?://[^/]+(/uk/network/contact/answer/[^/\s]+/)", email.body_text).group(1)
    page.goto(path)
    check(page, axe_check)
    page.locator("button[value=accept]").click()
    expect(page.locator(".notice-success")).to_be_visible()
    request.refresh_from_db()
    assert request.status == "accepted"
    to_jan = OutgoingEmail.objects.get(kind="resources_contact_accepted", to=jan.email)
    assert olena.email in to_jan.body_text and to_jan.language == "pl"


def test_every_page_of_offers_and_needs_in_every_language(page, axe_check):
    """Each page of the app (public and a representative's), pl/uk/en, 360 px, axe-clean."""
    a = f.organisation("Fundacja Zustricz")
    b = f.organisation("Stowarzyszenie Czulent")
    olena = f.representative(a, email="olena@zustricz.example.org", language="uk")
    jan = f.representative(b, email="jan@czulent.example.org", language="pl")
    offer = f.resource(a, olena, title="Зала на 40 осіб", quantity=40, weekdays=[5, 6], language="uk")
    need = f.resource(b, jan, direction="need", title="Sala na warsztaty", quantity=30, weekdays=[5])
    activity = f.activity(a, olena, title="Курс польської мови", languages=["uk", "pl"], looking_for_partners=True)
    from civicmeet.resources import contact

    request = contact.contact_request_send(user=jan, offer=offer, need=need, message="Dzień dobry!", language="pl")
    body = OutgoingEmail.objects.get(kind="resources_contact_request").body_text
    token = body.split("/network/contact/answer/")[1].split("/")[0]

    public = [
        "network/offers/",
        "network/offers/?direction=need&category=room&region=malopolskie&language=pl",
        f"network/offers/{offer.pk}/",
        f"network/activities/{activity.pk}/",
        f"network/contact/answer/{token}/",
    ]
    own = [
        "network/offers/mine/",
        f"network/organisations/{a.pk}/offers-and-needs/",
        f"network/organisations/{a.pk}/offers-and-needs/new/?direction=need",
        f"network/organisations/{a.pk}/activities/new/",
        f"network/offers/{offer.pk}/edit/",
        f"network/offers/{offer.pk}/delete/",
        f"network/activities/{activity.pk}/edit/",
        f"network/activities/{activity.pk}/delete/",
        "network/suggestions/",
        f"network/suggestions/{offer.pk}-{need.pk}/contact/",
        f"network/contact/{request.pk}/",
    ]
    for language in ("pl", "uk", "en"):
        for path in public:
            response = page.goto(f"/{language}/{path}")
            assert response is not None and response.status == 200, path
            check(page, axe_check)
    sign_in_by_link(page, olena.email, language="uk")
    for language in ("pl", "uk", "en"):
        for path in own:
            response = page.goto(f"/{language}/{path}")
            assert response is not None and response.status == 200, path
            check(page, axe_check)
        # The activity form sent with an end before its start: the errors, in this language.
        page.goto(f"/{language}/network/organisations/{a.pk}/activities/new/")
        page.locator("#id_title").fill("X")
        page.locator("#id_starts_on").fill("2027-05-02")
        page.locator("#id_ends_on").fill("2027-05-01")
        page.locator("main form button[type=submit]").click()
        expect(page.locator("#id_ends_on_error")).to_be_visible()
        check(page, axe_check)
