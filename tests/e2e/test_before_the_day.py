"""Before the day on a 360-px phone: a participant answers "no" from the email's link (the GET
shows a page, the POST answers), the seat goes to the first on the waiting list, who takes it from
their offer's link; the organisers' page shows both. axe on every new page in pl/uk/en.

Screenshots: docs/screenshots/before-the-day-*.png.
"""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.registrations.models import OfferState, Registration, SeatOffer, State
from civicmeet.registrations.reconfirmation import reconfirmations_send
from civicmeet.registrations.services import registration_decide
from civicmeet.registrations.tests.factories import submit

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ("pl", "uk", "en")
PASSWORD = "correct horse battery staple"


def assert_fits_phone(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways on a 360-px phone ({width} px)"


def link_path(kind: str, to: str, path: str) -> str:
    """The link of the latest email of `kind` to `to`, as a path on the test server."""
    email = OutgoingEmail.objects.filter(kind=kind, to=to).latest("id")
    match = re.search(rf"https?://\S+/{path}/[-A-Za-z0-9_]+/", email.body_text)
    assert match, email.body_text
    return urlsplit(match.group(0)).path


def in_language(path: str, language: str) -> str:
    return re.sub(r"^/(pl|uk|en)/", f"/{language}/", path)


def check_every_language(page, path: str, axe_check, what: str) -> None:
    for language in LANGUAGES:
        page.goto(in_language(path, language))
        expect(page.locator("html")).to_have_attribute("lang", language)
        axe_check(page)
        assert_fits_phone(page)
        assert page.locator("h1").count() == 1, what


def test_a_no_from_the_email_gives_the_seat_to_the_first_on_the_waiting_list(page, axe_check, screenshot):
    organiser = UserFactory(email="anna@zustricz.example.org")
    start = (timezone.now() + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    event = EventFactory(
        organisers=[organiser],
        slug="spotkanie-przed-dniem",
        capacity=1,
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        registration_closes_at=timezone.now() + timedelta(hours=1),
        reconfirm_days_before=3,
        offers_automatic=True,
        offer_hours=24,
    )
    olena = registration_decide(
        registration=submit(event, first_name="Olena", last_name="Kowalenko", language="uk"),
        decision="accept",
        actor=organiser,
    )
    dmytro = registration_decide(
        registration=submit(event, first_name="Dmytro", last_name="Szewczenko", language="pl"),
        decision="waitlist",
        actor=organiser,
    )
    assert reconfirmations_send() == 1

    # Olena opens "Are you still coming?" from her email, in Ukrainian. Opening it answers nothing.
    reconfirm = link_path("reconfirm", olena.email, "still-coming")
    assert reconfirm.startswith("/uk/")
    check_every_language(page, reconfirm, axe_check, "reconfirm")
    page.goto(reconfirm)
    olena.refresh_from_db()
    assert olena.state == State.ACCEPTED
    screenshot(page, "before-the-day-reconfirm-uk")
    page.get_by_role("button", name="Ні, я не можу прийти").click()
    expect(page.locator("[data-answer=no]")).to_be_visible()
    expect(page.locator(".notice-success, .notice.notice-success").first).to_be_visible()
    axe_check(page)
    olena.refresh_from_db()
    assert olena.state == State.CANCELLED
    check_every_language(page, reconfirm, axe_check, "reconfirm answered no")

    # The seat is offered to Dmytro, first on the waiting list, in Polish.
    offer = SeatOffer.objects.get(registration=dmytro)
    assert offer.state == OfferState.PENDING
    offer_path = link_path("seat_offer", dmytro.email, "seat-offer")
    assert offer_path.startswith("/pl/")
    check_every_language(page, offer_path, axe_check, "offer")
    page.goto(offer_path)
    screenshot(page, "before-the-day-offer-pl")
    page.get_by_role("button", name="Tak, biorę to miejsce").click()
    expect(page.locator("[data-offer=accepted]")).to_be_visible()
    axe_check(page)
    dmytro.refresh_from_db()
    assert dmytro.state == State.ACCEPTED
    assert Registration.objects.filter(event=event, state=State.ACCEPTED).count() == 1
    assert OutgoingEmail.objects.filter(kind="registration_accepted", to=dmytro.email).exists()
    check_every_language(page, offer_path, axe_check, "offer accepted")

    # The organisers' page on a phone: who said no, the offer taken.
    page.goto("/pl/accounts/login/")
    page.fill("#id_username", organiser.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/pl/manage/")
    manage = f"/pl/manage/events/{event.slug}/before-the-day/"
    page.goto(manage)
    expect(page.locator("#answered-no")).to_contain_text("Kowalenko")
    check_every_language(page, manage, axe_check, "before the day")


def test_the_organiser_orders_the_waiting_list_and_offers_a_seat_by_click(page, axe_check, screenshot):
    organiser = UserFactory(email="anna@zustricz.example.org")
    event = EventFactory(organisers=[organiser], slug="lista-rezerwowa", capacity=1, offers_automatic=False)
    seat = registration_decide(registration=submit(event, last_name="Nowak"), decision="accept", actor=organiser)
    first, second = (
        registration_decide(registration=submit(event, last_name=name), decision="waitlist", actor=organiser)
        for name in ("Bondarenko", "Cohen")
    )
    from civicmeet.registrations.services import registration_cancel

    registration_cancel(registration=seat)
    page.goto("/en/accounts/login/")
    page.fill("#id_username", organiser.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/manage/")
    manage = f"/en/manage/events/{event.slug}/before-the-day/"
    page.goto(manage)
    rows = page.locator("#waiting-list tbody tr")
    expect(rows.nth(0)).to_contain_text("Bondarenko")
    rows.filter(has_text="Cohen").get_by_role("button", name=re.compile("Move up")).click()
    expect(rows.nth(0)).to_contain_text("Cohen")
    check_every_language(page, manage, axe_check, "waiting list")
    page.goto(manage)
    screenshot(page, "before-the-day-organiser-en")
    page.get_by_role("button", name="Offer 1 free seat to the next person").click()
    expect(page.locator("#seat-counts")).to_contain_text("Held by offers waiting for an answer: 1")
    assert SeatOffer.objects.get().registration == second
    assert not SeatOffer.objects.filter(registration=first).exists()
    axe_check(page)
