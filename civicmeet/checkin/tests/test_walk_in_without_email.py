"""Walk-ins without an email: at the door the email is optional. Such a person is registered,
accepted and checked in like any walk-in, gets no message at all (nothing waits undeliverable in the
outbox), and the organisers are told where they look (the person's page, the documents page)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from civicmeet.checkin.documents import certificates
from civicmeet.checkin.models import CheckIn, Source
from civicmeet.checkin.services import walk_in
from civicmeet.events.models import Event
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.notifications.tasks import deliver_waiting
from civicmeet.registrations.models import Registration, State
from civicmeet.registrations.services import AlreadyRegisteredError, registration_decide
from civicmeet.registrations.tests.factories import registration_data

from .documents_helpers import requires_pdf
from .factories import checked_in, desk_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(event):
    return desk_member(event, email="desk@zustricz.example.org", first_name="Marta", last_name="Nowak")


@pytest.fixture
def desk_client(client, desk):
    client.force_login(desk)
    return client


def url(name: str, event, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"checkin:{name}", kwargs={"slug": event.slug})


def no_email(**overrides):
    return registration_data(email="", **overrides)


def walk_in_form(**overrides):
    return {
        "first_name": "Dmytro",
        "last_name": "Шевченко",
        "organisation_name": "Stowarzyszenie Ukraińców",
        "email": "",
        "language": "uk",
        "consent_processing": "on",
        "client_id": "walk-no-email-1",
        **overrides,
    }


def end_event(event) -> Event:
    starts = timezone.now() - timedelta(days=1)
    Event.objects.filter(pk=event.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=6))
    event.refresh_from_db()
    return event


# --- The service ------------------------------------------------------------------------------------


def test_a_walk_in_without_an_email_is_registered_accepted_and_checked_in(event, desk, run_on_commit):
    with run_on_commit(execute=True):
        result = walk_in(
            event=event, data=no_email(first_name="Dawid", last_name="Szapiro"), actor=desk, client_id="w-1"
        )

    registration = Registration.objects.get(event=event)
    assert (registration.email, registration.state, registration.full_name) == ("", State.ACCEPTED, "Dawid Szapiro")
    assert result.registration == registration and not result.already
    checkin = CheckIn.objects.get(registration=registration)
    assert (checkin.source, checkin.checked_in_by) == (Source.WALK_IN, desk)
    # No message at all: nothing in the outbox (no acceptance, no ticket), nothing sent.
    assert not OutgoingEmail.objects.exists()
    deliver_waiting()
    assert mail.outbox == []
    # The history says what happened, with no email attached to it.
    entry = registration.log.get()
    assert (entry.action, entry.to_state, entry.email) == ("checkin.registration.walk_in", State.ACCEPTED, None)


def test_two_walk_ins_without_an_email_at_one_event_both_work(event, desk):
    walk_in(event=event, data=no_email(first_name="Dawid"), actor=desk, client_id="w-1")
    walk_in(event=event, data=no_email(first_name="Estera"), actor=desk, client_id="w-2")

    registrations = Registration.objects.filter(event=event, state=State.ACCEPTED).order_by("first_name")
    assert [(r.first_name, r.email) for r in registrations] == [("Dawid", ""), ("Estera", "")]
    assert CheckIn.objects.filter(event=event).count() == 2


def test_an_email_given_at_the_door_is_still_one_registration_per_email(event, desk):
    walk_in(event=event, data=no_email(), actor=desk, client_id="w-1")
    walk_in(event=event, data=registration_data(email="dawid@example.org"), actor=desk, client_id="w-2")

    with pytest.raises(AlreadyRegisteredError):
        walk_in(event=event, data=registration_data(email="Dawid@Example.org"), actor=desk, client_id="w-3")
    assert Registration.objects.filter(event=event).count() == 2


def test_the_database_allows_many_rows_without_an_email_and_one_per_email(event, desk):
    """The partial unique index itself (SQLite and PostgreSQL), below the services."""
    walk_in(event=event, data=no_email(), actor=desk, client_id="w-1")
    first = Registration.objects.get(event=event)

    def copy(email: str) -> None:
        Registration.objects.create(event=event, first_name="Copy", last_name="Row", email=email, language="en")

    copy("")  # a second row without an email: allowed
    copy("miriam@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        copy("MIRIAM@example.org")
    assert Registration.objects.filter(event=event, email="").count() == 2
    assert first.email == ""


def test_a_walk_in_without_an_email_moved_to_the_waiting_list_is_not_offered_a_freed_seat(organiser, desk):
    """An automatic offer passes by someone it could not reach; an organiser's offer is refused."""
    from civicmeet.events.tests.factories import EventFactory
    from civicmeet.registrations.models import SeatOffer
    from civicmeet.registrations.offers import OfferError, offer_make, offers_fill

    event = EventFactory(organisers=[organiser], capacity=2, offers_automatic=False)
    desk_member_user = desk_member(event)
    walked = walk_in(event=event, data=no_email(), actor=desk_member_user, client_id="w-1").registration
    registration_decide(registration=walked, decision="waitlist", actor=organiser)

    assert offers_fill(event=event) == []
    with pytest.raises(OfferError, match="has no email"):
        offer_make(registration=walked, actor=organiser)
    assert not SeatOffer.objects.exists()
    assert not OutgoingEmail.objects.exists()


# --- The desk's form ---------------------------------------------------------------------------------


def test_the_walk_in_form_says_what_happens_without_an_email(desk_client, event):
    page = desk_client.get(url("desk_walk_in", event)).content.decode()

    assert "Optional. Without an email the person gets no messages" in page
    # The email is no longer marked as required (the other fields still are).
    form = desk_client.get(url("desk_walk_in", event)).context["form"]
    assert not form.fields["email"].required and form.fields["first_name"].required


def test_the_walk_in_form_without_an_email_checks_the_person_in(desk_client, event, desk):
    response = desk_client.post(url("desk_walk_in", event), walk_in_form())

    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert (registration.email, registration.state) == ("", State.ACCEPTED)
    assert registration.checkin.checked_in_by == desk

    # Another person without an email a moment later: a second registration.
    desk_client.post(url("desk_walk_in", event), walk_in_form(first_name="Estera", client_id="walk-no-email-2"))
    assert Registration.objects.filter(event=event, email="").count() == 2


def test_a_bad_email_is_still_refused_next_to_the_field(desk_client, event):
    response = desk_client.post(url("desk_walk_in", event), walk_in_form(email="not an email"))

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"email"}
    assert not Registration.objects.exists()


def test_the_walk_in_json_endpoint_without_an_email(desk_client, event):
    body = {**walk_in_form(), "consent_processing": True}
    response = desk_client.post(url("desk_walk_ins", event), data=json.dumps(body), content_type="application/json")

    assert response.status_code == 201
    assert response.json()["name"] == "Dmytro Шевченко"
    assert Registration.objects.get(event=event).email == ""


# --- Where the organisers look --------------------------------------------------------------------


def test_the_registrations_page_says_no_email_and_links_their_personal_page(client, event, organiser, desk):
    registration = walk_in(event=event, data=no_email(), actor=desk, client_id="w-1").registration
    client.force_login(organiser)

    page = client.get(reverse("registrations:detail", kwargs={"slug": event.slug, "pk": registration.pk}))
    text = page.content.decode()

    assert "No email: this person gets no messages" in text
    assert 'href="mailto:' not in text
    # In the person's language (Ukrainian here), as their link would be.
    assert f'/uk/r/{registration.token}/"' in text
    listing = client.get(reverse("registrations:dashboard", kwargs={"slug": event.slug})).content.decode()
    assert "No email" in listing


def test_the_registrations_page_of_someone_with_an_email_keeps_the_address(client, event, organiser, desk):
    registration = walk_in(event=event, data=registration_data(email="d@example.org"), actor=desk, client_id="w")
    client.force_login(organiser)

    text = client.get(
        reverse("registrations:detail", kwargs={"slug": event.slug, "pk": registration.registration.pk})
    ).content.decode()

    assert 'href="mailto:d@example.org"' in text
    assert "No email: this person gets no messages" not in text
    assert f"/r/{registration.registration.token}/" not in text


# --- Certificates ----------------------------------------------------------------------------------


def test_certificates_are_not_emailed_to_people_without_an_email_and_the_page_says_so(client, event, organiser, desk):
    walk_in(event=event, data=no_email(), actor=desk, client_id="w-1")
    walk_in(event=event, data=no_email(first_name="Estera"), actor=desk, client_id="w-2")
    end_event(event)

    counts = certificates.certificate_counts(event)
    assert (counts.present, counts.sent, counts.without_email, counts.waiting) == (2, 0, 2, 0)
    assert certificates.certificates_send(event=event, actor=organiser) == 0
    assert not OutgoingEmail.objects.exists()

    client.force_login(organiser)
    page = client.get(reverse("checkin:documents", kwargs={"slug": event.slug})).content.decode()
    assert "2 people present gave no email and get no certificate by email" in page


@requires_pdf
def test_certificates_go_to_the_others_when_some_have_no_email(event, organiser, desk):
    walk_in(event=event, data=no_email(), actor=desk, client_id="w-1")
    olena = checked_in(event, organiser, email="olena@example.org").registration
    end_event(event)

    assert certificates.certificates_send(event=event, actor=organiser) == 1

    sent = OutgoingEmail.objects.filter(kind=certificates.EMAIL_KIND)
    assert list(sent.values_list("to", flat=True)) == [olena.email]
    assert certificates.certificate_counts(event).waiting == 0


def test_their_personal_page_opens_and_shows_their_ticket(client, event, desk):
    registration = walk_in(event=event, data=no_email(), actor=desk, client_id="w-1").registration

    with translation.override("en"):
        page = client.get(reverse("registrations:personal", kwargs={"token": registration.token}))

    assert page.status_code == 200
    text = page.content.decode()
    assert reverse("checkin:ticket_pdf", kwargs={"token": registration.token}) in text
