"""The before-the-day admins (reconfirmations, seat offers, reminders) show the rows and change none."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.utils import timezone

from civicmeet.core.tests.test_admin import admin_url, assert_writes_refused, edit_form_data
from civicmeet.events.tests.factories import EventFactory
from civicmeet.registrations.models import HealthDeclaration, Reconfirmation, Registration, Reminder, SeatOffer
from civicmeet.registrations.offers import offer_make
from civicmeet.registrations.reconfirmation import reconfirmation_answer, reconfirmations_send
from civicmeet.registrations.reminders import reminder_due_at, reminders_send

from .before_factories import accepted, waitlisted

pytestmark = pytest.mark.django_db


@pytest.fixture
def before_the_day(organiser):
    """An event asking "Are you still coming?" now, one answer, a pending offer and a reminder sent."""
    now = timezone.now()
    event = EventFactory(
        organisers=[organiser],
        capacity=3,
        reconfirm_days_before=1,
        starts_at=now + timezone.timedelta(hours=20),
        ends_at=now + timezone.timedelta(hours=26),
        registration_opens_at=now - timezone.timedelta(days=3),
        registration_closes_at=now + timezone.timedelta(hours=10),
    )
    anna = accepted(event, organiser, first_name="Anna", last_name="Kowalska")
    borys = accepted(event, organiser, first_name="Borys", last_name="Шевченко")
    chaja = waitlisted(event, organiser, first_name="Chaja", last_name="כהן")
    assert reconfirmations_send() == 2
    reconfirmation_answer(reconfirmation=anna.reconfirmation, answer="yes")
    offer = offer_make(registration=chaja, actor=organiser)
    assert reminders_send(now=max(reminder_due_at(event), now)) == 2
    return event, anna, borys, chaja, offer


def test_the_before_the_day_models_are_in_the_admin_and_health_data_is_not():
    for model in (Reconfirmation, SeatOffer, Reminder):
        assert model in admin.site._registry, model
    # Declarations (special-category data) have no admin, and the registration's page shows none.
    assert HealthDeclaration not in admin.site._registry
    registration_admin = admin.site._registry[Registration]
    assert not [inline for inline in registration_admin.inlines if inline.model is HealthDeclaration]


def test_reconfirmations_are_listed_with_their_answers_without_the_links_token(admin_client, before_the_day):
    _event, anna, borys, _chaja, _offer = before_the_day
    listing = admin_client.get(admin_url(Reconfirmation, "changelist"), headers={"accept-language": "en"})
    assert listing.status_code == 200
    content = listing.content.decode()
    assert "Anna Kowalska" in content and "Borys Шевченко" in content
    assert "Still coming" in content

    answered = Reconfirmation.objects.get(registration=anna)
    page = admin_client.get(
        admin_url(answered, "change", answered.pk), headers={"accept-language": "en"}
    ).content.decode()
    assert "Still coming" in page
    assert answered.token_hash not in page
    assert 'name="_save"' not in page
    only_yes = admin_client.get(admin_url(Reconfirmation, "changelist") + "?answer=yes").content.decode()
    assert "Anna Kowalska" in only_yes and "Borys Шевченко" not in only_yes


def test_seat_offers_are_listed_with_state_and_expiry_without_the_links_token(admin_client, before_the_day):
    _event, _anna, _borys, chaja, offer = before_the_day
    listing = admin_client.get(admin_url(SeatOffer, "changelist"), headers={"accept-language": "en"})
    assert listing.status_code == 200
    assert "Chaja כהן" in listing.content.decode()
    assert "Waiting for an answer" in listing.content.decode()

    page = admin_client.get(admin_url(offer, "change", offer.pk), headers={"accept-language": "en"}).content.decode()
    assert "Open until" in page
    assert offer.token_hash not in page
    assert 'name="_save"' not in page


def test_reminders_are_listed(admin_client, before_the_day):
    _event, anna, _borys, _chaja, _offer = before_the_day
    listing = admin_client.get(admin_url(Reminder, "changelist"))
    assert listing.status_code == 200
    assert "Anna Kowalska" in listing.content.decode()
    reminder = Reminder.objects.get(registration=anna)
    assert admin_client.get(admin_url(reminder, "change", reminder.pk)).status_code == 200


@pytest.mark.parametrize("model", [Reconfirmation, SeatOffer, Reminder])
def test_posting_an_edit_add_or_delete_changes_nothing(admin_client, before_the_day, model, monkeypatch):
    obj = model.objects.order_by("pk").first()
    assert obj is not None
    data = edit_form_data(admin_client, obj, monkeypatch)
    if model is Reconfirmation:
        data.update(answer=["no"])
    elif model is SeatOffer:
        data.update(state=["accepted"], expires_at_0=["2030-01-01"], expires_at_1=["12:00:00"])
    assert_writes_refused(admin_client, obj, data)
