"""Registrations without an email (only a walk-in at the desk may have none): the public registration
still needs one, and every message about a registration skips them cleanly — nothing raised, nothing
undeliverable queued — in the scheduled runs (reminder, reconfirmation, offers) and the one-off ones."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from civicmeet.core.errors import DomainError
from civicmeet.eligibility import SafetyPolicy
from civicmeet.events.tests.factories import EventFactory
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.registrations import emails as notify
from civicmeet.registrations.models import Reconfirmation, Registration, Reminder, SeatOffer, State
from civicmeet.registrations.offers import offers_fill
from civicmeet.registrations.reconfirmation import reconfirmations_send
from civicmeet.registrations.reminders import reminders_send
from civicmeet.registrations.safety import safety_verdicts_recompute
from civicmeet.registrations.services import (
    registration_cancel,
    registration_decide,
    registration_submit,
    registration_walk_in,
)

from .before_factories import accepted, waitlisted
from .factories import registration_data
from .test_forms import valid_post

pytestmark = pytest.mark.django_db

KYIV = ZoneInfo("Europe/Kyiv")
ACTION = "tests.walk_in"


def walk_in_without_email(event, actor, **overrides) -> Registration:
    """What the desk does for someone who gives no email (checkin.services.walk_in, without the check-in)."""
    with transaction.atomic():
        return registration_walk_in(
            event=event, data=registration_data(email="", **overrides), actor=actor, action=ACTION
        )


@pytest.fixture
def tomorrow(organiser):
    starts = datetime(2031, 5, 20, 9, 0, tzinfo=KYIV)
    return EventFactory(
        organisers=[organiser],
        timezone="Europe/Kyiv",
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        registration_opens_at=starts - timedelta(days=30),
        registration_closes_at=starts - timedelta(days=3),
        capacity=5,
        reconfirm_days_before=3,
    )


# -- The public registration still needs an email ----------------------------------------------------


def test_the_public_form_still_requires_an_email(client, event):
    with translation.override("en"):
        address = reverse("registrations:register", kwargs={"slug": event.slug})

    response = client.post(address, valid_post(email=""))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert not Registration.objects.exists()


def test_the_api_still_requires_an_email(client, event):
    body = {
        "first_name": "Olena",
        "last_name": "Kowalenko",
        "email": "",
        "organisation_name": "Fundacja Zustricz",
        "organisation_type": "migrant",
        "language": "uk",
        "dietary": "none",
        "answers": {},
        "consent_processing": True,
    }
    response = client.post(
        f"/api/v1/events/{event.slug}/registrations", data=json.dumps(body), content_type="application/json"
    )

    assert response.status_code in (400, 422)
    assert not Registration.objects.exists()


def test_the_registration_service_refuses_an_empty_email(event):
    with pytest.raises(DomainError, match="email address is required"):
        registration_submit(event=event, data=registration_data(email="  "))
    assert not Registration.objects.exists()


# -- Every message skips a registration without an email ---------------------------------------------


def test_a_walk_in_without_an_email_is_accepted_with_no_message(event, organiser):
    registration = walk_in_without_email(event, organiser)

    assert (registration.email, registration.state) == ("", State.ACCEPTED)
    assert not notify.has_address(registration)
    assert not OutgoingEmail.objects.exists()
    # Every sender answers None for them and queues nothing.
    assert notify.registration_link_to_participant(registration) is None
    assert notify.event_reminder_to_participant(registration) is None
    assert notify.registration_state_changed_to_participant(registration) is None
    assert not OutgoingEmail.objects.exists()


def test_decisions_about_them_are_recorded_without_an_email(event, organiser):
    registration = walk_in_without_email(event, organiser)

    registration = registration_decide(registration=registration, decision="waitlist", actor=organiser)
    registration_cancel(registration=registration)

    registration.refresh_from_db()
    assert registration.state == State.CANCELLED
    assert [entry.email for entry in registration.log.all()] == [None, None, None]
    assert not OutgoingEmail.objects.exists()


def test_the_reminder_run_skips_them_without_error(tomorrow, organiser):
    with time_machine.travel(tomorrow.starts_at - timedelta(days=10), tick=False):
        person = accepted(tomorrow, organiser)
        walked = walk_in_without_email(tomorrow, organiser)
    with time_machine.travel(datetime(2031, 5, 19, 10, 0, 1, tzinfo=KYIV), tick=False):
        assert reminders_send() == 1
        assert reminders_send() == 0

    assert list(OutgoingEmail.objects.filter(kind="event_reminder").values_list("to", flat=True)) == [person.email]
    assert not Reminder.objects.filter(registration=walked).exists()
    assert not OutgoingEmail.objects.filter(to="").exists()


def test_the_reconfirmation_run_skips_them_without_error(tomorrow, organiser):
    with time_machine.travel(tomorrow.starts_at - timedelta(days=10), tick=False):
        person = accepted(tomorrow, organiser)
        walked = walk_in_without_email(tomorrow, organiser)
    with time_machine.travel(tomorrow.starts_at - timedelta(days=3) + timedelta(minutes=1), tick=False):
        assert reconfirmations_send() == 1

    assert list(OutgoingEmail.objects.filter(kind="reconfirm").values_list("to", flat=True)) == [person.email]
    assert not Reconfirmation.objects.filter(registration=walked).exists()
    assert not OutgoingEmail.objects.filter(to="").exists()


def test_an_automatic_offer_passes_them_by_for_the_next_one(organiser):
    event = EventFactory(organisers=[organiser], capacity=1, offers_automatic=False)
    walked = walk_in_without_email(event, organiser)
    registration_decide(registration=walked, decision="waitlist", actor=organiser)  # the seat is free
    after = waitlisted(event, organiser)  # later on the waiting list, but with an email

    (offer,) = offers_fill(event=event)

    assert offer.registration == after
    assert not SeatOffer.objects.filter(registration=walked).exists()
    assert list(OutgoingEmail.objects.filter(kind="seat_offer").values_list("to", flat=True)) == [after.email]


def test_a_changed_safety_rule_tells_the_others_and_skips_them(organiser):
    starts = datetime(2031, 5, 20, 9, 0, tzinfo=KYIV)
    event = EventFactory(
        organisers=[organiser],
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        registration_opens_at=starts - timedelta(days=30),
        registration_closes_at=starts - timedelta(days=3),
    )
    with time_machine.travel(starts - timedelta(days=10), tick=False):
        person = accepted(event, organiser)
        walk_in_without_email(event, organiser)
        event.safety_policy = SafetyPolicy().to_data()
        event.save(update_fields=["safety_policy"])

        changed = safety_verdicts_recompute(event=event)

    assert len(changed) == 2  # both verdicts changed (nothing declared under a new rule)
    assert list(OutgoingEmail.objects.filter(kind="safety_verdict_changed").values_list("to", flat=True)) == [
        person.email
    ]
    assert not OutgoingEmail.objects.filter(to="").exists()
