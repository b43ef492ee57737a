"""Response shapes of the last week's read-only API (civicmeet/api/before.py)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from ninja import Schema
from pydantic import Field


class ReconfirmationStatus(StrEnum):
    """What an accepted participant answered to "Are you still coming?"."""

    YES = "yes"
    NO = "no"
    UNANSWERED = "unanswered"
    NOT_ASKED = "not_asked"


OfferStateOut = Literal["pending", "accepted", "declined", "expired"]


class ReconfirmationCountsOut(Schema):
    yes: int = Field(description="Accepted participants who answered that they are still coming.")
    no: int = Field(description="Participants who answered that they are not coming (their registration is cancelled).")
    unanswered: int = Field(description="Accepted participants asked who have not answered yet.")
    not_asked: int = Field(
        description="Accepted participants not asked (yet): accepted after the question went out, "
        "or the time to ask has not come."
    )


class ReconfirmationRowOut(Schema):
    registration_id: int
    name: str
    organisation: str
    state: Literal["accepted", "cancelled"] = Field(description="The registration's state now.")
    status: ReconfirmationStatus = Field(
        description="What they answered: yes, no, not yet (`unanswered`), or not asked."
    )
    asked_at: datetime | None = Field(description="When the question was sent, in the event's time zone.")
    answered_at: datetime | None = Field(description="When they answered, in the event's time zone.")


class ReconfirmationListOut(Schema):
    days_before: int | None = Field(description="How many days before the start the question goes out; null: never.")
    due_at: datetime | None = Field(
        description="When the question goes (or went) out; null when the event does not ask."
    )
    counts: ReconfirmationCountsOut
    count: int = Field(description="Rows matching the filter, on every page.")
    items: list[ReconfirmationRowOut]


class SeatOfferOut(Schema):
    id: int
    state: OfferStateOut = Field(
        description="`expired` also for an offer still waiting whose time has run out (it no longer holds a seat)."
    )
    holds_seat: bool = Field(description="The offer is waiting for an answer, in time, and holds its seat.")
    offered_at: datetime = Field(description="In the event's time zone, as every time here.")
    expires_at: datetime
    answered_at: datetime | None = Field(description="When it was accepted or declined (or closed).")
    offered_by: str | None = Field(description="The organiser who offered it (email); null: offered automatically.")


class SeatOfferPersonOut(Schema):
    place: int | None = Field(description="Their place on the waiting list (1 = offered first); null: not on it now.")
    registration_id: int
    name: str
    organisation: str
    state: str = Field(description="The registration's state now (`accepted` after taking an offered seat).")
    registered_at: datetime
    offers: list[SeatOfferOut] = Field(description="Every seat offered to them, oldest first.")


class SeatOfferCountsOut(Schema):
    waitlisted: int = Field(description="Participants on the waiting list now.")
    pending: int = Field(description="Offers waiting for an answer, in time.")
    accepted: int
    declined: int
    expired: int


class SeatOfferListOut(Schema):
    offer_hours: int = Field(description="How many hours an offer stays open.")
    offers_automatic: bool = Field(description="Freed seats are offered to the next one without an organiser's click.")
    seats_free: int = Field(description="Seats neither taken by an accepted participant nor held by a pending offer.")
    counts: SeatOfferCountsOut
    count: int = Field(description="People on the waiting list now or offered a seat before, on every page.")
    items: list[SeatOfferPersonOut] = Field(
        description="The waiting list in its order first, then those offered a seat who are no longer on it."
    )
