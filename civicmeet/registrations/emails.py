"""The emails about registrations: one function per message, named by what happened and to whom.

A registration without an email (a walk-in at the desk who gave none) gets none of them: every
sender returns None for it and queues nothing (`has_address`).

Each renders subject, text and HTML templates (registrations/emails/) in the participant's
language and hands the result to the outbox (notifications.services.email_queue: stored in the
same transaction as the change it reports, sent in the background). A service that wants to
hold its transaction as briefly as possible renders first (`render`) and queues inside the
transaction; a new registration does so (`registration_received_rendered`).
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import get_text_list
from django.utils.translation import pgettext

from civicmeet.notifications.models import OutgoingEmail
from civicmeet.notifications.services import email_queue

from .calendar import event_ics
from .extensions import email_extra
from .personal_link import personal_url


def _safety_context(registration, declared) -> dict:
    """The event's safety rules, written from its parameters, and this person's verdict."""
    from civicmeet.events.safety_text import safety_rules_intro, safety_rules_text

    from .safety import registration_verdict_text

    policy = registration.event.safety
    if policy is None:
        return {}
    return {
        "safety_rules_intro": safety_rules_intro(),
        "safety_rules": safety_rules_text(policy),
        "safety_verdict_text": registration_verdict_text(registration, *declared),
    }


def _signature_context(event) -> dict:
    """Who signs every message: the co-organisers by name, and how to reach them."""
    conjunction = pgettext("joins the last two items of a list: a, b and c", "and")
    names = [organisation.name for organisation in event.co_organisers.all()]
    return {
        "organiser_names": get_text_list(names, conjunction) if names else "",
        "contact_language_list": ", ".join(name for _code, name in event.contact_language_names),
    }


def render(
    kind: str,
    registration,
    *,
    context: dict | None = None,
    attachments: list | None = None,
    declared: tuple = (),
) -> OutgoingEmail:
    """The message, rendered in the participant's language, not yet in the outbox.

    `declared` — `(SafetyInput or None,)` — is the health declaration of a registration that is
    not saved yet; by default the stored one is read."""
    event = registration.event
    with translation.override(registration.language), timezone.override(event.tz):
        extra = email_extra(kind, registration)
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
            **_signature_context(event),
            **_safety_context(registration, declared),
            **extra.context,
            **(context or {}),
        }
        subject = " ".join(render_to_string(f"registrations/emails/{kind}_subject.txt", ctx).split())
        body_text = render_to_string(f"registrations/emails/{kind}.txt", ctx)
        body_html = render_to_string(f"registrations/emails/{kind}.html", ctx)
    return OutgoingEmail(
        kind=kind,
        subject_object=registration if registration.pk else None,  # set when queued (see email_queue)
        to=registration.email,
        language=registration.language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=[*(attachments or []), *extra.attachments],
        # Participants answer the organisers, not the no-reply sender.
        reply_to=event.contact_email,
        # The message is from the co-organisers by name (at the site's own address).
        from_name=ctx["organiser_names"][:200],
    )


def _queue(
    kind: str, registration, *, context: dict | None = None, attachments: list | None = None, not_before=None
) -> OutgoingEmail | None:
    """Render and queue; nothing for a registration without an address (a walk-in who gave none at
    the desk gets no messages: nothing undeliverable waits in the outbox, and nothing is rendered)."""
    if not has_address(registration):
        return None
    return email_queue(render(kind, registration, context=context, attachments=attachments), not_before=not_before)


def has_address(registration) -> bool:
    """Whether messages about this registration can be sent: it has an email (a walk-in may not)."""
    return bool((registration.email or "").strip())


def registration_received_to_participant(registration) -> OutgoingEmail | None:
    return _queue("registration_received", registration)


def registration_received_rendered(registration, declared) -> OutgoingEmail:
    """ "We received your registration" for a registration not inserted yet, with what it
    declared: rendered before the transaction, queued (`queue`) inside it."""
    return render("registration_received", registration, declared=(declared,))


def registration_link_to_participant(registration) -> OutgoingEmail | None:
    return _queue("registration_link", registration)


def registration_accepted_to_participant(registration, message: str = "", not_before=None) -> OutgoingEmail | None:
    if not has_address(registration):
        return None
    ics = {
        "filename": f"{registration.event.slug}.ics",
        "mimetype": "text/calendar",
        "content": event_ics(registration),
    }
    return _queue(
        "registration_accepted", registration, context={"message": message}, attachments=[ics], not_before=not_before
    )


def registration_waitlisted_to_participant(registration, message: str = "", not_before=None) -> OutgoingEmail | None:
    return _queue("registration_waitlisted", registration, context={"message": message}, not_before=not_before)


def registration_rejected_to_participant(registration, message: str = "", not_before=None) -> OutgoingEmail | None:
    return _queue("registration_rejected", registration, context={"message": message}, not_before=not_before)


def registration_cancelled_to_participant(registration, message: str = "", not_before=None) -> OutgoingEmail | None:
    return _queue("registration_cancelled", registration, context={"message": message}, not_before=not_before)


def safety_verdict_changed_to_participant(registration) -> OutgoingEmail | None:
    """The event's safety rule changed and the participant's declaration now has another verdict."""
    return _queue("safety_verdict_changed", registration)


_BY_STATE = {
    "accepted": registration_accepted_to_participant,
    "waitlisted": registration_waitlisted_to_participant,
    "rejected": registration_rejected_to_participant,
    "cancelled": registration_cancelled_to_participant,
}


def registration_state_changed_to_participant(registration, message: str = "", not_before=None) -> OutgoingEmail | None:
    """`not_before` holds the message until a decision's undo window has passed."""
    sender = _BY_STATE.get(registration.state)
    return sender(registration, message, not_before) if sender else None


# -- Before the day (reconfirmation.py, offers.py, reminders.py) ------------------------------


def reconfirm_to_participant(registration, *, url: str) -> OutgoingEmail | None:
    """ "Are you still coming?", with the link to the page that asks for yes or no."""
    return _queue("reconfirm", registration, context={"reconfirm_url": url})


def seat_offer_to_participant(registration, *, offer, url: str) -> OutgoingEmail | None:
    """A freed seat is offered to someone on the waiting list, until `offer.expires_at`."""
    event = registration.event
    return _queue("seat_offer", registration, context={"offer_url": url, "expires_at": event.local(offer.expires_at)})


def event_reminder_to_participant(registration) -> OutgoingEmail | None:
    """The day before: when, where, how to get in, the organisers' words; checkin adds the ticket."""
    if not has_address(registration):
        return None
    event = registration.event
    with translation.override(registration.language):
        conditions = event.text("conditions")
    message = (
        registration.log.filter(actor_kind="organiser", to_state="accepted")
        .exclude(from_state="accepted")
        .order_by("-id")
        .values_list("message", flat=True)
        .first()
    )
    return _queue(
        "event_reminder",
        registration,
        context={"conditions": conditions, "message": (message or "").strip()},
    )
