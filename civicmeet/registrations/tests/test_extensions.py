"""The hooks through which apps above registrations add to its emails and the personal page."""

from __future__ import annotations

import base64

import pytest
from django.core import mail
from django.urls import reverse

from civicmeet.events.tests.factories import EventFactory
from civicmeet.notifications.tasks import deliver_waiting
from civicmeet.registrations import extensions
from civicmeet.registrations.extensions import EmailExtra
from civicmeet.registrations.services import registration_decide

from .factories import submit

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n-not-really-a-picture"


@pytest.fixture
def providers(monkeypatch):
    """Fresh provider lists for one test (the apps' own stay as they were)."""
    monkeypatch.setattr(extensions, "_ticket_providers", [])
    monkeypatch.setattr(extensions, "_email_extras", [])
    return extensions


def test_an_email_extra_adds_context_and_a_binary_attachment_to_the_acceptance(providers, organiser):
    seen = []

    def ticket_extra(kind, registration):
        seen.append(kind)
        if kind != "registration_accepted":
            return None
        return EmailExtra(
            context={"ticket_url": "https://example.org/t/abc"},
            attachments=[
                {"filename": "ticket.png", "mimetype": "image/png", "content_base64": base64.b64encode(PNG).decode()}
            ],
        )

    providers.register_email_extra(ticket_extra)
    providers.register_email_extra(ticket_extra)  # registering twice adds it once
    event = EventFactory(organisers=[organiser])
    registration = submit(event)
    registration_decide(registration=registration, decision="accept", actor=organiser)
    deliver_waiting()
    accepted = [message for message in mail.outbox if any(a[0] == "ticket.png" for a in message.attachments)]
    assert len(accepted) == 1
    names = {attachment[0]: attachment for attachment in accepted[0].attachments}
    assert names["ticket.png"][1] == PNG and names["ticket.png"][2] == "image/png"
    assert f"{event.slug}.ics" in names  # the acceptance's own attachment is kept
    assert seen.count("registration_accepted") == 1 and "registration_received" in seen


def test_the_ticket_provider_gives_the_ticket_area_its_context_for_an_accepted_person_only(
    providers, organiser, client
):
    providers.register_ticket_provider(lambda registration: {"code": f"code-of-{registration.pk}"})
    event = EventFactory(organisers=[organiser])
    registration = submit(event)
    path = reverse("registrations:personal", kwargs={"token": registration.token})
    assert client.get(path).context["ticket"] is None  # submitted: no ticket
    registration_decide(registration=registration, decision="accept", actor=organiser)
    assert client.get(path).context["ticket"] == {"code": f"code-of-{registration.pk}"}
