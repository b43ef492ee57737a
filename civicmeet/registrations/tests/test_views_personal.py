"""The personal page as a ticket: the state first in one sentence; when accepted, when, where (with
a map link), how to get in, the organisers' message, the calendar file and the ticket area; the
history below as a list a phone can show; the diet by its name."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from civicmeet.eligibility import SafetyPolicy
from civicmeet.events.tests.factories import EventFactory
from civicmeet.registrations.models import Dietary
from civicmeet.registrations.services import registration_cancel, registration_decide, registration_decision_undo
from civicmeet.registrations.views_participant import map_url

from .factories import submit

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
VENUE = "Fundacja Zustricz\nul. Krakowska 10\n31-062 Kraków"


@pytest.fixture
def meeting(organiser):
    """Thursday 1 October 2026, 10:00–16:00 in Kraków (08:00 UTC): registration open in September."""
    start = datetime(2026, 10, 1, 10, 0, tzinfo=WARSAW)
    with time_machine.travel(datetime(2026, 9, 1, 12, 0, tzinfo=WARSAW), tick=False):
        event = EventFactory(
            organisers=[organiser],
            starts_at=start,
            ends_at=start.replace(hour=16),
            registration_opens_at=datetime(2026, 8, 1, tzinfo=WARSAW),
            registration_closes_at=datetime(2026, 9, 28, tzinfo=WARSAW),
            venue={"pl": VENUE, "en": VENUE},
            conditions={"en": "Please bring an ID."},
        )
    return event


@pytest.fixture(autouse=True)
def _september():
    with time_machine.travel(datetime(2026, 9, 1, 12, 0, tzinfo=WARSAW), tick=False):
        yield


def personal(client, registration, language="en") -> str:
    with translation.override(language):
        path = reverse("registrations:personal", kwargs={"token": registration.token})
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def state_heading(page: str) -> str:
    return re.search(r'<h2 id="state-title">(.*?)</h2>', page, re.S).group(1).strip()


def decide(registration, decision, organiser, message=""):
    return registration_decide(registration=registration, decision=decision, actor=organiser, message=message)


# -- The state in one sentence ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "sentence"),
    [
        (None, "Your registration is received; it is not yet an admission."),
        ("accept", "You are accepted: see you on 1 October."),
        ("waitlist", "You are on the waiting list: there is no place for you yet."),
        ("reject", "The organisers could not admit you to this meeting."),
    ],
)
def test_state_comes_first_in_one_sentence(client, meeting, organiser, decision, sentence):
    registration = submit(meeting)
    if decision:
        decide(registration, decision, organiser)
    page = personal(client, registration)
    assert state_heading(page) == sentence
    # The first heading after the page's title.
    assert re.search(r"<h2[^>]*>", page[page.index("</hgroup>") :]).group(0) == '<h2 id="state-title">'


def test_cancelled_state_sentence(client, meeting):
    registration = registration_cancel(registration=submit(meeting))
    assert state_heading(personal(client, registration)) == "Your registration is cancelled."


def test_state_sentence_in_ukrainian_and_polish(client, meeting, organiser):
    registration = submit(meeting)
    decide(registration, "accept", organiser)
    assert state_heading(personal(client, registration, "uk")) == "Вас прийнято: до зустрічі 1 жовтня."
    assert state_heading(personal(client, registration, "pl")) == (
        "Twoja rejestracja została przyjęta: do zobaczenia 1 października."
    )


def test_state_badge_has_the_tone_of_the_state(client, meeting, organiser):
    registration = submit(meeting)
    decide(registration, "waitlist", organiser)
    page = personal(client, registration)
    assert re.search(r'<span class="badge badge-warning" data-status="waitlisted">[^<]+</span>', page)


# -- The ticket, when accepted ------------------------------------------------------------------


def test_accepted_page_leads_with_when_where_how_message_calendar_and_ticket(client, meeting, organiser):
    registration = submit(meeting, first_name="Olena", last_name="Kowalenko")
    decide(registration, "accept", organiser, message="Lunch at 13:00; the entrance is from the yard.")
    page = personal(client, registration)
    # When: in the event's time zone, with the day of the week.
    assert "Thursday, 1 October 2026, 10:00–16:00" in page
    # Where: the address and an OpenStreetMap search for it (a plain link, no embedded map).
    assert "Fundacja Zustricz<br>ul. Krakowska 10<br>31-062 Kraków" in page
    link = re.search(r'<a href="([^"]+)" rel="noreferrer" data-map-link>', page).group(1).replace("&amp;", "&")
    assert link == map_url(VENUE)
    assert "<iframe" not in page
    # How to get in, the organisers' words to this person, the calendar file, the ticket.
    assert "Give your name at the registration desk, or show this page." in page
    assert "Please bring an ID." in page
    assert "Lunch at 13:00; the entrance is from the yard." in page[: page.index('id="history-title"')]
    with translation.override("en"):
        calendar = reverse("registrations:calendar", kwargs={"token": registration.token})
    assert f'href="{calendar}"' in page
    ticket = page[page.index("data-ticket") : page.index("</section>", page.index("data-ticket"))]
    assert "Olena Kowalenko" in ticket
    # The QR code of the ticket (issue 11), with its code written under it.
    assert '<svg role="img" aria-label="QR code of your ticket"' in ticket
    assert "At the registration desk, show this QR code on your phone or on paper." in ticket
    # In that order, before the history.
    order = [page.index(marker) for marker in ('id="state-title"', 'id="message-title"', 'id="meeting-title"',
                                                 'id="ticket-title"', 'id="history-title"')]  # fmt: skip
    assert order == sorted(order)


@pytest.mark.parametrize("decision", [None, "waitlist", "reject"])
def test_no_ticket_or_calendar_before_acceptance(client, meeting, organiser, decision):
    registration = submit(meeting)
    if decision:
        decide(registration, decision, organiser)
    page = personal(client, registration)
    assert "data-ticket" not in page
    assert "calendar.ics" not in page
    assert "data-map-link" not in page


def test_how_to_get_in_follows_the_safety_verdict(client, organiser):
    start = datetime(2026, 10, 1, 10, 0, tzinfo=WARSAW)
    event = EventFactory(
        organisers=[organiser],
        starts_at=start,
        ends_at=start.replace(hour=16),
        registration_opens_at=datetime(2026, 8, 1, tzinfo=WARSAW),
        registration_closes_at=datetime(2026, 9, 28, tzinfo=WARSAW),
        safety_policy=SafetyPolicy().to_data(),
    )
    registration = submit(event)  # no declaration: "I will bring a test"
    decide(registration, "accept", organiser)
    page = personal(client, registration)
    assert "show a negative test result that meets the safety rule: it is checked there." in page


def test_map_link_is_an_openstreetmap_search_for_the_address():
    url = map_url("Fundacja Zustricz\n ul. Krakowska  10 \n\n31-062 Kraków")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.openstreetmap.org", "/search")
    assert parse_qs(parts.query) == {"query": ["Fundacja Zustricz, ul. Krakowska 10, 31-062 Kraków"]}


def test_organisers_message_is_that_of_the_latest_decision(client, meeting, organiser):
    registration = submit(meeting)
    decide(registration, "waitlist", organiser, message="The room is full for now.")
    decide(registration, "accept", organiser)
    page = personal(client, registration)
    # The waiting-list message stays in the history, but is no longer the organisers' message.
    assert 'id="message-title"' not in page
    assert "The room is full for now." in page[page.index('id="history-title"') :]


def test_calendar_file_for_the_accepted_only(client, meeting, organiser):
    registration = submit(meeting)
    with translation.override("en"):
        calendar = reverse("registrations:calendar", kwargs={"token": registration.token})
    assert client.get(calendar).status_code == 404
    decide(registration, "accept", organiser)
    response = client.get(calendar)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{meeting.slug}.ics"'
    assert response.headers["Referrer-Policy"] == "strict-origin"
    entry = next(component for component in Calendar.from_ical(response.content).walk("VEVENT"))
    assert entry.decoded("dtstart") == meeting.starts_at
    assert client.post(calendar).status_code == 405
    assert client.get(reverse("registrations:calendar", kwargs={"token": "nope"})).status_code == 404


# -- History and answers ------------------------------------------------------------------------


def test_history_is_a_stacked_list_on_a_phone(client, meeting, organiser):
    registration = submit(meeting)
    decide(registration, "accept", organiser, message="Welcome!")
    page = personal(client, registration)
    history = page[page.index('id="history-title"') : page.index("</table>")]
    assert '<table class="table-stack history">' in history
    assert 'class="table-wrap"' not in history
    for label in ("When", "What", "Who"):
        assert history.count(f'data-label="{label}"') == 2
    assert '<td data-label="Who">the organisers</td>' in history


@pytest.mark.parametrize(
    ("dietary", "details", "shown"),
    [
        (Dietary.KOSHER, "", "<dt>Diet</dt><dd>Kosher</dd>"),
        (Dietary.OTHER, "gluten-free,  no nuts", "<dt>Diet</dt><dd>Other: gluten-free, no nuts</dd>"),
        (Dietary.HALAL, "no nuts", "<dt>Allergies and notes on the diet</dt><dd>no nuts</dd>"),
    ],
)
def test_answers_show_the_diet_by_its_name(client, meeting, dietary, details, shown):
    registration = submit(meeting, dietary=dietary, dietary_details=details)
    page = personal(client, registration)
    assert shown in page
    assert "please describe" not in page


def test_diet_other_in_ukrainian(client, meeting):
    registration = submit(meeting, dietary=Dietary.OTHER, dietary_details="без глютену")
    page = personal(client, registration, "uk")
    assert "Інша: без глютену" in page
    assert "опишіть" not in page


def test_history_leaves_out_a_decision_the_organisers_undid(client, meeting, organiser):
    # The rejection's email was withdrawn before it was sent: the participant never heard of it, so
    # neither it nor its undoing shows; the acceptance that followed does.
    registration = submit(meeting)
    registration_decide(
        registration=registration, decision="reject", actor=organiser, message="Sorry, we are full.", undoable=True
    )
    entry = registration.log.order_by("-id").first()
    registration_decision_undo(registration=registration, entry_id=entry.pk, actor=organiser)
    decide(registration, "accept", organiser, message="Welcome!")
    page = personal(client, registration)
    history = page[page.index('id="history-title"') : page.index("</table>")]
    assert history.count('data-label="What"') == 2  # received, accepted
    assert "Sorry, we are full." not in page
    assert "Welcome!" in history
