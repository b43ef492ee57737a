"""Helpers for the before-the-day tests: the links as the emails carry them."""

from __future__ import annotations

import re

from civicmeet.notifications.models import OutgoingEmail
from civicmeet.registrations.models import Registration
from civicmeet.registrations.services import registration_decide

from .factories import submit


def link_token(registration: Registration, kind: str, path: str) -> str:
    """The token of the link in the latest email of `kind` to this person (as they would click it)."""
    email = OutgoingEmail.objects.filter(kind=kind, to=registration.email).order_by("-id").first()
    assert email is not None, f"no {kind} email to {registration.email}"
    match = re.search(rf"/{path}/([-A-Za-z0-9_]+)/", email.body_text)
    assert match, email.body_text
    assert match.group(0) in email.body_html
    return match.group(1)


def offer_token(registration: Registration) -> str:
    return link_token(registration, "seat_offer", "seat-offer")


def reconfirm_token(registration: Registration) -> str:
    return link_token(registration, "reconfirm", "still-coming")


def accepted(event, actor, **overrides) -> Registration:
    registration = submit(event, **overrides)
    return registration_decide(registration=registration, decision="accept", actor=actor)


def waitlisted(event, actor, **overrides) -> Registration:
    registration = submit(event, **overrides)
    return registration_decide(registration=registration, decision="waitlist", actor=actor)
