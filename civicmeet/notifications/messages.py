"""One function per message, named by what happened and to whom.

Each renders subject, text and HTML templates in the recipient's language, stores the result in
the outbox (same transaction as the change it reports) and enqueues its sending after the commit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .calendar import event_ics
from .models import OutgoingEmail


def personal_url(registration) -> str:
    with translation.override(registration.language):
        path = reverse("registrations:personal", kwargs={"token": registration.token})
    return settings.SITE_URL + path


def _safety_context(registration) -> dict:
    """The event's safety rules, written from its parameters, and this person's verdict."""
    from civicmeet.registrations.safety import registration_verdict_text
    from civicmeet.registrations.safety_text import safety_rules_intro, safety_rules_text

    policy = registration.event.safety
    if policy is None:
        return {}
    return {
        "safety_rules_intro": safety_rules_intro(),
        "safety_rules": safety_rules_text(policy),
        "safety_verdict_text": registration_verdict_text(registration),
    }


def _queue(kind: str, registration, *, context: dict | None = None, attachments: list | None = None) -> OutgoingEmail:
    from . import tasks

    event = registration.event
    with translation.override(registration.language), timezone.override(event.tz):
        ctx = {
            "registration": registration,
            "event": event,
            "event_title": event.display_title(),
            "starts_at": event.local(event.starts_at),
            "ends_at": event.local(event.ends_at),
            "closes_at": event.local(event.registration_closes_at),
            "personal_url": personal_url(registration),
            "site_url": settings.SITE_URL,
            "venue": event.text("venue"),
            **_safety_context(registration),
            **(context or {}),
        }
        subject = " ".join(render_to_string(f"notifications/emails/{kind}_subject.txt", ctx).split())
        body_text = render_to_string(f"notifications/emails/{kind}.txt", ctx)
        body_html = render_to_string(f"notifications/emails/{kind}.html", ctx)
    email = OutgoingEmail.objects.create(
        kind=kind,
        registration=registration,
        to=registration.email,
        language=registration.language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=attachments or [],
    )
    transaction.on_commit(lambda: tasks.enqueue(email))
    return email


def registration_received_to_participant(registration) -> OutgoingEmail:
    return _queue("registration_received", registration)


def registration_link_to_participant(registration) -> OutgoingEmail:
    return _queue("registration_link", registration)


def registration_accepted_to_participant(registration, message: str = "") -> OutgoingEmail:
    ics = {
        "filename": f"{registration.event.slug}.ics",
        "mimetype": "text/calendar",
        "content": event_ics(registration),
    }
    return _queue("registration_accepted", registration, context={"message": message}, attachments=[ics])


def registration_waitlisted_to_participant(registration, message: str = "") -> OutgoingEmail:
    return _queue("registration_waitlisted", registration, context={"message": message})


def registration_rejected_to_participant(registration, message: str = "") -> OutgoingEmail:
    return _queue("registration_rejected", registration, context={"message": message})


def registration_cancelled_to_participant(registration, message: str = "") -> OutgoingEmail:
    return _queue("registration_cancelled", registration, context={"message": message})


def safety_verdict_changed_to_participant(registration) -> OutgoingEmail:
    """The event's safety rule changed and the participant's declaration now has another verdict."""
    return _queue("safety_verdict_changed", registration)


_BY_STATE = {
    "accepted": registration_accepted_to_participant,
    "waitlisted": registration_waitlisted_to_participant,
    "rejected": registration_rejected_to_participant,
    "cancelled": registration_cancelled_to_participant,
}


def registration_state_changed_to_participant(registration, message: str = "") -> OutgoingEmail | None:
    sender = _BY_STATE.get(registration.state)
    return sender(registration, message) if sender else None
