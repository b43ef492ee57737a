from __future__ import annotations

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.utils import timezone

from civicmeet.accounts.models import ApiToken, TeamMember
from civicmeet.checkin.models import CheckIn, CheckInRequest, Ticket
from civicmeet.demo import content, content_day
from civicmeet.demo.management.commands.load_demo import demo_schedule
from civicmeet.events.models import CustomQuestion, Event
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.organisations.models import Organisation
from civicmeet.registrations.models import HealthDeclaration, LogEntry, Reconfirmation, Registration, SeatOffer, State
from civicmeet.registrations.validation import clean_answers

WARSAW = ZoneInfo("Europe/Warsaw")


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Everything the demo writes, as comparable values."""
    return {
        "users": list(get_user_model().objects.values_list("username", "password").order_by("pk")),
        "tokens": ApiToken.objects.count(),
        "events": list(Event.objects.values().order_by("pk")),
        "team": list(TeamMember.objects.values_list("team__event", "user_id", "role", "affiliation__organisation_id")),
        "organisations": list(Organisation.objects.values_list("name", "type").order_by("pk")),
        "questions": list(CustomQuestion.objects.values().order_by("pk")),
        "registrations": list(Registration.objects.values().order_by("pk")),
        "declarations": list(HealthDeclaration.objects.values().order_by("pk")),
        "log": LogEntry.objects.count(),
        "emails": OutgoingEmail.objects.count(),
        "tickets": list(Ticket.objects.values().order_by("pk")),
        "checkins": list(CheckIn.objects.values().order_by("pk")),
        "checkin_requests": CheckInRequest.objects.count(),
        "reconfirmations": list(Reconfirmation.objects.values().order_by("pk")),
        "offers": list(SeatOffer.objects.values().order_by("pk")),
    }


@pytest.mark.django_db
def test_load_demo_publishes_the_invitation_meeting_with_registration_open_today():
    load_demo()

    event = Event.objects.get(slug="spotkanie-sieciujace-krakow")
    assert event.is_published
    assert event.is_registration_open()
    assert event.capacity == 40
    assert event.seats_per_organisation == 2
    assert event.timezone == "Europe/Warsaw"
    assert timezone.now() + timedelta(days=14) < event.starts_at < timezone.now() + timedelta(days=30)
    assert event.registration_closes_at < event.starts_at
    assert sorted(org.name for org in event.co_organisers.all()) == [
        "Fundacja Zustricz",
        "Żydowskie Stowarzyszenie Czulent",
    ]


@pytest.mark.django_db
def test_load_demo_uses_the_real_invitation_texts_in_polish_ukrainian_and_english():
    load_demo()

    event = Event.objects.get(slug="spotkanie-sieciujace-krakow")
    for field in ("title", "description", "agenda", "venue", "conditions", "safety_rules", "processing_purpose"):
        assert set(getattr(event, field)) == {"pl", "uk", "en"}, field
    assert event.title["pl"] == "Spotkanie sieciujące organizacji mniejszości oraz migranckich"
    assert event.title["en"] == "Networking meeting of minority and migrant organisations"
    assert "Aktywni Obywatele – Fundusz krajowy" in event.description["pl"]
    assert "Czulent" in event.description["uk"] and "Зустріч" in event.description["uk"]
    assert "не означає" in event.conditions["uk"]
    assert "certyfikat COVID" in event.safety_rules["pl"]  # a note on safety; the rule is the event's policy
    for language in ("pl", "uk", "en"):
        assert len(event.agenda_items(language)) == 4
        assert "Fundacja Zustricz" in event.processing_purpose[language]
        assert "Żydowskie Stowarzyszenie Czulent" in event.processing_purpose[language]


@pytest.mark.django_db
def test_load_demo_gives_every_custom_question_and_option_a_label_in_each_language():
    load_demo()

    questions = list(Event.objects.get(slug=content.SLUG).questions.all())
    assert [(q.key, q.kind) for q in questions] == [
        ("topic", "single_choice"),
        ("lunch", "yes_no"),
        ("share", "long_text"),
    ]
    for question in questions:
        assert set(question.label) == {"pl", "uk", "en"}
        for option in question.options:
            assert set(option["label"]) == {"pl", "uk", "en"}


@pytest.mark.django_db
def test_demo_registrations_are_valid_and_some_are_already_decided():
    load_demo()

    event = Event.objects.get(slug=content.SLUG)
    registrations = list(event.registrations.select_related("organisation"))
    assert len(registrations) == len(content.REGISTRATIONS)
    questions = list(event.questions.all())
    for registration in registrations:
        assert clean_answers(questions, registration.answers) == registration.answers
        assert registration.consent_processing_at is not None
        assert registration.organisation is not None
    assert {r.language for r in registrations} == {"pl", "uk", "en"}
    assert {"kosher", "halal", "vegetarian"} <= {r.dietary for r in registrations}
    states = [r.state for r in registrations]
    decided = [person["decision"] for person in content.REGISTRATIONS if person.get("decision")]
    # One accepted participant answered "no" to "Are you still coming?": cancelled (content_day).
    said_no = [email for email, answer in content_day.RECONFIRM_ANSWERS.items() if answer == "no"]
    assert states.count(State.ACCEPTED) == decided.count("accept") - len(said_no) >= 5
    assert states.count(State.CANCELLED) == len(said_no) == 1
    assert states.count(State.WAITLISTED) == 1
    assert states.count(State.SUBMITTED) == len(registrations) - len(decided)
    waitlisted = event.registrations.get(state=State.WAITLISTED)
    # Its decision (the seat offered later is another row of its history).
    decision = waitlisted.log.get(action="registrations.registration.waitlisted")
    assert decision.actor.username == "organiser@civicmeet.local"
    assert decision.message


@pytest.mark.django_db
def test_demo_participants_are_emailed_in_their_own_language():
    load_demo()

    oksana = Registration.objects.get(event__slug=content.SLUG, email="oksana.melnyk@example.org")
    kinds = set(OutgoingEmail.objects.filter(registration=oksana).values_list("kind", "language"))
    assert kinds == {("registration_received", "uk"), ("registration_accepted", "uk"), ("reconfirm", "uk")}


@pytest.mark.django_db
def test_demo_organiser_can_log_in_and_is_on_the_event_team():
    output = load_demo()

    user = authenticate(username="organiser@civicmeet.local", password="civicmeet-demo")
    assert user is not None
    member = TeamMember.objects.get(team__event__slug=content.SLUG, user=user)
    assert member.role == "organiser"
    assert member.affiliation.organisation.name == "Fundacja Zustricz"
    assert "organiser@civicmeet.local" in output
    assert "civicmeet-demo" in output


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing():
    load_demo()
    before = snapshot()

    output = load_demo()

    assert snapshot() == before
    assert "already loaded" in output
    assert "civicmeet-demo" in output


@pytest.mark.django_db
def test_load_demo_restores_the_demo_password_when_it_was_changed():
    load_demo()
    user = get_user_model().objects.get(username="organiser@civicmeet.local")
    user.set_password("something else entirely")
    user.save()

    load_demo()

    assert authenticate(username="organiser@civicmeet.local", password="civicmeet-demo") is not None


@pytest.mark.django_db
def test_load_demo_reopens_registration_of_a_demo_loaded_long_ago():
    with time_machine.travel(datetime(2026, 1, 7, 12, 0, tzinfo=WARSAW), tick=False):
        load_demo()
    registrations = Registration.objects.count()

    with time_machine.travel(datetime(2026, 6, 1, 12, 0, tzinfo=WARSAW), tick=False):
        output = load_demo()
        event = Event.objects.get(slug=content.SLUG)
        assert event.is_registration_open()

    assert "Moved the demo event" in output
    assert Registration.objects.count() == registrations
    # The meeting and the earlier one (content_day), each once.
    assert sorted(Event.objects.values_list("slug", flat=True)) == sorted([content.SLUG, content_day.PAST_SLUG])


@pytest.mark.django_db
def test_load_demo_leaves_an_unpublished_demo_without_new_registrations():
    from civicmeet.events.services import event_unpublish

    load_demo()
    event = Event.objects.get(slug=content.SLUG)
    event_unpublish(event=event)
    Registration.objects.filter(email="hanna.dudra@example.org").delete()

    load_demo()

    event.refresh_from_db()
    assert not event.is_published
    assert not Registration.objects.filter(email="hanna.dudra@example.org").exists()


@pytest.mark.parametrize(
    "today",
    [date(2026, 11, 25), date(2026, 11, 27), date(2026, 11, 28), date(2021, 9, 6), date(2024, 2, 29)],
)
def test_demo_schedule_is_a_friday_about_three_weeks_ahead_with_the_deadline_the_sunday_before(today):
    schedule = demo_schedule(today, WARSAW)

    starts = schedule["starts_at"]
    assert starts.weekday() == 4
    assert (starts.hour, starts.minute) == (10, 0)
    assert (schedule["ends_at"].hour, schedule["ends_at"].minute) == (16, 0)
    assert 20 <= (starts.date() - today).days <= 26
    closes = schedule["registration_closes_at"]
    assert closes.weekday() == 6
    assert closes.date() == starts.date() - timedelta(days=5)
    assert schedule["registration_opens_at"].date() < today < closes.date()


def test_demo_content_does_not_point_at_files_outside_the_repository():
    # The demo must load on a machine that has only the repository.
    source = (content.__file__, demo_schedule.__code__.co_filename)
    for path in source:
        with open(path, encoding="utf-8") as handle:
            assert "/work/shared" not in handle.read()
