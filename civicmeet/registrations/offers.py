"""Waiting-list offers: a freed seat offered to the next person on the waiting list.

When a seat frees up (a "no" to the reconfirmation, a cancellation, an organiser moving someone off
it), the next wait-listed participant — in the order organisers see and can change — is offered it
by email, with a link that stays open for the event's `offer_hours`. Automatically when the event
says so (`Event.offers_automatic`), otherwise when an organiser clicks "Offer the seat".

Never more accepted than seats: a pending offer holds its seat (`models.offer_holds_seat_filter`,
counted by services._seat_counts, the one seat rule), every offer is made with the event locked, and
accepting an offer is an acceptance through services._transition, which checks the seat again under
the same lock. An offer that expires or is declined lets the seat go to the next one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicmeet.accounts.models import hash_token
from civicmeet.core.errors import ConflictError, DomainError
from civicmeet.events.models import Event

from . import emails as notify
from .models import (
    ActorKind,
    OfferState,
    Registration,
    Role,
    SafetyVerdict,
    SeatOffer,
    State,
    offer_holds_seat_filter,
)
from .services import _log, _seat_counts, _transition, seat_refusal

ACTION_MADE = "registrations.offer.made"
ACTION_DECLINED = "registrations.offer.declined"
ACTION_EXPIRED = "registrations.offer.expired"
ACTION_MOVED = "registrations.waitlist.moved"


class OfferError(ConflictError):
    code = "offer_refused"


def waitlist(event: Event):
    """The event's waiting list in its order: the places organisers set first, then by registration time."""
    return (
        Registration.objects.filter(event=event, state=State.WAITLISTED, role=Role.PARTICIPANT)
        .select_related("organisation")
        .order_by(F("waitlist_position").asc(nulls_last=True), "created_at", "id")
    )


def offer_url(registration: Registration, raw_token: str) -> str:
    with translation.override(registration.language):
        path = reverse("registrations:offer", kwargs={"token": raw_token})
    return settings.SITE_URL + path


def _lock_event(event_id: int) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


def _create(*, event: Event, registration: Registration, actor, now: datetime) -> SeatOffer:
    """Make the offer (the event locked by the caller), tell the person, and have its expiry checked."""
    raw = secrets.token_urlsafe(32)
    offer = SeatOffer.objects.create(
        registration=registration,
        event=event,
        token_hash=hash_token(raw),
        expires_at=now + timedelta(hours=event.offer_hours),
        offered_by=actor,
    )
    registration.event = event
    email = notify.seat_offer_to_participant(registration, offer=offer, url=offer_url(registration, raw))
    _log(
        registration,
        action=ACTION_MADE,
        from_state=registration.state,
        actor_kind=ActorKind.ORGANISER if actor else ActorKind.SYSTEM,
        actor=actor,
        email=email,
    )
    from .tasks import offers_expiry_scheduled

    transaction.on_commit(lambda: offers_expiry_scheduled(offer.expires_at))
    return offer


def seats_free(event: Event) -> int:
    """Seats neither taken by an accepted participant nor held by a pending offer."""
    taken, _by_org = _seat_counts(event, None)
    return max(event.capacity - taken, 0)


def offers_fill(
    *, event: Event, actor=None, now: datetime | None = None, exclude: int | None = None
) -> list[SeatOffer]:
    """Offer every free seat to the next on the waiting list who has not had an offer for it yet.

    Skips those whose declaration does not meet the safety rule (an organiser decides on them),
    those without an email (the offer could not reach them), and those whose organisation has
    reached its limit. `exclude`: the registration that has just
    left its seat (moved to the waiting list, it is not offered its own seat back)."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(event.pk)
        made: list[SeatOffer] = []
        free = seats_free(event)
        if not free:
            return made
        had_offer = set(SeatOffer.objects.filter(event=event).values_list("registration_id", flat=True))
        for registration in waitlist(event):
            if len(made) >= free:
                break
            if registration.pk in had_offer or registration.pk == exclude:
                continue
            if registration.safety_verdict == SafetyVerdict.DOES_NOT_MEET:
                continue
            if not notify.has_address(registration):
                continue  # no email to send the link to: an organiser accepts them by hand
            registration.event = event
            if seat_refusal(event, registration, *_seat_counts(event, registration.organisation_id, registration.pk)):
                continue
            made.append(_create(event=event, registration=registration, actor=actor, now=now))
    return made


def offer_make(*, registration: Registration, actor, now: datetime | None = None) -> SeatOffer:
    """An organiser offers a free seat to this wait-listed person (also again after an earlier offer expired)."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(registration.event_id)
        registration = (
            Registration.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=registration.pk)
        )
        registration.event = event
        if registration.state != State.WAITLISTED or registration.role != Role.PARTICIPANT:
            raise OfferError(_("Only a participant on the waiting list can be offered a seat."))
        if not notify.has_address(registration):
            raise OfferError(
                _("%(name)s has no email, so an offer could not reach them: accept them instead if they take the seat.")
                % {"name": registration.full_name}
            )
        if SeatOffer.objects.filter(offer_holds_seat_filter(now), registration=registration).exists():
            raise OfferError(
                _("%(name)s already has an offer waiting for an answer.") % {"name": registration.full_name}
            )
        refusal = seat_refusal(event, registration, *_seat_counts(event, registration.organisation_id, registration.pk))
        if refusal:
            raise OfferError(refusal)
        # An earlier pending offer past its time (not yet marked by the expiry task) is closed first.
        SeatOffer.objects.filter(registration=registration, state=OfferState.PENDING).update(
            state=OfferState.EXPIRED, answered_at=now
        )
        return _create(event=event, registration=registration, actor=actor, now=now)


def pending_offer_for(registration: Registration) -> SeatOffer | None:
    """The open offer of a seat to this wait-listed person, for their personal page (no query otherwise)."""
    if registration.state != State.WAITLISTED:
        return None
    return SeatOffer.objects.filter(offer_holds_seat_filter(timezone.now()), registration=registration).first()


def offer_by_token(raw: str) -> SeatOffer | None:
    if not raw or len(raw) > 64:
        return None
    return SeatOffer.objects.select_related("registration", "event").filter(token_hash=hash_token(raw)).first()


@dataclass(frozen=True)
class OfferAnswer:
    offer: SeatOffer
    changed: bool  # False: the same answer had been given already (a second click)


def offer_accept(*, offer: SeatOffer, now: datetime | None = None) -> OfferAnswer:
    """The person takes the offered seat: they are accepted (with the usual email and ticket).

    Safe to click twice. Refused once the offer has expired or was declined, or when the seat is no
    longer theirs to take (the seat rule is checked again under the event's lock)."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_event(offer.event_id)
        offer = SeatOffer.objects.select_for_update().select_related("registration").get(pk=offer.pk)
        registration = offer.registration
        if offer.state == OfferState.ACCEPTED or (
            offer.state == OfferState.PENDING and registration.state == State.ACCEPTED
        ):
            if offer.state == OfferState.PENDING:
                offer.state, offer.answered_at = OfferState.ACCEPTED, now
                offer.save(update_fields=["state", "answered_at"])
            return OfferAnswer(offer=offer, changed=False)
        if offer.state != OfferState.PENDING:
            raise OfferError(_("This offer is closed: it was declined or its time ran out."))
        if offer.expires_at <= now:
            raise OfferError(_("The time to accept this offer has run out. The seat goes to the next person."))
        if registration.state != State.WAITLISTED:
            raise OfferError(_("This offer is no longer valid: your registration has changed since."))
        _transition(
            registration_id=registration.pk,
            to_state=State.ACCEPTED,
            actor_kind=ActorKind.PARTICIPANT,
            message="",
            confirm=True,  # the organisers made the offer (an automatic one skips those who do not meet the rule)
        )
        offer.state, offer.answered_at = OfferState.ACCEPTED, now
        offer.save(update_fields=["state", "answered_at"])
    return OfferAnswer(offer=offer, changed=True)


def offer_decline(*, offer: SeatOffer, now: datetime | None = None) -> OfferAnswer:
    """The person does not take the seat (they stay on the waiting list); the seat goes to the next
    one, automatically if the event says so. Safe to click twice."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock_event(offer.event_id)
        offer = SeatOffer.objects.select_for_update().select_related("registration").get(pk=offer.pk)
        if offer.state == OfferState.DECLINED:
            return OfferAnswer(offer=offer, changed=False)
        if offer.state != OfferState.PENDING:
            raise OfferError(_("This offer is closed: it was accepted or its time ran out."))
        offer.state, offer.answered_at = OfferState.DECLINED, now
        offer.save(update_fields=["state", "answered_at"])
        registration = offer.registration
        _log(registration, action=ACTION_DECLINED, from_state=registration.state, actor_kind=ActorKind.PARTICIPANT)
        if event.offers_automatic:
            offers_fill(event=event, now=now)
    return OfferAnswer(offer=offer, changed=True)


def offers_expire(*, now: datetime | None = None) -> int:
    """Close the offers whose time ran out; offer their seats to the next ones where the event says
    so. Idempotent: a second run (another worker, a restart) finds nothing left to close."""
    now = now or timezone.now()
    closed = 0
    event_ids = set(
        SeatOffer.objects.filter(state=OfferState.PENDING, expires_at__lte=now).values_list("event_id", flat=True)
    )
    for event_id in sorted(event_ids):
        with transaction.atomic():
            event = _lock_event(event_id)
            due = list(
                SeatOffer.objects.select_for_update()
                .select_related("registration")
                .filter(event=event, state=OfferState.PENDING, expires_at__lte=now)
            )
            for offer in due:
                offer.state = OfferState.EXPIRED
                offer.save(update_fields=["state"])
                registration = offer.registration
                _log(registration, action=ACTION_EXPIRED, from_state=registration.state, actor_kind=ActorKind.SYSTEM)
                closed += 1
            if due and event.offers_automatic:
                offers_fill(event=event, now=now)
    return closed


def offer_after_seat_freed(registration: Registration, from_state: str) -> None:
    """services' on_seat_freed handler: an event with automatic offers offers the freed seat at once."""
    event = registration.event
    if event.offers_automatic and event.starts_at > timezone.now():
        offers_fill(event=event, exclude=registration.pk)


def waitlist_move(*, event: Event, registration: Registration, direction: str, actor) -> None:
    """Move a wait-listed person one place up or down; the whole list gets explicit places."""
    if direction not in ("up", "down"):
        raise DomainError(_("Unknown direction."))
    with transaction.atomic():
        event = _lock_event(event.pk)
        order = list(waitlist(event))
        ids = [entry.pk for entry in order]
        if registration.pk not in ids:
            raise OfferError(_("This person is not on the waiting list."))
        index = ids.index(registration.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(ids):
            return
        order[index], order[other] = order[other], order[index]
        for position, entry in enumerate(order, start=1):
            if entry.waitlist_position != position:
                entry.waitlist_position = position
                entry.save(update_fields=["waitlist_position", "updated_at"])
        moved = order[other]
        _log(
            moved,
            action=ACTION_MOVED,
            from_state=moved.state,
            actor_kind=ActorKind.ORGANISER,
            actor=actor,
        )
