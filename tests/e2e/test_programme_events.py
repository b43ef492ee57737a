"""An event as part of a grant programme, on a phone (360 px) in pl/uk/en with axe-core: the
programme chosen on the event's form, named with a link on the event page, which leads to the
programme's page listing its meetings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from playwright.sync_api import expect

from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.programmes.services import programme_save

from .test_every_page import _problems

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = {
    "pl": "Aktywni Obywatele – Fundusz Krajowy",
    "uk": "Активні громадяни – Національний фонд",
    "en": "Active Citizens – National Fund",
}


def sign_in(context, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


def test_choosing_the_programme_and_following_it_on_a_phone(page, base_url, axe_check, screenshot):
    organiser = UserFactory(email="anna@zustricz.example.org", first_name="Anna", last_name="Kowalska")
    programme = programme_save(slug="aktywni-obywatele", data={"name": NAMES, "funder": "EEA and Norway Grants"})
    event = EventFactory(organisers=[organiser], slug="spotkanie-sieciujace")
    EventFactory(
        slug="spotkanie-w-lublinie",
        programme=programme,
        title={"pl": "Spotkanie sieci w Lublinie", "uk": "Зустріч мережі в Любліні", "en": "Network meeting in Lublin"},
        starts_at=event.starts_at + timedelta(days=21),
    )
    problems: list[str] = []

    # The organiser chooses the programme on the event's form.
    sign_in(page.context, base_url, organiser)
    page.goto(f"/pl/manage/events/{event.slug}/edit/")
    page.select_option("#id_programme", label=NAMES["pl"])
    problems += _problems(page, axe_check, "event form with the programme (pl)")
    page.locator("main form button[type=submit].btn-primary").click()
    page.wait_for_url(f"**/manage/events/{event.slug}/**")
    event.refresh_from_db()
    assert event.programme == programme
    page.context.clear_cookies()

    for language in ("pl", "uk", "en"):
        # A visitor sees it on the event page and follows the link to the programme.
        page.goto(f"/{language}/e/{event.slug}/")
        line = page.locator("#event-programme")
        expect(line).to_contain_text(NAMES[language])
        problems += _problems(page, axe_check, f"event page with its programme ({language})")
        line.get_by_role("link").click()
        page.wait_for_url(f"**/{language}/programmes/aktywni-obywatele/")
        meetings = page.locator("#programme-events")
        expect(meetings.locator("[data-event]")).to_have_count(2)
        expect(meetings.locator(f'[data-event="{event.slug}"] a')).to_be_visible()
        problems += _problems(page, axe_check, f"programme page with its meetings ({language})")
        if language == "uk":
            screenshot(page, "programme-events-uk")
    assert problems == []
