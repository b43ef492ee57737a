"""Every email names who sends it and how to reach them, and answers go to the organisers."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from django.core import mail

from civicmeet.events.services import event_identity_update
from civicmeet.events.tests.factories import OrganisationFactory
from civicmeet.registrations.services import registration_decide
from civicmeet.registrations.tests.factories import earlier_emails_sent, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact_event(organiser, event):
    event.co_organisers.set(
        [OrganisationFactory(name="Fundacja Zustricz"), OrganisationFactory(name="Żydowskie Stowarzyszenie Czulent")]
    )
    return event_identity_update(
        event=event,
        contact={
            "contact_email": "kontakt@zustricz.example.org",
            "contact_phone": "+48 600 123 456",
            "contact_languages": ["pl", "uk"],
        },
        actor=organiser,
    )


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def test_received_email_replies_to_the_organisers_and_is_signed_by_them(contact_event, run_on_commit):
    with run_on_commit(execute=True):
        submit(contact_event, language="en")
    [message] = mail.outbox
    assert message.reply_to == ["kontakt@zustricz.example.org"]
    assert message.extra_headers.get("Reply-To", "kontakt@zustricz.example.org") == "kontakt@zustricz.example.org"
    assert "Reply-To: kontakt@zustricz.example.org" in message.message().as_string()
    text = message.body
    assert "The organisers: Fundacja Zustricz and Żydowskie Stowarzyszenie Czulent" in text
    assert "Email: kontakt@zustricz.example.org" in text
    assert "Phone: +48 600 123 456" in text
    assert "We answer in: Polski, Українська" in text
    html = html_of(message)
    assert "The organisers: Fundacja Zustricz and Żydowskie Stowarzyszenie Czulent" in html
    assert '<a href="mailto:kontakt@zustricz.example.org">kontakt@zustricz.example.org</a>' in html
    assert '<a href="tel:+48600123456">+48 600 123 456</a>' in html
    assert '<span lang="pl">Polski</span>, <span lang="uk">Українська</span>' in html


def test_the_signature_is_in_the_participants_language(contact_event, run_on_commit):
    with run_on_commit(execute=True):
        submit(contact_event, language="uk")
    [message] = mail.outbox
    # Names and languages stay as they are; the words around them are Ukrainian.
    assert "Організатори: Fundacja Zustricz та Żydowskie Stowarzyszenie Czulent" in message.body
    assert "Ми відповідаємо такими мовами: Polski, Українська" in message.body
    assert "The organisers" not in message.body and "We answer in" not in message.body


def test_decision_emails_carry_the_contact_too(organiser, contact_event, run_on_commit):
    with run_on_commit(execute=True):
        registration = submit(contact_event, language="en")
    earlier_emails_sent()
    with run_on_commit(execute=True):
        registration_decide(registration=registration, decision="accept", actor=organiser)
    assert len(mail.outbox) == 1
    message = mail.outbox[-1]
    assert message.reply_to == ["kontakt@zustricz.example.org"]
    assert "Email: kontakt@zustricz.example.org" in message.body
    assert "kontakt@zustricz.example.org" in html_of(message)


def test_without_a_contact_there_is_no_reply_to_and_the_signature_stays_plain(event, run_on_commit):
    with run_on_commit(execute=True):
        submit(event, language="en")
    [message] = mail.outbox
    assert message.reply_to == []
    assert "Reply-To" not in message.message().as_string()
    assert "The organisers" in message.body and "Email:" not in message.body


def test_received_email_html_says_when_and_where_like_its_text(event, run_on_commit):
    event.venue = {"en": "Kraków, ul. Szeroka 1"}
    event.save()
    with run_on_commit(execute=True):
        submit(event, language="en")
    [message] = mail.outbox
    html, text = html_of(message), message.body
    assert "When:" in text and "Where: Kraków, ul. Szeroka 1" in text
    assert "When:" in html and "Where:" in html and "Kraków, ul. Szeroka 1" in html
    when_line = next(line for line in text.splitlines() if line.startswith("When:"))
    assert when_line.removeprefix("When: ").split(" (")[0] in html  # the same date and time


def test_emails_come_from_the_co_organisers_by_name_at_the_sites_address(contact_event, run_on_commit, settings):
    settings.DEFAULT_FROM_EMAIL = "civicmeet <no-reply@civicmeet.example.org>"
    with run_on_commit(execute=True):
        submit(contact_event, language="en")
    [message] = mail.outbox
    sent = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    [sender] = sent["From"].addresses
    assert sender.display_name == "Fundacja Zustricz and Żydowskie Stowarzyszenie Czulent"
    assert sender.addr_spec == "no-reply@civicmeet.example.org"


def test_a_name_cannot_break_the_from_header(organiser, event, run_on_commit, settings):
    settings.DEFAULT_FROM_EMAIL = "civicmeet <no-reply@civicmeet.example.org>"
    event.co_organisers.set([OrganisationFactory(name="Zustricz\r\nBcc: victim@example.org")])
    with run_on_commit(execute=True):
        submit(event, language="en")
    [message] = mail.outbox
    headers = message.message().as_string().split("\n\n", 1)[0]
    assert "\nBcc:" not in headers
    sent = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    [sender] = sent["From"].addresses
    assert sender.display_name == "Zustricz Bcc: victim@example.org"
    assert sender.addr_spec == "no-reply@civicmeet.example.org"
    assert sent["Bcc"] is None


def test_without_co_organisers_the_sender_is_the_sites_own(event, run_on_commit, settings):
    settings.DEFAULT_FROM_EMAIL = "civicmeet <no-reply@civicmeet.example.org>"
    event.co_organisers.clear()
    with run_on_commit(execute=True):
        submit(event, language="en")
    [message] = mail.outbox
    assert message.from_email == "civicmeet <no-reply@civicmeet.example.org>"
