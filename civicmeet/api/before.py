"""The last week before the event, read-only, for its organisers (token; desk staff get 404).

- `GET /manage/events/{slug}/reconfirmations`: who answered "Are you still coming?" yes, no or not
  yet, and when; the counts.
- `GET /manage/events/{slug}/seat-offers`: the waiting list in its order and the seats offered to
  it (pending, accepted, declined, expired) with their expiry; the counts and the seats free.

Both read what registrations.reconfirmation and registrations.offers write; nothing here changes
anything (the answers and offers have their own links and the organisers' pages). Both are paged
like every list (`limit`, `offset`; `count` is the total) and cost the same few queries for any
number of people.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Case, CharField, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router

from civicmeet.events.models import Event
from civicmeet.events.permissions import event_for_organiser
from civicmeet.registrations.models import OfferState, Registration, Role, SeatOffer, State
from civicmeet.registrations.offers import seats_free
from civicmeet.registrations.reconfirmation import reconfirm_due_at, reconfirmation_rows

from .auth import AuthenticatedRequest, organiser_auth
from .errors import SLUG_PATTERN
from .pagination import PageParams
from .schemas import ErrorOut, ValidationErrorOut
from .schemas_before import ReconfirmationListOut, ReconfirmationStatus, SeatOfferListOut

router = Router(tags=["organisers: before the day"], auth=organiser_auth)

_SLUG = re.compile(SLUG_PATTERN)
_READ = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _own_event(request: AuthenticatedRequest, slug: str) -> Event:
    """The event if the token's user organises it; 404 otherwise (desk staff included)."""
    if not _SLUG.fullmatch(slug):
        raise Http404
    return event_for_organiser(request.auth, slug)


def _organisation(registration: Registration) -> str:
    return registration.organisation.name if registration.organisation is not None else ""


# -- Reconfirmation ----------------------------------------------------------------------------


@router.get(
    "/manage/events/{slug}/reconfirmations",
    response={200: ReconfirmationListOut, **_READ},
    summary="Read the answers to “Are you still coming?”",
)
def reconfirmation_list(
    request: AuthenticatedRequest,
    slug: str,
    page: Query[PageParams],
    status: ReconfirmationStatus | None = None,
):
    """Every accepted participant with what they answered — `yes`, `no` (their registration is then
    cancelled and they are listed as such), `unanswered` (asked, no answer yet) or `not_asked` —
    and when, in surname order; optionally only one `status`. `counts` are for the whole event,
    whatever the filter; `count` is the total of the rows filtered."""
    event = _own_event(request, slug)
    rows = reconfirmation_rows(event)
    counts = dict.fromkeys((member.value for member in ReconfirmationStatus), 0)
    for value, number in rows.values_list("status").annotate(number=Count("id")).order_by():
        counts[value] = number
    if status is not None:
        rows = rows.filter(status=status.value)
    count = counts[status.value] if status is not None else sum(counts.values())
    listed = rows.select_related("organisation", "reconfirmation").order_by("last_name", "first_name", "pk")
    items = []
    for registration in listed[page.offset : page.offset + page.limit]:
        asked = getattr(registration, "reconfirmation", None)
        items.append(
            {
                "registration_id": registration.pk,
                "name": registration.display_name,
                "organisation": _organisation(registration),
                "state": registration.state,
                "status": registration.status,
                "asked_at": event.local(asked.created_at) if asked is not None else None,
                "answered_at": event.local(asked.answered_at) if asked is not None and asked.answered_at else None,
            }
        )
    return {
        "days_before": event.reconfirm_days_before,
        "due_at": event.local(due) if (due := reconfirm_due_at(event)) is not None else None,
        "counts": counts,
        "count": count,
        "items": items,
    }


# -- Waiting-list offers ------------------------------------------------------------------------


def _offer_state(offer: SeatOffer, now) -> str:
    """The offer's state as it stands: a pending one past its time is expired (the seat rule
    already ignores it; the expiry task marks it within minutes)."""
    if offer.state == OfferState.PENDING and offer.expires_at <= now:
        return OfferState.EXPIRED
    return offer.state


def _offer_out(offer: SeatOffer, registration: Registration, event: Event, now) -> dict[str, Any]:
    state = _offer_state(offer, now)
    return {
        "id": offer.pk,
        "state": state,
        "holds_seat": state == OfferState.PENDING and registration.state == State.WAITLISTED,
        "offered_at": event.local(offer.created_at),
        "expires_at": event.local(offer.expires_at),
        "answered_at": event.local(offer.answered_at) if offer.answered_at else None,
        "offered_by": offer.offered_by.email if offer.offered_by is not None else None,
    }


@router.get(
    "/manage/events/{slug}/seat-offers",
    response={200: SeatOfferListOut, **_READ},
    summary="Read the waiting list and the seats offered to it",
)
def seat_offer_list(request: AuthenticatedRequest, slug: str, page: Query[PageParams]):
    """The waiting list in the order seats are offered (the places organisers set first, then by
    registration time), each person with every seat offered to them and its state and expiry;
    after them, those offered a seat who are no longer on the list (they took it, or left).
    `counts` and `seats_free` are for the whole event; `count` is the total of people listed."""
    event = _own_event(request, slug)
    now = timezone.now()
    offered = SeatOffer.objects.filter(event=event, registration=OuterRef("pk"))
    people = (
        Registration.objects.filter(event=event, role=Role.PARTICIPANT)
        .filter(Q(state=State.WAITLISTED) | Exists(offered))
        .annotate(
            waiting=Case(When(state=State.WAITLISTED, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("waiting", F("waitlist_position").asc(nulls_last=True), "created_at", "id")
    )
    effective = Case(
        When(state=OfferState.PENDING, expires_at__lte=now, then=Value(OfferState.EXPIRED.value)),
        default=F("state"),
        output_field=CharField(),
    )
    counts = {"waitlisted": 0, **dict.fromkeys(OfferState.values, 0)}
    offers = SeatOffer.objects.filter(event=event).annotate(effective=effective)
    for value, number in offers.values_list("effective").annotate(number=Count("id")).order_by():
        counts[value] = number
    counts["waitlisted"] = Registration.objects.filter(
        event=event, role=Role.PARTICIPANT, state=State.WAITLISTED
    ).count()
    page_of_people = people.select_related("organisation").prefetch_related(
        Prefetch(
            "seat_offers",
            queryset=SeatOffer.objects.select_related("offered_by").order_by("created_at", "id"),
            to_attr="offers_listed",
        )
    )[page.offset : page.offset + page.limit]
    items = []
    for index, registration in enumerate(page_of_people):
        position = page.offset + index + 1
        items.append(
            {
                # The waiting list comes first, so a waiting person's row number is their place.
                "place": position if registration.state == State.WAITLISTED else None,
                "registration_id": registration.pk,
                "name": registration.display_name,
                "organisation": _organisation(registration),
                "state": registration.state,
                "registered_at": event.local(registration.created_at),
                "offers": [_offer_out(offer, registration, event, now) for offer in registration.offers_listed],
            }
        )
    return {
        "offer_hours": event.offer_hours,
        "offers_automatic": event.offers_automatic,
        "seats_free": seats_free(event),
        "counts": counts,
        "count": people.count(),
        "items": items,
    }
