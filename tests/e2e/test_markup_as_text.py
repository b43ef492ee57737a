"""Names with markup in them are shown as text, never run: in the participant's pages and in the
organisers' list and detail. Kept out of the demo journey, whose screenshots illustrate the guide."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.registrations.models import Registration

pytestmark = pytest.mark.django_db(transaction=True)

MARKUP = "Шевчук <script>alert(1)</script><img src=x onerror=alert(2)>"


def _no_dialogs(page) -> list[str]:
    opened: list[str] = []

    def record(dialog) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return opened


def test_a_name_with_markup_is_shown_as_text_to_participant_and_organiser(page, browser, base_url, axe_check):
    organiser = UserFactory(email="anna@zustricz.example.org")
    event = EventFactory(organisers=[organiser])
    dialogs = _no_dialogs(page)

    page.goto(f"/en/e/{event.slug}/register/")
    page.fill("#id_first_name", "Мар'яна")
    page.fill("#id_last_name", MARKUP)
    page.fill("#id_email", "maryana.shevchuk@example.org")
    page.check("input[name=language][value=en]")
    page.locator("[data-steps-next]").click()  # the form's steps: about you, organisation, needs, data
    page.fill("#id_organisation_name", "Fundacja Zustricz <b>bold</b>")
    page.check("input[name=organisation_type][value=migrant]")
    page.locator("[data-steps-next]").click()
    page.check("input[name=dietary][value=none]")
    page.locator("[data-steps-next]").click()
    page.check("#id_consent_processing")
    page.locator("[data-steps-submit] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/r/[^/]+/received/$"))
    registration = Registration.objects.get(email="maryana.shevchuk@example.org")
    assert registration.last_name == MARKUP  # stored as typed
    page.goto(f"/en/r/{registration.token}/")
    expect(page.get_by_text(MARKUP).first).to_be_visible()
    assert page.locator("main script, main img[src=x]").count() == 0

    desk = browser.new_context(base_url=base_url)
    organiser_page = desk.new_page()
    organiser_dialogs = _no_dialogs(organiser_page)
    organiser_page.goto("/en/accounts/login/")
    organiser_page.fill("#id_username", organiser.email)
    organiser_page.fill("#id_password", "correct horse battery staple")
    organiser_page.locator("main form button[type=submit]").click()
    organiser_page.wait_for_url("**/en/manage/")
    for path in (
        f"/en/manage/events/{event.slug}/",
        f"/en/manage/events/{event.slug}/registrations/{registration.pk}/",
    ):
        organiser_page.goto(path)
        expect(organiser_page.get_by_text(re.compile(re.escape("<script>alert(1)</script>"))).first).to_be_visible()
        assert organiser_page.locator("main script, main img[src=x], main b").count() == 0
        axe_check(organiser_page)
    desk.close()
    assert dialogs == [] and organiser_dialogs == []
