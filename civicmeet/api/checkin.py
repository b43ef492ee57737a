"""Tickets and check-ins: a participant's own ticket, and the desk's check-ins for other desks and scripts.

- `GET /registrations/{token}/ticket`: the participant's current ticket (404 unless accepted).
- `POST /manage/events/{slug}/checkins`: check a ticket in, with an organiser's or a desk member's
  token. Retry-safe by the client's `client_id`: the same id again gets the first answer, word
  for word, with its status. 201 for the first check-in of a person, 200 with `already: true`
  for any later one, 409 with a `reason` for a ticket not valid here.
- `GET /manage/events/{slug}/checkins`: the counters and the list of check-ins.

Desk members reach these two (and nothing else under /manage); people outside the event's team
get 404, as for an event that does not exist.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import AfterValidator, StringConstraints

from civicmeet.checkin.models import CheckIn, Source
from civicmeet.checkin.permissions import event_for_desk, is_event_organiser
from civicmeet.checkin.services import checkin_counts, checkin_record, local_iso, user_display
from civicmeet.checkin.tickets import TicketRefused, ticket_code
from civicmeet.registrations.models import Registration, State
from civicmeet.registrations.personal_link import registration_by_token

from .auth import AuthenticatedRequest, organiser_auth
from .errors import SLUG_PATTERN
from .schemas import ErrorOut, Input, ValidationErrorOut, _check_storable

router = Router(tags=["check-in"])

_SLUG = re.compile(SLUG_PATTERN)


class TicketOut(Schema):
    code: str = Field(description="What the ticket's QR code holds: a signed opaque code, no personal data.")
    event: str = Field(description="The event's slug.")
    valid: bool = Field(description="Whether the desk accepts this ticket now (always true when answered).")


class CheckInIn(Input):
    code: Annotated[str, StringConstraints(max_length=1000)] = Field(description="The code read off the QR.")
    client_id: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), AfterValidator(_check_storable)
    ] = Field(description="Made by the client, unique per check-in (e.g. a UUID); send the same id when retrying.")
    basis: Literal["", "vaccinated", "recovered", "tested"] = Field(
        default="", description="Which basis of the safety rule the person showed (never a document)."
    )


class CheckInOut(Schema):
    registration_id: int
    name: str
    organisation: str
    verdict: str = Field(
        description='The safety rule\'s verdict at the desk: "meets", "does_not_meet", '
        '"to_be_checked", or "" when the event has no rule.'
    )
    checked_in_at: str = Field(description="When the person was first checked in (ISO 8601).")
    checked_in_by: str = Field(description="Who checked them in first.")
    already: bool = Field(description="The person had been checked in before this request.")


class TicketRefusedOut(Schema):
    detail: str
    code: str = Field(description='"ticket_refused".')
    reason: Literal["tampered", "unknown", "other_event", "not_accepted", "replaced"]
    message: str = Field(description="The same sentence as `detail`, for the desk to show.")


class CheckInRowOut(Schema):
    registration_id: int
    name: str
    organisation: str
    role: str
    checked_in_at: str
    checked_in_by: str
    basis: str | None = Field(description="The basis the person showed; null for desk staff (organisers only).")
    verdict: str | None = Field(
        description="The safety rule's verdict at the desk; null for desk staff (organisers only)."
    )
    source: str


class CheckInListOut(Schema):
    present: int = Field(description="People checked in.")
    accepted: int = Field(description="Accepted participants (seats taken; guests hold none).")
    seats: int = Field(description="The event's capacity.")
    per_hour: list[tuple[str, int]] = Field(description="Check-ins per hour of the event's local time, oldest first.")
    checkins: list[CheckInRowOut]


def _desk_event(request: AuthenticatedRequest, slug: str):
    if not _SLUG.fullmatch(slug):
        raise Http404
    return event_for_desk(request.auth, slug)


@router.get(
    "/registrations/{token}/ticket",
    response={200: TicketOut, 404: ErrorOut},
    summary="Read one's own ticket",
)
def ticket_own(request: HttpRequest, token: str):
    """The participant's current ticket: the code its QR holds. 404 unless the registration is accepted."""
    registration = registration_by_token(token, Registration.objects.select_related("event"))
    code = ticket_code(registration) if registration.state == State.ACCEPTED else None
    if code is None:
        raise Http404
    return {"code": code, "event": registration.event.slug, "valid": True}


@router.post(
    "/manage/events/{slug}/checkins",
    auth=organiser_auth,
    response={
        200: CheckInOut,
        201: CheckInOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: TicketRefusedOut,
        413: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Check a ticket in",
)
def checkin_create(request: AuthenticatedRequest, slug: str, payload: CheckInIn):
    """Check in the person whose ticket `code` is. 201 the first time; 200 with `already: true`
    and the first check-in's time and person after that; the same `client_id` again answers the
    first answer and records nothing; 409 with a `reason` for a ticket that is not valid here."""
    event = _desk_event(request, slug)
    try:
        result = checkin_record(
            event=event,
            client_id=payload.client_id,
            actor=request.auth,
            code=payload.code,
            basis=payload.basis,
            source=Source.API,
        )
    except TicketRefused as refused:
        return Status(
            409, {"detail": refused.message, "code": refused.code, "reason": refused.reason, "message": refused.message}
        )
    answer = result.as_json()
    return Status(200 if answer["already"] else 201, answer)


@router.get(
    "/manage/events/{slug}/checkins",
    auth=organiser_auth,
    response={200: CheckInListOut, 401: ErrorOut, 404: ErrorOut},
    summary="List an event's check-ins and counters",
)
def checkin_list(request: AuthenticatedRequest, slug: str):
    """Present / accepted / seats, check-ins per hour, and every check-in, first first. Desk staff
    get `basis` and `verdict` as null: who showed what is for the organisers."""
    event = _desk_event(request, slug)
    checkins = (
        CheckIn.objects.filter(event=event)
        .select_related("registration__organisation", "checked_in_by")
        .order_by("checked_in_at", "id")
    )
    # The desk sees who is in, not what each person showed: the health side is for the organisers.
    organiser = is_event_organiser(request.auth, event)
    rows = []
    for checkin in checkins:
        checkin.event = event
        rows.append(_row(checkin, with_health=organiser))
    return {**checkin_counts(event), "checkins": rows}


def _row(checkin: CheckIn, *, with_health: bool) -> dict[str, Any]:
    registration = checkin.registration
    organisation = registration.organisation
    return {
        "registration_id": registration.pk,
        "name": registration.display_name,
        "organisation": organisation.name if organisation is not None else "",
        "role": registration.role,
        "checked_in_at": local_iso(checkin.checked_in_at, checkin.event),
        "checked_in_by": user_display(checkin.checked_in_by),
        "basis": checkin.basis if with_health else None,
        "verdict": checkin.verdict if with_health else None,
        "source": checkin.source,
    }
