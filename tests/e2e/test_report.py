"""The grant programme's report and the live counters on a phone (360 px), in pl/uk/en with
axe-core: charts drawn on the server next to their tables, nothing sticking out of the screen, and
the counters following a check-in made at the desk without a reload."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from playwright.sync_api import expect

from civicmeet.checkin.services import checkin_record
from civicmeet.checkin.tests.factories import accepted, client_id
from civicmeet.events.models import Event
from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.organisations.models import Community, Organisation
from civicmeet.programmes.services import programme_save

from .test_every_page import _problems

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = [
    # first name, last name, organisation, type, language, interpreting, accessibility, present
    ("Ołena", "Коваленко", "Fundacja Zustricz", "migrant", "uk", "polski → українська", "", True),
    ("Тарас", "Шевчук", "Fundacja Zustricz", "migrant", "uk", "", "", True),
    ("Miriam", "Landau", "Żydowskie Stowarzyszenie Czulent", "national_minority", "pl", "", "Wózek", True),
    ("Jan", "Kwiek", "Stowarzyszenie Romów w Polsce", "ethnic_minority", "pl", "", "", False),
    ("Nadia", "Haddad", "Fundacja Ocalenie", "other", "en", "English", "", True),
]


def check_in(event, actor, registration):
    checkin_record(event=event, client_id=client_id(), actor=actor, registration=registration, source="name")


@pytest.fixture
def world():
    organiser = UserFactory(email="anna@zustricz.example.org", first_name="Anna", last_name="Kowalska")
    # Both meetings are part of the invitation's programme: the report compares them.
    programme = programme_save(
        slug="aktywni-obywatele",
        data={
            "name": {
                "pl": "Aktywni Obywatele – Fundusz Krajowy",
                "uk": "Активні громадяни – Національний фонд",
                "en": "Active Citizens – National Fund",
            }
        },
    )
    earlier = EventFactory(organisers=[organiser], slug="spotkanie-wiosenne", programme=programme)
    for first, last, organisation in (
        ("Oksana", "Melnyk", "Fundacja Zustricz"),
        ("Piotr", "Nowak", "Fundacja Ocalenie"),
    ):
        check_in(
            earlier,
            organiser,
            accepted(earlier, organiser, first_name=first, last_name=last, organisation_name=organisation),
        )
    start = earlier.starts_at - timedelta(days=90)
    Event.objects.filter(pk=earlier.pk).update(starts_at=start, ends_at=start + timedelta(hours=6))

    event = EventFactory(organisers=[organiser], slug="spotkanie-sieciujace", programme=programme)
    people = {}
    for first, last, organisation, kind, language, interpreting, accessibility, present in PEOPLE:
        person = accepted(
            event,
            organiser,
            first_name=first,
            last_name=last,
            organisation_name=organisation,
            organisation_type=kind,
            language=language,
            interpreting_needs=interpreting,
            accessibility_needs=accessibility,
        )
        people[first] = person
        if present:
            check_in(event, organiser, person)
    ukrainian = Community.objects.filter(slug__icontains="ukrain").first()
    if ukrainian:
        Organisation.objects.get(name="Fundacja Zustricz").communities.add(ukrainian)
    # The meeting is over: the report is final.
    start = event.starts_at - timedelta(days=15)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=6))
    return {"organiser": organiser, "event": event, "people": people}


def sign_in(context, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


def test_the_report_on_a_phone_in_every_language(page, base_url, world, axe_check, screenshot):
    sign_in(page.context, base_url, world["organiser"])
    problems: list[str] = []
    for language in ("pl", "uk", "en"):
        page.goto(f"/{language}/manage/events/spotkanie-sieciujace/report/")
        expect(page.locator("#summary-table")).to_be_visible()
        # Present 4 of 5 admitted; Zustricz and Ocalenie came before, Czulent is new.
        expect(page.locator('#summary-table tr[data-key="present"] td')).to_have_text("4")
        expect(page.locator('#summary-table tr[data-key="no_shows"] td')).to_have_text("1")
        expect(page.locator('#organisation-facts dd[data-key="returning"]')).to_have_text("2")
        expect(page.locator('#organisation-facts dd[data-key="new"]')).to_have_text("1")
        expect(page.locator("#report-provisional")).to_have_count(0)
        # The charts are drawn (SVG, visible to the eye) and hidden from screen readers.
        charts = page.locator("figure.report-chart svg[aria-hidden=true]")
        assert charts.count() >= 4  # people, types, languages, across the events
        box = charts.first.bounding_box()
        assert box is not None and 200 < box["width"] <= 360
        problems += _problems(page, axe_check, f"report ({language})")
        if language == "uk":
            screenshot(page, "report-uk")
    assert problems == []


def test_the_counters_follow_check_ins_without_a_reload(page, base_url, world, axe_check, screenshot):
    event, organiser = world["event"], world["organiser"]
    sign_in(page.context, base_url, organiser)
    problems: list[str] = []
    for language in ("pl", "uk", "en"):
        page.goto(f"/{language}/manage/events/spotkanie-sieciujace/counters/")
        expect(page.locator("#count-present strong")).to_have_text("4")
        problems += _problems(page, axe_check, f"counters ({language})")
    assert problems == []
    screenshot(page, "counters-en")

    # Jan arrives at the desk; the page shows it by itself (htmx polls every 5 s).
    check_in(event, organiser, world["people"]["Jan"])
    expect(page.locator("#count-present strong")).to_have_text("5")
    expect(page.locator("#count-not-yet strong")).to_have_text("0")
