"""Certificates of attendance: in each person's language, after the event, only for people present;
emailed once on the organisers' click, delivered over a real SMTP server on loopback."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from civicmeet.checkin.documents import certificates
from civicmeet.core.errors import ConflictError
from civicmeet.events.models import Event
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.notifications.tasks import deliver_waiting
from civicmeet.notifications.tests.test_delivery import smtp  # noqa: F401 - the fixture

from .documents_helpers import AVRAHAM, LUCJA, OLENA, in_order, pdf_text, requires_pdf
from .factories import accepted, checked_in

pytestmark = [pytest.mark.django_db, requires_pdf]


def end_event(event) -> Event:
    """Move the event into the past (its check-ins stay)."""
    starts = timezone.now() - timedelta(days=1)
    Event.objects.filter(pk=event.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=6))
    event.refresh_from_db()
    return event


@pytest.fixture
def day_done(event, organiser):
    olena = checked_in(event, organiser, **OLENA).registration
    lucja = checked_in(event, organiser, **LUCJA).registration
    avraham = accepted(event, organiser, **AVRAHAM)  # did not come
    end_event(event)
    return olena, lucja, avraham


def test_certificate_is_in_the_persons_language(day_done):
    olena, lucja, _avraham = day_done
    ukrainian = pdf_text(certificates.certificate_pdf(olena))
    assert in_order(ukrainian, "Сертифікат про участь", "Олена Коваль", "Fundacja Zustricz")
    assert "Мережева зустріч організацій меншин і мігрантів" in ukrainian
    polish = pdf_text(certificates.certificate_pdf(lucja))
    assert in_order(polish, "Zaświadczenie o udziale", "Łucja Żółkiewska")
    assert "Spotkanie sieciujące organizacji mniejszości oraz migranckich" in polish


def test_certificate_only_after_the_event_and_only_for_people_present(event, organiser):
    olena = checked_in(event, organiser, **OLENA).registration
    avraham = accepted(event, organiser, **AVRAHAM)
    assert not certificates.certificate_available(olena)  # the event is two weeks away
    end_event(event)
    olena.refresh_from_db()
    avraham.refresh_from_db()
    assert certificates.certificate_available(olena)
    assert not certificates.certificate_available(avraham)


def test_sending_before_the_event_is_over_is_refused(event, organiser):
    checked_in(event, organiser, **OLENA)
    with pytest.raises(ConflictError):
        certificates.certificates_send(event=event, actor=organiser)
    assert not OutgoingEmail.objects.filter(kind=certificates.EMAIL_KIND).exists()


def test_certificates_are_queued_once_per_person_present(event, organiser, day_done):
    olena, lucja, avraham = day_done
    assert certificates.certificates_send(event=event, actor=organiser) == 2
    assert certificates.certificates_send(event=event, actor=organiser) == 0  # clicked twice
    emails = OutgoingEmail.objects.filter(kind=certificates.EMAIL_KIND)
    assert sorted(email.to for email in emails) == sorted([olena.email, lucja.email])
    counts = certificates.certificate_counts(event)
    assert (counts.present, counts.sent, counts.waiting) == (2, 2, 0)
    ukrainian = emails.get(to=olena.email)
    assert ukrainian.language == "uk"
    attachment = ukrainian.attachments[0]
    assert attachment["mimetype"] == "application/pdf"
    assert "Олена Коваль" in pdf_text(base64.b64decode(attachment["content_base64"]))


def test_a_newly_checked_in_person_gets_theirs_on_the_next_click(event, organiser, day_done):
    certificates.certificates_send(event=event, actor=organiser)
    late = checked_in(event, organiser, first_name="Taras", last_name="Spóźniony").registration
    assert certificates.certificates_send(event=event, actor=organiser) == 1
    assert OutgoingEmail.objects.filter(kind=certificates.EMAIL_KIND, to=late.email).count() == 1


def test_certificates_are_delivered_over_smtp_with_the_pdf(event, organiser, day_done, smtp, run_on_commit):  # noqa: F811
    olena, _lucja, _avraham = day_done
    deliver_waiting()  # the acceptance emails of the day
    smtp.collector.messages.clear()
    with run_on_commit(execute=True):
        certificates.certificates_send(event=event, actor=organiser)
    deliver_waiting()
    messages = {message["To"]: message for message in smtp.messages}
    assert set(messages) == {olena.email, day_done[1].email}
    message = messages[olena.email]
    assert message["Content-Language"] == "uk"
    pdfs = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1
    assert pdfs[0].get_filename().endswith("-certificate.pdf")
    assert in_order(pdf_text(pdfs[0].get_payload(decode=True)), "Сертифікат про участь", "Олена Коваль")


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_clicks_at_the_same_moment_queue_one_email_per_person():
    """Two organisers (or a double click and a retry) send at once: each person's row lock decides,
    on SQLite (IMMEDIATE transactions) and PostgreSQL alike."""
    from civicmeet.events.tests.factories import EventFactory, UserFactory
    from civicmeet.registrations.tests.test_concurrency import run_at_once

    organiser = UserFactory()
    event = EventFactory(organisers=[organiser])
    people = [checked_in(event, organiser, **person).registration for person in (OLENA, LUCJA, AVRAHAM)]
    end_event(event)

    def click():
        return certificates.certificates_send(event=Event.objects.get(pk=event.pk), actor=organiser)

    outcomes = run_at_once([click, click, click])
    assert all(isinstance(outcome, int) for outcome in outcomes), outcomes
    assert sum(outcomes) == 3
    emails = OutgoingEmail.objects.filter(kind=certificates.EMAIL_KIND)
    assert sorted(email.to for email in emails) == sorted(person.email for person in people)
