"""A desk member on a phone (360 px): finds the desk from "My events" (axe in pl/uk/en), and registers a
walk-in who gives no email."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from civicmeet.checkin.models import CheckIn
from civicmeet.checkin.tests.factories import desk_member
from civicmeet.events.tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

DESK_LABEL = {"en": "Check-in desk", "pl": "Stanowisko rejestracji", "uk": "Стійка реєстрації"}
MY_EVENTS = {"en": "My events", "pl": "Moje wydarzenia", "uk": "Мої заходи"}


@pytest.fixture
def world():
    organiser = UserFactory(email="anna@zustricz.example.org", first_name="Anna", last_name="Kowalska")
    event = EventFactory(organisers=[organiser], slug="spotkanie-sieciujace")
    desk = desk_member(event, email="desk@zustricz.example.org", first_name="Marta", last_name="Nowak")
    return {"organiser": organiser, "event": event, "desk": desk}


def sign_in(context, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_a_desk_member_finds_the_desk_from_my_events(page, base_url, world, axe_check, screenshot, language):
    sign_in(page.context, base_url, world["desk"])
    page.goto(f"/{language}/")

    page.locator(".site-links").get_by_role("link", name=MY_EVENTS[language]).click()
    expect(page.locator("#desk-events")).to_be_visible()
    axe_check(page)
    if language == "pl":
        screenshot(page, "my-events-desk")
    page.locator("#desk-events").get_by_role("link", name=DESK_LABEL[language]).click()

    page.wait_for_url(f"**/{language}/manage/events/{world['event'].slug}/desk/")
    expect(page.locator("#desk-list-age")).not_to_be_empty()


def test_a_walk_in_without_an_email_is_checked_in_from_the_phone(page, base_url, world):
    sign_in(page.context, base_url, world["desk"])
    page.goto(f"/en/manage/events/{world['event'].slug}/desk/walk-in/")
    expect(page.locator("#id_email_helptext")).to_contain_text("Without an email the person gets no messages")

    page.locator("#id_first_name").fill("Тарас")
    page.locator("#id_last_name").fill("Ткаченко")
    page.locator("#id_organisation_name").fill("Фундація Мрія")
    page.locator("#id_consent_processing").check()
    page.get_by_role("button", name="Register and check in").click()

    page.wait_for_url(f"**/en/manage/events/{world['event'].slug}/desk/")
    expect(page.locator(".messages")).to_contain_text("Тарас Ткаченко")
    checkin = CheckIn.objects.get(registration__last_name="Ткаченко")
    assert checkin.registration.email == "" and checkin.checked_in_by == world["desk"]
