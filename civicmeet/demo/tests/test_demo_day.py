"""The demo shows the last week and the day: tickets, answers to "Are you still coming?", an offer
to the waiting list, a desk login, and an earlier meeting with its check-ins and report."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from civicmeet.accounts.models import TeamMember
from civicmeet.checkin.documents.badges import badges_pdf
from civicmeet.checkin.models import CheckIn
from civicmeet.checkin.report import event_report
from civicmeet.checkin.services import checkin_counts
from civicmeet.checkin.tests.documents_helpers import pdf_text, requires_pdf
from civicmeet.checkin.tickets import ticket_check, ticket_code, ticket_for
from civicmeet.demo import content, content_day
from civicmeet.events.models import Event
from civicmeet.events.services import event_update
from civicmeet.registrations.models import OfferState, Registration, SeatOffer, State
from civicmeet.registrations.offers import seats_free
from civicmeet.registrations.reconfirmation import reconfirmation_summary

pytestmark = pytest.mark.django_db

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
HEBREW = re.compile(r"[\u0590-\u05ff]")
POLISH = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _meetings() -> tuple[Event, Event]:
    return Event.objects.get(slug=content.SLUG), Event.objects.get(slug=content_day.PAST_SLUG)


def test_the_desk_login_works_is_printed_and_is_at_both_desks_only():
    output = load_demo()

    desk = authenticate(username=content_day.DESK_EMAIL, password=content_day.DESK_PASSWORD)
    assert desk is not None
    assert content_day.DESK_EMAIL in output and content_day.DESK_PASSWORD in output
    for event in _meetings():
        assert TeamMember.objects.get(team=event.team, user=desk).role == "desk"
    client = Client()
    client.force_login(desk)
    meeting, _past = _meetings()
    assert client.get(reverse("checkin:desk", kwargs={"slug": meeting.slug})).status_code == 200
    # "Can only check people in": the organisers' pages of the same meeting are not theirs.
    assert client.get(reverse("registrations:dashboard", kwargs={"slug": meeting.slug})).status_code == 404


def test_every_accepted_participant_of_the_meeting_has_a_valid_ticket_and_the_names_show_every_script():
    load_demo()
    meeting, _past = _meetings()

    accepted = list(Registration.objects.filter(event=meeting, state=State.ACCEPTED).select_related("event"))
    assert len(accepted) >= 5
    for registration in accepted:
        ticket = ticket_for(registration)
        assert ticket is not None
        ticket_check(ticket, event_id=meeting.pk)  # raises TicketRefused if not valid here
    names = " ".join(registration.full_name for registration in accepted)
    assert CYRILLIC.search(names) and HEBREW.search(names) and POLISH.search(names)


def test_the_meeting_has_answers_to_are_you_still_coming_and_the_no_freed_a_seat():
    load_demo()
    meeting, _past = _meetings()

    summary = reconfirmation_summary(meeting)
    yes = {registration.email for registration in summary.yes}
    assert yes == {email for email, answer in content_day.RECONFIRM_ANSWERS.items() if answer == "yes"}
    assert [registration.email for registration in summary.no] == ["andrii.shevchuk@example.org"]
    assert summary.no[0].state == State.CANCELLED
    assert {registration.email for registration in summary.unanswered} == {
        "miriam.landau@example.org",
        "malgorzata.zolkowska@example.org",
    }
    assert summary.not_asked == []


def test_the_first_on_the_waiting_list_has_a_seat_offer_waiting_for_an_answer():
    load_demo()
    meeting, _past = _meetings()

    offer = SeatOffer.objects.get(event=meeting)
    assert offer.registration.email == content_day.OFFER_TO
    assert offer.registration.state == State.WAITLISTED
    assert offer.state == OfferState.PENDING and offer.expires_at > timezone.now()
    assert offer.offered_by.email == content.ORGANISER_EMAIL
    accepted = Registration.objects.filter(event=meeting, state=State.ACCEPTED, role="participant").count()
    assert seats_free(meeting) == meeting.capacity - accepted - 1  # the offer holds its seat


def test_the_earlier_meeting_is_over_with_check_ins_so_its_report_and_counters_have_figures():
    output = load_demo()
    _meeting, past = _meetings()

    assert past.ends_at < timezone.now()
    assert past.is_published
    assert f"/pl/manage/events/{past.slug}/report/" in output
    counts = checkin_counts(past)
    came = [person for person in content_day.PAST_REGISTRATIONS if "came" in person]
    assert counts["present"] == len(came) + 1  # and the walk-in
    assert counts["accepted"] == len(content_day.PAST_REGISTRATIONS) + 1
    # Check-ins per hour of the day, in the event's time zone: before ten and after.
    assert [hour[11:16] for hour, _count in counts["per_hour"]] == ["09:00", "10:00"]
    report = event_report(past).figures
    assert (report.admitted, report.present, report.no_shows) == (11, 9, 2)
    assert report.organisations_present >= 7
    checkins = CheckIn.objects.filter(event=past).select_related("checked_in_by", "registration")
    assert {checkin.source for checkin in checkins} == {"qr", "name", "walk_in"}
    assert {checkin.checked_in_by.email for checkin in checkins} == {content_day.DESK_EMAIL, content.ORGANISER_EMAIL}
    names = " ".join(checkin.registration.full_name for checkin in checkins)
    assert CYRILLIC.search(names) and HEBREW.search(names) and POLISH.search(names)
    walk_in = checkins.get(source="walk_in").registration
    assert walk_in.email == content_day.PAST_WALK_IN["email"] and walk_in.state == State.ACCEPTED


def test_the_organiser_sees_the_earlier_meetings_report():
    load_demo()
    _meeting, past = _meetings()
    client = Client()
    assert client.login(username=content.ORGANISER_EMAIL, password=content.ORGANISER_PASSWORD)
    page = client.get(reverse("checkin:report", kwargs={"slug": past.slug}), headers={"accept-language": "en"})
    assert page.status_code == 200
    assert "Farida Rahimi" not in page.content.decode()  # a report of counts, not of people


def test_both_meetings_are_part_of_the_national_fund_programme():
    if not hasattr(Event, "programme"):
        pytest.skip("events have no programme yet")
    load_demo()
    for event in _meetings():
        assert event.programme is not None
        assert event.programme.slug == "aktywni-obywatele-fundusz-krajowy"


def test_loading_again_records_no_check_in_answer_or_offer_twice():
    load_demo()
    before = (
        list(CheckIn.objects.values().order_by("pk")),
        list(SeatOffer.objects.values().order_by("pk")),
        Registration.objects.count(),
    )
    output = load_demo()
    after = (
        list(CheckIn.objects.values().order_by("pk")),
        list(SeatOffer.objects.values().order_by("pk")),
        Registration.objects.count(),
    )
    assert after == before
    assert "already loaded" in output


def test_loading_after_the_offer_ran_out_offers_again_or_skips_a_full_meeting():
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        load_demo()
    meeting, _past = _meetings()
    first = SeatOffer.objects.get(event=meeting)
    assert first.expires_at < timezone.now()

    load_demo()  # the offer ran out: the seat is offered to him again
    assert SeatOffer.objects.filter(event=meeting, state=OfferState.PENDING, expires_at__gt=timezone.now()).count() == 1

    with time_machine.travel(timezone.now() + timedelta(days=3)):
        taken = Registration.objects.filter(event=meeting, state=State.ACCEPTED, role="participant").count()
        event_update(event=meeting, data={"capacity": taken})  # an organiser filled the meeting
        output = load_demo()  # nothing to offer now, and loading still works
        assert SeatOffer.objects.filter(event=meeting).count() == 2
        assert "Demo event:" in output


@requires_pdf
def test_the_meetings_badge_sheet_shows_the_names_in_every_script():
    load_demo()
    meeting, _past = _meetings()

    text = pdf_text(badges_pdf(meeting, language="pl"))

    for name in ("Олена Коваленко", "Małgorzata Żółkowska", "יעל רוזנברג", "Miriam Landau"):
        assert name in text, name
    assert "Андрій Шевчук" not in text  # he answered that he is not coming: no badge


@requires_pdf
def test_every_page_of_the_last_week_and_the_day_opens_on_the_demo():
    """The organiser's pages of both meetings, the desk's, and the participants' tickets, with the
    demo's own data (every script, a walk-in, no-shows, an offer, a "no")."""
    load_demo()
    meeting, past = _meetings()
    organiser = Client()
    assert organiser.login(username=content.ORGANISER_EMAIL, password=content.ORGANISER_PASSWORD)
    names = ["before_the_day", "dashboard", "catering"]
    checkin_names = ["desk", "desk_list", "documents", "report", "counters", "report_pdf", "report_xlsx"]
    checkin_names += ["attendance_xlsx", "catering_pdf"]
    for event in (meeting, past):
        urls = [reverse(f"registrations:{name}", kwargs={"slug": event.slug}) for name in names]
        urls += [reverse(f"checkin:{name}", kwargs={"slug": event.slug}) for name in checkin_names]
        for url in urls:
            assert organiser.get(url).status_code == 200, url
    before = organiser.get(reverse("registrations:before_the_day", kwargs={"slug": meeting.slug})).content.decode()
    assert "Ahmad Karimi" in before and "Андрій Шевчук" in before
    desk = Client()
    assert desk.login(username=content_day.DESK_EMAIL, password=content_day.DESK_PASSWORD)
    listed = desk.get(reverse("checkin:desk_list", kwargs={"slug": meeting.slug})).json()
    assert "יעל רוזנברג" in str(listed)
    for registration in Registration.objects.filter(event__in=(meeting, past), state=State.ACCEPTED):
        page = Client().get(reverse("registrations:personal", kwargs={"token": registration.token}))
        assert page.status_code == 200
        code = ticket_code(registration)
        assert code is not None and code.split(".")[1] in page.content.decode(), registration.email
