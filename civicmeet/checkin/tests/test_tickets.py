"""Tickets: a signed opaque code, valid for the current acceptance only; QR codes of it."""

from __future__ import annotations

import base64

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from civicmeet.checkin.models import Ticket
from civicmeet.checkin.qr import qr_png, qr_svg
from civicmeet.checkin.tickets import (
    TicketRefused,
    code_for_ticket,
    nonce_from_code,
    ticket_check,
    ticket_code,
    ticket_for,
    ticket_from_code,
)
from civicmeet.events.tests.factories import EventFactory
from civicmeet.notifications.tests.smtp import SmtpServer
from civicmeet.registrations.extensions import email_extra, ticket_context
from civicmeet.registrations.personal_link import personal_url
from civicmeet.registrations.services import registration_cancel, registration_decide, registration_decision_undo
from civicmeet.registrations.tests.factories import submit

from .factories import accepted

pytestmark = pytest.mark.django_db


def refusal(code, **kwargs) -> str:
    with pytest.raises(TicketRefused) as caught:
        ticket = ticket_from_code(code)
        ticket.registration.refresh_from_db()
        ticket_check(ticket, **kwargs)
    return caught.value.reason


def test_an_accepted_participant_has_one_ticket_whose_code_holds_no_personal_data(event, organiser):
    registration = accepted(event, organiser, first_name="Ołena", last_name="Коваленко", email="olena@example.org")

    code = ticket_code(registration)

    assert code is not None and code.startswith("CM1.")
    assert ticket_code(registration) == code  # the same ticket on every ask
    assert Ticket.objects.filter(registration=registration).count() == 1
    for personal in ("Ołena", "Коваленко", "olena", "example", event.slug, registration.token):
        assert personal.lower() not in code.lower()
    # Only the ticket's random nonce and a signature: nothing derived from the person or the event.
    assert code.split(".")[1] == Ticket.objects.get(registration=registration).nonce
    assert len(code) < 60  # short enough for a QR code a phone's camera reads off a screen
    ticket = ticket_from_code(code)
    assert ticket.registration == registration
    ticket_check(ticket, event_id=event.pk)  # valid: raises nothing


@pytest.mark.parametrize("state", ["submitted", "waitlisted", "rejected"])
def test_no_ticket_unless_accepted(event, organiser, state):
    registration = submit(event)
    if state != "submitted":
        decision = {"waitlisted": "waitlist", "rejected": "reject"}[state]
        registration = registration_decide(registration=registration, decision=decision, actor=organiser)

    assert ticket_for(registration) is None
    assert ticket_code(registration) is None
    assert not Ticket.objects.filter(registration=registration).exists()


def test_a_changed_decision_replaces_the_ticket(event, organiser):
    registration = accepted(event, organiser)
    first = ticket_code(registration)

    registration = registration_decide(registration=registration, decision="waitlist", actor=organiser)
    assert refusal(first, event_id=event.pk) == "not_accepted"
    assert ticket_code(registration) is None

    registration = registration_decide(registration=registration, decision="accept", actor=organiser)
    second = ticket_code(registration)
    assert second is not None and second != first
    assert refusal(first, event_id=event.pk) == "replaced"
    ticket_check(ticket_from_code(second), event_id=event.pk)


def test_an_undone_acceptance_invalidates_its_ticket(event, organiser):
    registration = submit(event)
    registration = registration_decide(registration=registration, decision="accept", actor=organiser, undoable=True)
    code = ticket_code(registration)
    entry = registration.log.order_by("-id").first()

    registration_decision_undo(registration=registration, entry_id=entry.pk, actor=organiser)

    assert refusal(code, event_id=event.pk) == "not_accepted"


def test_a_cancelled_registrations_ticket_is_refused(event, organiser):
    registration = accepted(event, organiser)
    code = ticket_code(registration)

    registration_cancel(registration=registration)

    assert refusal(code, event_id=event.pk) == "not_accepted"


def test_a_ticket_of_another_event_is_refused(event, organiser):
    other = EventFactory(organisers=[organiser])
    code = ticket_code(accepted(other, organiser))

    assert refusal(code, event_id=event.pk) == "other_event"


def test_the_acceptance_email_carries_the_ticket_that_stays_valid(event, organiser):
    """The email is rendered inside the acceptance, before its history row: its ticket is the one
    the personal page shows afterwards, and the one the desk accepts."""
    registration = accepted(event, organiser)
    email = registration.emails.get(kind="registration_accepted")
    png = next(a for a in email.attachments if a["filename"] == "ticket.png")

    assert base64.b64decode(png["content_base64"]) == qr_png(ticket_code(registration))
    assert Ticket.objects.filter(registration=registration).count() == 1
    ticket_check(ticket_from_code(ticket_code(registration)), event_id=event.pk)


def test_tampered_codes_are_refused(event, organiser):
    code = ticket_code(accepted(event, organiser))
    prefix, nonce, signature = code.split(".")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")

    for bad in [
        f"{prefix}.{nonce}.{flipped}",
        f"{prefix}.{nonce[:-1]}x.{signature}",
        f"CM2.{nonce}.{signature}",
        f"{prefix}.{nonce}",
        code + ".",
        code + "x",
        "",
        "   ",
        "https://example.org/",
        "CM1..",
        "\x00" + code,
        code.replace("CM1", "СМ1"),  # Cyrillic look-alikes
        "x" * 10_000,
        None,
        42,
        b"CM1.a.b",
    ]:
        assert refusal(bad) == "tampered", bad


def test_a_well_signed_code_of_a_ticket_that_does_not_exist_is_unknown(event, organiser):
    ticket = ticket_for(accepted(event, organiser))
    code = code_for_ticket(ticket)
    Ticket.objects.filter(pk=ticket.pk).delete()

    assert refusal(code) == "unknown"


def test_surrounding_whitespace_of_a_scanned_code_is_ignored(event, organiser):
    registration = accepted(event, organiser)
    code = ticket_code(registration)

    assert ticket_from_code(f"  {code}\n").registration == registration


@hypothesis_settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=300), st.from_regex(r"CM1\.[-A-Za-z0-9_]{0,30}\.[-A-Za-z0-9_]{0,30}")))
def test_arbitrary_text_never_raises_anything_but_a_refusal(text):
    """Whatever a QR code holds, the answer is a refusal, never a crash (no database needed:
    a code that is not signed here never reaches it)."""
    with pytest.raises(TicketRefused) as caught:
        nonce_from_code(text)
    assert caught.value.reason == "tampered"
    assert caught.value.message


def test_qr_svg_is_an_accessible_scalable_image_without_inline_style():
    svg = qr_svg("CM1.abc.def", label="QR code of your ticket <ok>")

    assert svg.startswith("<svg ")
    assert 'role="img"' in svg and 'aria-label="QR code of your ticket &lt;ok&gt;"' in svg
    assert "viewBox=" in svg and "width=" not in svg.split(">")[0]
    assert "style" not in svg and "<script" not in svg
    hidden = qr_svg("CM1.abc.def")
    assert 'aria-hidden="true"' in hidden and "role=" not in hidden


def test_qr_png_is_a_png_that_grows_with_its_scale():
    small, large = qr_png("CM1.abc.def", scale=2), qr_png("CM1.abc.def", scale=8)

    assert small.startswith(b"\x89PNG\r\n\x1a\n") and large.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(large) > len(small)


def test_the_personal_page_and_the_emails_get_the_ticket_through_the_extensions(event, organiser):
    registration = accepted(event, organiser)
    code = ticket_code(registration)

    page = ticket_context(registration)
    assert page["code"] == code and "<svg" in page["qr_svg"]
    assert page["name"] == registration.full_name and page["organisation"] == "Fundacja Zustricz"

    for kind in ("registration_accepted", "event_reminder"):
        extra = email_extra(kind, registration)
        assert extra.context["ticket_url"] == personal_url(registration) + "#ticket"
        assert [a["filename"] for a in extra.attachments] == ["ticket.png"]
    assert email_extra("registration_waitlisted", registration).attachments == []
    assert ticket_context(submit(event)) is None


# -- Delivered: the acceptance email over a real SMTP server, and the personal page -------------


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def test_the_acceptance_email_arrives_over_smtp_with_the_ticket_as_a_png(event, organiser, smtp, run_on_commit):
    registration = submit(event, language="uk", email="mariia@example.org")
    with run_on_commit(execute=True):
        registration = registration_decide(registration=registration, decision="accept", actor=organiser)

    message = smtp.messages[-1]
    assert message["To"] == "mariia@example.org"
    (png,) = [part for part in message.walk() if part.get_filename() == "ticket.png"]
    assert png.get_content_type() == "image/png"
    assert png.get_payload(decode=True) == qr_png(ticket_code(registration))
    text = next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain" and not part.get_filename()
    )
    assert personal_url(registration) + "#ticket" in text
    html = next(
        part.get_payload(decode=True).decode() for part in message.walk() if part.get_content_type() == "text/html"
    )
    assert f'href="{personal_url(registration)}#ticket"' in html


def test_the_personal_page_shows_the_qr_code_with_its_code_under_it(client, event, organiser):
    registration = accepted(event, organiser, first_name="Ołena", last_name="Коваленко")
    code = ticket_code(registration)

    response = client.get(reverse("registrations:personal", kwargs={"token": registration.token}))

    page = response.content.decode()
    ticket = page[page.index('id="ticket"') : page.index("</section>", page.index('id="ticket"'))]
    assert '<svg role="img" aria-label="QR code of your ticket"' in ticket
    assert code.replace(".", ".<wbr>") in ticket
    assert "Ołena Коваленко" in ticket and "Fundacja Zustricz" in ticket
    assert "style=" not in ticket and "<script" not in ticket
    # The QR code on the page is the ticket's code, for the desk's camera.
    assert str(qr_svg(code, label="QR code of your ticket")) in ticket


def test_tickets_survive_a_rotated_secret_key_among_the_fallbacks(event, organiser, settings):
    registration = accepted(event, organiser)
    code = ticket_code(registration)
    old_key = settings.SECRET_KEY

    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 50
    assert refusal(code) == "tampered"  # a code signed with a key this site no longer has
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert ticket_from_code(code).registration == registration
    assert ticket_code(registration) != code  # new codes are signed with the new key
