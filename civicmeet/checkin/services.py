"""Checking people in: every check-in, from the desk page, the API or a walk-in, goes through here.

Retry-safe: every request carries a client-made id (`client_id`); the first answer is stored with it
(`CheckInRequest`), and the same id again gets that answer back and records nothing new, however
often a flaky network repeats it. Race-safe: a person has at most one `CheckIn` (a one-to-one in
the database), the registration's row is locked while it is decided, and the rare insert that
still collides (two desks at the same instant on SQLite's other connection, the same id sent twice
at once) is answered from what the winner recorded. A later check-in of someone already present
answers `already` with the first check-in's time and person, and is recorded as a duplicate.

Someone checked in whose registration is cancelled afterwards (they left early, an organiser
cancelled by mistake) keeps their check-in: it records that they were there, so they stay on the
attendance list and in the present count; their ticket is refused from then on ("not_accepted").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.translation import gettext as _

from civicmeet.core.errors import DomainError
from civicmeet.events.models import Event
from civicmeet.events.safety_text import verdict_display
from civicmeet.registrations.models import Registration, SafetyVerdict, State, seat_filter
from civicmeet.registrations.safety import registration_verdict
from civicmeet.registrations.services import RegistrationData, registration_walk_in
from civicmeet.search.folding import fold

from .models import Basis, CheckIn, CheckInRequest, Source
from .tickets import TicketRefused, code_digest, code_for_ticket, current_tickets, ticket_check, ticket_from_code

__all__ = [
    "CheckInResult",
    "TicketRefused",
    "checkin_counts",
    "checkin_record",
    "checkin_totals",
    "desk_list",
    "walk_in",
]

MAX_CLIENT_ID_LENGTH = 100
WALK_IN_ACTION = "checkin.registration.walk_in"


def local_iso(moment: datetime, event: Event) -> str:
    """A moment in ISO 8601 in the event's time zone (as the API gives every time)."""
    return timezone.localtime(moment, event.tz).isoformat()


def user_display(user) -> str:
    """How the desk names the person who checked someone in ("by Anna")."""
    if user is None:
        return ""
    return user.get_full_name() or user.email or user.get_username()


@dataclass
class CheckInResult:
    """The answer to one check-in request.

    `checkin` is the person's first check-in; `already`: they had been checked in before this
    request; `replayed`: this `client_id` had been seen before, nothing new was recorded and
    `as_json()` is the first answer, word for word.
    """

    registration: Registration
    checkin: CheckIn
    already: bool
    replayed: bool
    verdict: str
    verdict_text: str
    response: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return dict(self.response)


def _response(registration: Registration, checkin: CheckIn, *, already: bool, verdict: str) -> dict[str, Any]:
    organisation = registration.organisation
    return {
        "registration_id": registration.pk,
        "name": registration.display_name,
        "organisation": organisation.name if organisation is not None else "",
        "verdict": verdict,
        "checked_in_at": local_iso(checkin.checked_in_at, registration.event),
        "checked_in_by": user_display(checkin.checked_in_by),
        "already": already,
    }


def _verdict_now(registration: Registration) -> tuple[str, str]:
    """The admission-rules verdict recomputed now from the stored declaration and the event's rule
    (registrations.safety, the one implementation), and its sentence; ("", "") without a rule."""
    event = registration.event
    if event.safety is None:
        return "", ""
    verdict = registration_verdict(registration)
    shown = verdict_display(event, verdict)
    if shown is None:
        # The declaration was purged after the event: only the stored outcome remains.
        outcome = registration.safety_verdict
        return outcome, str(registration.get_safety_verdict_display()) if outcome else ""
    text = f"{shown['label']}. {shown['reason']}" if shown["reason"] else shown["label"]
    return shown["outcome"], text


def _replay(event: Event, client_id: str) -> CheckInResult | None:
    # Nearly every request is new: a bare existence check first (bench/checkin.py: building the
    # query below, with its four joins, cost more than running it, twice per check-in).
    if not CheckInRequest.objects.filter(event=event, client_id=client_id).exists():
        return None
    request = (
        CheckInRequest.objects.filter(event=event, client_id=client_id)
        .select_related("checkin__registration__organisation", "checkin__registration__event", "checkin__checked_in_by")
        .first()
    )
    if request is None or request.checkin is None:
        return None
    checkin = request.checkin
    response = request.response
    verdict = str(response.get("verdict", checkin.verdict))
    registration = checkin.registration
    return CheckInResult(
        registration=registration,
        checkin=checkin,
        already=bool(response.get("already", request.duplicate)),
        replayed=True,
        verdict=verdict,
        verdict_text=_verdict_text(registration, verdict),
        response=response,
    )


def _verdict_text(registration: Registration, verdict: str) -> str:
    """The sentence of a stored verdict (a replayed answer), in the active language."""
    if not verdict:
        return ""
    try:
        return str(SafetyVerdict(verdict).label)
    except ValueError:
        return verdict


def _clean_client_id(client_id: object) -> str:
    if not isinstance(client_id, str):
        raise DomainError(_("Every check-in needs a client id."), code="client_id_invalid")
    client_id = client_id.strip()
    if not client_id or len(client_id) > MAX_CLIENT_ID_LENGTH or not client_id.isprintable() or not client_id.isascii():
        raise DomainError(
            _("The client id must be 1 to %(max)d printable ASCII characters.") % {"max": MAX_CLIENT_ID_LENGTH},
            code="client_id_invalid",
        )
    return client_id


def _clean_basis(basis: object) -> str:
    if basis in (None, ""):
        return ""
    if basis not in Basis.values:
        raise DomainError(
            _("The basis shown must be one of: %(choices)s.") % {"choices": ", ".join(Basis.values)},
            code="basis_invalid",
        )
    return str(basis)


def checkin_record(
    *,
    event: Event,
    client_id: str,
    actor,
    code: str | None = None,
    registration: Registration | None = None,
    basis: str = "",
    source: str = Source.QR,
    now: datetime | None = None,
) -> CheckInResult:
    """Check a person in at `event`'s desk, by their ticket's `code` or (name search, walk-in) by
    their `registration`; exactly one of the two.

    Raises TicketRefused (`.reason`: tampered, unknown, other_event, not_accepted, replaced) for a
    ticket or registration not valid here, DomainError for a bad `client_id` or `basis`.
    `basis` is which basis of the safety rule the person showed ("vaccinated", "recovered",
    "tested" or ""): never a document. The verdict is recomputed at this moment.
    """
    if (code is None) == (registration is None):
        raise ValueError("Give exactly one of code and registration.")
    client_id = _clean_client_id(client_id)
    basis = _clean_basis(basis)
    if source not in Source.values:
        raise ValueError(f"Unknown source {source!r}")
    # A retry (flaky network, the offline queue sent twice) costs one read and records nothing.
    replayed = _replay(event, client_id)
    if replayed is not None:
        return replayed
    ticket = None
    if code is not None:
        ticket = ticket_from_code(code)  # tampered / unknown, before any lock
        registration_id = ticket.registration_id
    else:
        assert registration is not None
        registration_id = registration.pk
    for attempt in (1, 2):
        try:
            return _record(
                event=event,
                registration_id=registration_id,
                ticket=ticket,
                client_id=client_id,
                actor=actor,
                basis=basis,
                source=source,
                now=now or timezone.now(),
            )
        except IntegrityError:
            # Another request committed first: the same client id (answer as it was answered), or
            # the same person at another desk (the second attempt finds their check-in: `already`).
            replayed = _replay(event, client_id)
            if replayed is not None:
                return replayed
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _record(
    *,
    event: Event,
    registration_id: int,
    ticket,
    client_id: str,
    actor,
    basis: str,
    source: str,
    now: datetime,
) -> CheckInResult:
    with transaction.atomic():
        locked = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .filter(pk=registration_id)
            .first()
        )
        if locked is None:
            raise TicketRefused("unknown")
        if locked.event_id != event.pk:
            raise TicketRefused("other_event")
        locked.event = event  # the desk's event, read once per request (no second copy under the lock)
        if ticket is not None:
            ticket.registration = locked
            ticket_check(ticket, event_id=event.pk)
        elif locked.state != State.ACCEPTED or locked.anonymised_at is not None:
            raise TicketRefused("not_accepted")
        # Under the lock: the same id may have been committed while this request waited for it.
        replayed = _replay(event, client_id)
        if replayed is not None:
            return replayed
        checkin = CheckIn.objects.select_related("checked_in_by").filter(registration=locked).first()
        already = checkin is not None
        if checkin is None:
            verdict, verdict_text = _verdict_now(locked)
            checkin = CheckIn.objects.create(
                event=event,
                registration=locked,
                checked_in_at=now,
                checked_in_by=actor if getattr(actor, "pk", None) else None,
                basis=basis,
                verdict=verdict,
                source=source,
                client_id=client_id,
            )
        else:
            verdict = checkin.verdict
            verdict_text = _verdict_text(locked, verdict)
        response = _response(locked, checkin, already=already, verdict=verdict)
        CheckInRequest.objects.create(
            event=event,
            client_id=client_id,
            checkin=checkin,
            duplicate=already,
            response=response,
            user=actor if getattr(actor, "pk", None) else None,
        )
    return CheckInResult(
        registration=locked,
        checkin=checkin,
        already=already,
        replayed=False,
        verdict=verdict,
        verdict_text=verdict_text,
        response=response,
    )


def walk_in(
    *,
    event: Event,
    data: RegistrationData,
    actor,
    client_id: str,
    basis: str = "",
    now: datetime | None = None,
) -> CheckInResult:
    """Register, accept and check in someone who came without registering, in one step, while seats
    remain: the event locked and the same seat rules (capacity, per-organisation limit) as every
    acceptance, so two desks cannot both give away the last seat. The registration window does not
    apply (it is the day itself). The person gets the acceptance email with their ticket.

    Raises CapacityError when no seat is left, AlreadyRegisteredError for an email already
    registered (find them by name instead), DomainError without their consent.
    """
    client_id = _clean_client_id(client_id)
    basis = _clean_basis(basis)
    replayed = _replay(event, client_id)
    if replayed is not None:
        return replayed
    with transaction.atomic():
        registration = registration_walk_in(event=event, data=data, actor=actor, action=WALK_IN_ACTION)
        return checkin_record(
            event=registration.event,
            client_id=client_id,
            actor=actor,
            registration=registration,
            basis=basis,
            source=Source.WALK_IN,
            now=now,
        )


def desk_list(event: Event) -> list[dict[str, Any]]:
    """What the desk caches to work offline: the accepted people of `event` (participants and
    guests) with only what the desk needs — name, organisation, a folded text to search, the digest
    of their current ticket's code, whether and when they were checked in. No email, no phone, no
    declaration. A constant number of queries (tickets not made yet are made once, one by one)."""
    registrations = list(
        Registration.objects.filter(event=event, state=State.ACCEPTED, anonymised_at__isnull=True)
        .select_related("organisation", "checkin")
        .order_by("last_name", "first_name", "id")
    )
    tickets = current_tickets(registrations, event_id=event.pk)
    rows = []
    for registration in registrations:
        organisation = registration.organisation.name if registration.organisation is not None else ""
        name = registration.full_name
        checkin = getattr(registration, "checkin", None)
        ticket = tickets.get(registration.pk)
        rows.append(
            {
                "id": registration.pk,
                "name": name,
                "organisation": organisation,
                "folded": fold(f"{name} {organisation}"),
                "ticket": code_digest(code_for_ticket(ticket)) if ticket is not None else None,
                "state": registration.state,
                "role": registration.role,
                "checked_in_at": local_iso(checkin.checked_in_at, event) if checkin is not None else None,
            }
        )
    return rows


def checkin_totals(event: Event) -> dict[str, Any]:
    """present / accepted / seats without the per-hour figures: what the desk shows after each
    check-in (two counts; the per-hour grouping grows with every check-in of the day)."""
    return {
        "present": CheckIn.objects.filter(event=event).count(),
        "accepted": Registration.objects.filter(seat_filter(), event=event).count(),
        "seats": event.capacity,
    }


def checkin_counts(event: Event) -> dict[str, Any]:
    """The live counters: present (people checked in), accepted (seats taken), seats (capacity), and
    the check-ins per hour of the event's local time, oldest first: [(hour ISO 8601, count), ...]."""
    checkins = CheckIn.objects.filter(event=event)
    hours = (
        checkins.annotate(hour=TruncHour("checked_in_at", tzinfo=event.tz))
        .values("hour")
        .annotate(count=Count("id"))
        .values_list("hour", "count")
        .order_by("hour")
    )
    per_hour = [(hour.isoformat(), count) for hour, count in hours]
    return {
        "present": sum(count for _hour, count in per_hour),
        "accepted": Registration.objects.filter(seat_filter(), event=event).count(),
        "seats": event.capacity,
        "per_hour": per_hour,
    }
