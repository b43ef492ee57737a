"""Tickets: the signed opaque code an accepted participant shows at the desk, and its validity.

The code is ``CM1.<nonce>.<signature>``: the nonce names a `Ticket` row (128 random bits) and the
signature is an HMAC of it under the site's SECRET_KEY (and a salt of its own), cut to 128 bits.
It holds no name, no email, no event: a code read off a phone tells nothing to whoever reads it,
and a desk can tell a forged or garbled code from a real one before asking the database.

Which ticket is valid: the first ticket made during the registration's current acceptance. The
acceptance began after the last history row that left the registration in a state other than
accepted; a ticket made before that row belongs to an earlier acceptance and is "replaced" (the
person was moved to the waiting list and accepted again), and any ticket of a registration that is
not accepted now is refused ("not_accepted"). Nothing has to be updated when a decision changes:
the history rows the admission services write decide. The acceptance email is rendered inside the
acceptance's transaction, before its history row: the ticket it carries is made then, after the
previous row, so it is the first of the new acceptance.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from civicmeet.core.errors import ConflictError
from civicmeet.registrations.extensions import EmailExtra
from civicmeet.registrations.models import LogEntry, Registration, State
from civicmeet.registrations.personal_link import personal_url

from .models import Ticket

PREFIX = "CM1"
SALT = "civicmeet.checkin.ticket"
# A real code is 49 characters; anything much longer is not worth looking at.
MAX_CODE_LENGTH = 200

REFUSAL_REASONS = ("tampered", "unknown", "other_event", "not_accepted", "replaced")


def refusal_message(reason: str) -> str:
    """What the desk reads when a ticket is refused, in the active language."""
    messages = {
        "tampered": _("This is not a valid ticket: the code is damaged or was not issued by this site."),
        "unknown": _("This ticket is not known here."),
        "other_event": _("This ticket is for another event."),
        "not_accepted": _(
            "This ticket is not valid: the registration is not accepted now (cancelled, on the waiting list or "
            "not admitted)."
        ),
        "replaced": _(
            "This ticket was replaced by a newer one after a change of decision. Ask for the ticket on the "
            "person's registration page or in their latest email, or find them by name."
        ),
    }
    return messages[reason]


class TicketRefused(ConflictError):
    """A ticket that is not valid here; `reason` is one of REFUSAL_REASONS."""

    code = "ticket_refused"

    def __init__(self, reason: str) -> None:
        assert reason in REFUSAL_REASONS, reason
        super().__init__(refusal_message(reason))
        self.reason = reason


def _signature(payload: str, secret: str | bytes) -> str:
    digest = salted_hmac(SALT, payload, secret=secret, algorithm="sha256").digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def code_for_ticket(ticket: Ticket) -> str:
    payload = f"{PREFIX}.{ticket.nonce}"
    return f"{payload}.{_signature(payload, settings.SECRET_KEY)}"


def code_digest(code: str) -> str:
    """The SHA-256 (hex) of a code: what the desk's cached list holds, so that a desk can recognise
    a scanned code offline without the list holding the codes themselves."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def nonce_from_code(code: object) -> str:
    """The nonce of a well-formed, correctly signed code; TicketRefused("tampered") for anything
    else, whatever it holds (not text, too long, binary, another format, a wrong signature)."""
    if not isinstance(code, str):
        raise TicketRefused("tampered")
    code = code.strip()
    if not code or len(code) > MAX_CODE_LENGTH or not code.isascii():
        raise TicketRefused("tampered")
    parts = code.split(".")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        raise TicketRefused("tampered")
    payload = f"{PREFIX}.{parts[1]}"
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(constant_time_compare(parts[2], _signature(payload, secret)) for secret in secrets):
        raise TicketRefused("tampered")
    return parts[1]


def ticket_from_code(code: object) -> Ticket:
    """The ticket a code names, or TicketRefused ("tampered", "unknown"). Says nothing about
    validity: see `ticket_check`. Its registration is not read with it: the check-in reads that
    under its lock (checkin.services._record)."""
    found = Ticket.objects.filter(nonce=nonce_from_code(code)).first()
    if found is None:
        raise TicketRefused("unknown")
    return found


def _acceptance_start(registration_id: int) -> datetime | None:
    """When the current acceptance began: the time of the last history row that left the
    registration in another state than accepted (None: accepted from its first row, e.g. a guest)."""
    return (
        LogEntry.objects.filter(registration_id=registration_id)
        .exclude(to_state=State.ACCEPTED)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )


def _first_ticket_since(registration_id: int, since: datetime | None) -> Ticket | None:
    tickets = Ticket.objects.filter(registration_id=registration_id)
    if since is not None:
        tickets = tickets.filter(created_at__gte=since)
    return tickets.order_by("created_at", "id").first()


def ticket_for(registration: Registration) -> Ticket | None:
    """The current ticket of an accepted registration, made on the first ask; None unless accepted.

    The first ask takes the registration's row lock, so that two requests asking at the same moment
    (the email being rendered, the personal page opened) make one ticket, and so that a ticket is
    never made for a registration whose decision has just changed.
    """
    if registration.state != State.ACCEPTED or registration.anonymised_at is not None:
        return None
    found = _first_ticket_since(registration.pk, _acceptance_start(registration.pk))
    if found is not None:
        return found
    with transaction.atomic():
        locked = Registration.objects.select_for_update().filter(pk=registration.pk).first()
        if locked is None or locked.state != State.ACCEPTED or locked.anonymised_at is not None:
            return None
        since = _acceptance_start(registration.pk)
        found = _first_ticket_since(registration.pk, since)
        if found is not None:
            return found
        # The acceptance's history row, when it is already written (not yet while its email renders).
        entries = LogEntry.objects.filter(registration_id=registration.pk, to_state=State.ACCEPTED).exclude(
            from_state=State.ACCEPTED
        )
        if since is not None:
            entries = entries.filter(created_at__gte=since)
        entry = entries.order_by("-created_at", "-id").first()
        if entry is not None and Ticket.objects.filter(accepted_entry=entry).exists():
            entry = None  # its ticket is older than the acceptance start (clock skew): do not share it
        return Ticket.objects.create(registration_id=registration.pk, accepted_entry=entry)


def ticket_code(registration: Registration) -> str | None:
    """The code the QR holds for an accepted registration's current ticket; None unless accepted."""
    ticket = ticket_for(registration)
    return code_for_ticket(ticket) if ticket is not None else None


def ticket_check(ticket: Ticket, *, event_id: int | None = None) -> None:
    """Refuse (TicketRefused) a ticket that is not valid (at `event_id`'s desk): "other_event",
    "not_accepted", "replaced". Reads the registration as `ticket.registration` holds it."""
    registration = ticket.registration
    if event_id is not None and registration.event_id != event_id:
        raise TicketRefused("other_event")
    if registration.state != State.ACCEPTED or registration.anonymised_at is not None:
        raise TicketRefused("not_accepted")
    current = _first_ticket_since(registration.pk, _acceptance_start(registration.pk))
    if current is None or current.pk != ticket.pk:
        raise TicketRefused("replaced")


def current_tickets(registrations: Iterable[Registration], *, event_id: int) -> dict[int, Ticket]:
    """The current ticket of each of `registrations` (accepted, of one event), in two queries for
    the lot; those without one yet get theirs through `ticket_for` (one by one, once)."""
    wanted = {registration.pk: registration for registration in registrations}
    starts = dict(
        LogEntry.objects.filter(registration__event_id=event_id, registration__state=State.ACCEPTED)
        .exclude(to_state=State.ACCEPTED)
        .values("registration_id")
        .annotate(start=Max("created_at"))
        .values_list("registration_id", "start")
        .order_by()
    )
    found: dict[int, Ticket] = {}
    tickets = Ticket.objects.filter(registration__event_id=event_id, registration__state=State.ACCEPTED).order_by(
        "created_at", "id"
    )
    for ticket in tickets:
        registration_id = ticket.registration_id
        if registration_id not in wanted or registration_id in found:
            continue
        start = starts.get(registration_id)
        if start is None or ticket.created_at >= start:
            found[registration_id] = ticket
    for registration_id, registration in wanted.items():
        if registration_id not in found:
            made = ticket_for(registration)
            if made is not None:
                found[registration_id] = made
    return found


# -- The ticket on the personal page and in the emails (registered in apps.CheckinConfig.ready) -------

TICKET_EMAIL_KINDS = frozenset({"registration_accepted", "event_reminder"})


def ticket_page_context(registration: Registration) -> dict[str, Any] | None:
    """registrations.extensions' ticket provider: what `participant/_ticket.html` shows."""
    from .qr import qr_svg

    code = ticket_code(registration)
    if code is None:
        return None
    organisation = registration.organisation
    return {
        "code": code,
        # The code written under the image, for reading aloud: it may break after each dot.
        "code_parts": code.split("."),
        "qr_svg": mark_safe(qr_svg(code, label=_("QR code of your ticket"))),  # noqa: S308 - segno's SVG of our code
        "name": registration.full_name,
        "organisation": organisation.name if organisation is not None else "",
    }


def ticket_email_extra(kind: str, registration: Registration) -> EmailExtra | None:
    """registrations.extensions' email extra: the acceptance and the reminder carry the ticket, as
    a link to the personal page's ticket (`ticket_url`) and as the QR code in `ticket.png`."""
    if kind not in TICKET_EMAIL_KINDS:
        return None
    from .qr import qr_png

    code = ticket_code(registration)
    if code is None:
        return None
    png = base64.b64encode(qr_png(code)).decode("ascii")
    return EmailExtra(
        context={"ticket_url": f"{personal_url(registration)}#ticket", "ticket_code": code},
        attachments=[{"filename": "ticket.png", "mimetype": "image/png", "content_base64": png}],
    )
