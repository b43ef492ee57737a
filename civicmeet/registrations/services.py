"""The admission workflow. Every change to a registration's state goes through this module.

Each service takes keyword-only arguments, runs in one transaction, locks the rows whose state it
checks, raises a DomainError with a translated message when a rule refuses, writes a LogEntry, and
schedules the participant's email for after the commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civicmeet.core.errors import ConflictError, DomainError
from civicmeet.core.lookups import lower_equals
from civicmeet.events.models import Event, EventAction
from civicmeet.events.services import event_log
from civicmeet.notifications.models import WITHDRAWABLE_STATUSES
from civicmeet.notifications.services import email_queue, email_withdraw
from civicmeet.organisations.services import organisation_find, organisation_get_or_create
from civicmeet.programmes.services import interests_record

from . import emails as notify
from .models import (
    HAS_EMAIL,
    ActorKind,
    HealthDeclaration,
    LogEntry,
    Registration,
    Role,
    SafetyVerdict,
    SeatOffer,
    State,
    holds_seat,
    offer_holds_seat_filter,
    seat_filter,
)
from .safety import SafetyInput, declaration_apply, declaration_fields, declaration_save, declaration_to_store

DECISIONS: dict[str, str] = {
    "accept": State.ACCEPTED,
    "waitlist": State.WAITLISTED,
    "reject": State.REJECTED,
}


class RegistrationClosedError(ConflictError):
    code = "registration_closed"


class AlreadyRegisteredError(ConflictError):
    code = "already_registered"

    def __init__(self, message: str, *, registration: Registration) -> None:
        super().__init__(message)
        self.registration = registration


class CapacityError(ConflictError):
    code = "capacity"


class TransitionError(ConflictError):
    code = "transition_not_allowed"


class ConfirmationRequiredError(ConflictError):
    """Accepting someone whose declaration does not meet the safety rule needs an explicit yes."""

    code = "confirmation_required"


class UndoRefusedError(ConflictError):
    """A decision can no longer be undone (too late, changed since, its email already sent)."""

    code = "undo_refused"


@dataclass
class RegistrationData:
    """What a participant fills in. Validation of single fields happens in forms/schemas."""

    first_name: str
    last_name: str
    email: str
    language: str
    organisation_name: str = ""
    organisation_type: str = "other"
    organisation_role: str = ""
    phone: str = ""
    dietary: str = "none"
    dietary_details: str = ""
    accessibility_needs: str = ""
    interpreting_needs: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    consent_processing: bool = False
    consent_listing: bool = False
    # The health declaration for the event's safety rule (None: none given / no rule).
    safety: SafetyInput | None = None
    consent_health: bool = False
    # Project offers (programmes.ProjectOffer) ticked "I am interested" among the event's chosen ones.
    interest_offers: list[Any] = field(default_factory=list)

    @classmethod
    def from_values(cls, values: Mapping[str, Any], **overrides: Any) -> RegistrationData:
        """Build from cleaned form data or a validated API payload; keys that are not fields are ignored."""
        names = {f.name for f in fields(cls)}
        merged = {**values, **overrides}
        return cls(**{name: value for name, value in merged.items() if name in names})


_EDITABLE_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "organisation_role",
    "language",
    "dietary",
    "dietary_details",
    "accessibility_needs",
    "interpreting_needs",
    "answers",
    "consent_listing",
)


def _refuse_null_characters(*texts: object) -> None:
    """Forms and the API refuse NUL characters already; PostgreSQL cannot store them at all, so a
    caller that skipped them gets a clear error instead of a database failure."""
    for text in texts:
        if isinstance(text, str) and "\x00" in text:
            raise DomainError(_("Null characters are not allowed."), code="null_characters_not_allowed")
        if isinstance(text, dict | list):
            _refuse_null_characters(*(text.values() if isinstance(text, dict) else text))


def _log(
    registration: Registration,
    *,
    action: str,
    from_state: str,
    actor_kind: str,
    actor=None,
    message: str = "",
    email=None,
) -> LogEntry:
    return LogEntry.objects.create(
        registration=registration,
        action=action,
        from_state=from_state,
        to_state=registration.state,
        actor_kind=actor_kind,
        actor=actor,
        message=message,
        email=email,
    )


def _already_registered(event: Event, email: str) -> AlreadyRegisteredError | None:
    # No ORDER BY: at most one row matches (the unique index on the lower-cased email, which
    # covers the registrations with an email: HAS_EMAIL repeated, so the planner may use it).
    if not email:
        return None
    rows = Registration.objects.filter(lower_equals("email", email), HAS_EMAIL, event=event).order_by()[:1]
    existing = rows[0] if rows else None
    if existing is None:
        return None
    return AlreadyRegisteredError(_("This email address is already registered for this event."), registration=existing)


def _registration_create(
    *, event: Event, data: RegistrationData, action: str, actor_kind: str, actor=None, **fields
) -> Registration:
    """Insert a registration with its organisation, declaration, first history row and email.

    One email per event: AlreadyRegisteredError (with the existing registration) when it is taken.
    The unique index decides — for two submissions racing too — so a new registration, by far the
    common case, costs no query to look for an earlier one.

    Everything that only reads (the organisation's lookup, the email's rendering) is done before
    the transaction, which only writes: on SQLite, writers take turns, so the shorter the
    transaction, the more registrations per second (docs/performance.md).
    """
    email = data.email.strip()
    safety = declaration_to_store(event=event, safety=data.safety, consent_health=data.consent_health)
    organisation_name = data.organisation_name.strip()
    registration = Registration(
        event=event,
        email=email,
        organisation=organisation_find(name=organisation_name) if organisation_name else None,
        **fields,
        **{name: getattr(data, name) for name in _EDITABLE_FIELDS},
    )
    declaration_apply(registration, safety)
    received = (
        notify.registration_received_rendered(registration, safety)
        if registration.state == State.SUBMITTED and notify.has_address(registration)
        else None
    )
    try:
        with transaction.atomic():
            if organisation_name and registration.organisation is None:
                registration.organisation = organisation_get_or_create(
                    name=organisation_name, type=data.organisation_type
                )
            registration.save(force_insert=True)
            if safety is not None:
                HealthDeclaration.objects.create(registration=registration, **declaration_fields(safety))
            _log(registration, action=action, from_state="", actor_kind=actor_kind, actor=actor)
            if data.interest_offers:
                _interests_record(registration, data)
            if received is not None:
                email_queue(received, subject=registration)
            else:
                notify.registration_state_changed_to_participant(registration)
    except IntegrityError:
        # Registered before, or twice at the same moment (double click, retry on a flaky phone).
        if error := _already_registered(event, email):
            raise error from None
        raise
    return registration


def _interests_record(registration: Registration, data: RegistrationData) -> None:
    """Hand the ticked offers to their projects' teams (programmes), in the registration's transaction.
    Only offers the event shows count: a tick for any other offer is ignored."""
    shown = {offer.pk for offer in registration.event.interest_offers.all()}
    offers = [offer for offer in data.interest_offers if offer.pk in shown]
    if not offers:
        return
    interests_record(
        offers=offers,
        registration_id=registration.pk,
        event_id=registration.event_id,
        event_title=registration.event.title,
        name=f"{registration.first_name} {registration.last_name}",
        email=registration.email,
        language=registration.language,
        phone=registration.phone,
        organisation_name=registration.organisation.name if registration.organisation else "",
        organisation_id=registration.organisation_id,
    )


def _require_consent(data: RegistrationData) -> None:
    if not data.consent_processing:
        raise DomainError(_("Consent to the processing of your personal data is required to register."))


def registration_submit(*, event: Event, data: RegistrationData, now: datetime | None = None) -> Registration:
    """Register a person for an event. The result is `submitted`: not yet an admission.

    Raises RegistrationClosedError outside the window and AlreadyRegisteredError (carrying the
    existing registration) when the email is already registered for this event. An email is
    required here (forms and the API ask for it too); only a walk-in at the desk may have none.
    """
    _require_consent(data)
    if not data.email.strip():
        raise DomainError(_("An email address is required to register."))
    _refuse_null_characters(*vars(data).values())
    if not event.is_registration_open(now):
        raise RegistrationClosedError(_("Registration for this event is not open."))
    return _registration_create(
        event=event,
        data=data,
        action="registrations.registration.submitted",
        actor_kind=ActorKind.PARTICIPANT,
        consent_processing_at=timezone.now(),
    )


def registration_resend_link(*, registration: Registration) -> None:
    """Email the personal link again (someone registered twice or lost the first message)."""
    with transaction.atomic():
        notify.registration_link_to_participant(registration)


def registration_update(
    *,
    registration: Registration,
    data: RegistrationData,
    actor_kind: str = ActorKind.PARTICIPANT,
    actor=None,
    now: datetime | None = None,
) -> Registration:
    """Change a registration's answers. Participants may do so until the registration deadline."""
    _refuse_null_characters(*vars(data).values())
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",)).select_related("event").get(pk=registration.pk)
        )
        if registration.state not in (State.SUBMITTED, State.WAITLISTED, State.ACCEPTED):
            raise TransitionError(_("This registration can no longer be changed."))
        if actor_kind == ActorKind.PARTICIPANT and registration.event.registration_status(now) == "closed":
            raise RegistrationClosedError(_("The registration deadline has passed; answers can no longer be changed."))
        changed = [name for name in _EDITABLE_FIELDS if getattr(registration, name) != getattr(data, name)]
        new_org_name = data.organisation_name.strip()
        current_org_name = registration.organisation.name if registration.organisation else ""
        if new_org_name.lower() != current_org_name.lower():
            registration.organisation = (
                organisation_get_or_create(name=new_org_name, type=data.organisation_type) if new_org_name else None
            )
            changed.append("organisation")
        current = getattr(registration, "health_declaration", None) if registration.event.safety else None
        safety_changed = (SafetyInput.from_declaration(current) if current else None) != data.safety
        if safety_changed and registration.event.safety is not None:
            changed.append("safety")
        if not changed:
            return registration
        for name in _EDITABLE_FIELDS:
            setattr(registration, name, getattr(data, name))
        registration.save()
        if "safety" in changed:
            declaration_save(registration=registration, safety=data.safety, consent_health=data.consent_health)
        _log(
            registration,
            action="registrations.registration.edited",
            from_state=registration.state,
            actor_kind=actor_kind,
            actor=actor,
            message=", ".join(changed),
        )
    return registration


def _seats_held(event: Event) -> tuple[QuerySet[Registration], QuerySet[SeatOffer]]:
    """What holds a seat of the event: its seated participants, and the pending seat offers to
    people on its waiting list (registrations/offers.py). Guests and organisers hold none."""
    return (
        Registration.objects.filter(seat_filter(), event=event),
        SeatOffer.objects.filter(offer_holds_seat_filter(timezone.now()), event=event),
    )


def _seat_counts(event: Event, organisation_id: int | None, registration_id: int | None = None) -> tuple[int, int]:
    """Seats taken in the event, and by the given organisation (`_seats_held`).

    The pending seat offer made to `registration_id` itself is left out: that seat is the one it
    is taking (the bulk preview applies the same rule to each selected person)."""
    seats, offers = _seats_held(event)
    if registration_id is not None:
        offers = offers.exclude(registration_id=registration_id)
    by_organisation = (
        seats.filter(organisation_id=organisation_id).count()
        + offers.filter(registration__organisation_id=organisation_id).count()
        if organisation_id
        else 0
    )
    return seats.count() + offers.count(), by_organisation


def seat_refusal(event: Event, registration: Registration, taken: int, taken_by_org: int) -> str | None:
    """Why giving `registration` a seat would break the capacity or the per-organisation limit, with
    `taken` seats taken (`taken_by_org` by its organisation); None when it fits. The one home of
    these two rules: the services check them under the event's lock, the bulk preview with counts."""
    if taken >= event.capacity:
        return _("No seats left (capacity: %(capacity)d). Cancel or reject someone first.") % {
            "capacity": event.capacity
        }
    limit = event.seats_per_organisation
    if limit is not None and registration.organisation_id and taken_by_org >= limit:
        organisation = registration.organisation
        assert organisation is not None  # organisation_id is set
        return _("%(organisation)s has reached the limit of accepted participants per organisation (%(limit)d).") % {
            "organisation": organisation.name,
            "limit": limit,
        }
    return None


def _check_seat(event: Event, registration: Registration) -> None:
    """Refuse (CapacityError) a seat the event or the organisation has no room for. Call it with the
    event locked (select_for_update), so that two acceptances cannot both take the last seat."""
    refusal = seat_refusal(event, registration, *_seat_counts(event, registration.organisation_id, registration.pk))
    if refusal:
        raise CapacityError(refusal)


def _lock(registration_id: int) -> Registration:
    """The registration and its event, locked, event first: every acceptance for this event queues
    here, so two organisers clicking at the same moment cannot both take the last seat
    (PostgreSQL). On SQLite the IMMEDIATE transaction already holds the database's write lock."""
    registration = Registration.objects.select_related("organisation").get(pk=registration_id)
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = (
        Registration.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=registration_id)
    )
    registration.event = event
    return registration


def undo_window() -> timedelta:
    """How long an organiser's decision can be undone (and its email waits)."""
    return timedelta(seconds=settings.DECISION_UNDO_SECONDS)


def _transition(
    *,
    registration_id: int,
    to_state: str,
    actor_kind: str,
    actor=None,
    message: str = "",
    confirm: bool = False,
    undoable: bool = False,
) -> Registration:
    """Move a registration to `to_state` if the state machine, the seats and the rules allow it.

    `confirm` is the organiser's explicit yes to accepting a declaration that does not meet the
    event's safety rule. `undoable`: the participant's email waits out the undo window, so that
    `registration_decision_undo` can still withdraw it.
    """
    _refuse_null_characters(message)
    with transaction.atomic():
        registration = _lock(registration_id)
        event = registration.event
        from_state = registration.state
        if from_state == to_state:
            raise TransitionError(
                _("This registration is already in the state “%(state)s”.") % {"state": State(to_state).label}
            )
        if not registration.can_move_to(to_state):
            raise TransitionError(
                _("A registration cannot go from “%(from)s” to “%(to)s”.")
                % {"from": State(from_state).label, "to": State(to_state).label}
            )
        if to_state == State.ACCEPTED and registration.safety_verdict == SafetyVerdict.DOES_NOT_MEET and not confirm:
            raise ConfirmationRequiredError(
                _(
                    "%(name)s's declaration does not meet the event's safety rule. "
                    "Confirm explicitly that you want to accept them anyway."
                )
                % {"name": registration.full_name}
            )
        if holds_seat(to_state, registration.role):
            _check_seat(event, registration)
        registration.state = to_state
        registration.save(update_fields=["state", "updated_at"])
        not_before = timezone.now() + undo_window() if undoable else None
        email = notify.registration_state_changed_to_participant(registration, message=message, not_before=not_before)
        _log(
            registration,
            action=f"registrations.registration.{to_state}",
            from_state=from_state,
            actor_kind=actor_kind,
            actor=actor,
            message=message,
            email=email,
        )
        _seat_may_be_free(registration, from_state)
    return registration


# (registration, the state it left) -> None: run inside the transaction of every change that may
# free a seat (an accepted person leaving, a wait-listed one with an offer leaving); offers.py
# registers the automatic offer to the waiting list (apps.py).
SeatFreedHandler = Callable[[Registration, str], None]
_seat_freed_handlers: list[SeatFreedHandler] = []


def on_seat_freed(handler: SeatFreedHandler) -> SeatFreedHandler:
    if handler not in _seat_freed_handlers:
        _seat_freed_handlers.append(handler)
    return handler


def _seat_may_be_free(registration: Registration, from_state: str) -> None:
    if from_state in (State.ACCEPTED, State.WAITLISTED) and registration.state != State.ACCEPTED:
        for handler in _seat_freed_handlers:
            handler(registration, from_state)


def registration_decide(
    *,
    registration: Registration,
    decision: str,
    actor,
    message: str = "",
    confirm: bool = False,
    undoable: bool = False,
) -> Registration:
    """An organiser accepts, wait-lists or rejects a registration.

    Accepting someone whose declaration does not meet the safety rule needs `confirm=True`.
    `undoable=True` (one decision on its page) holds the participant's email for the undo window.
    """
    if decision not in DECISIONS:
        raise DomainError(_("Unknown decision."))
    return _transition(
        registration_id=registration.pk,
        to_state=DECISIONS[decision],
        actor_kind=ActorKind.ORGANISER,
        actor=actor,
        message=message.strip(),
        confirm=confirm,
        undoable=undoable,
    )


@dataclass
class BulkResult:
    done: list[Registration] = field(default_factory=list)
    refused: list[tuple[Registration, str]] = field(default_factory=list)


def registration_decide_many(
    *, event: Event, registration_ids: list[int], decision: str, actor, message: str = "", confirm: bool = False
) -> BulkResult:
    """Decide on several registrations; each one on its own, so one refusal stops nothing else.

    Registrations are processed in the order they were submitted, so when seats run out the
    earliest applicants are the ones accepted.
    """
    result = BulkResult()
    registrations = Registration.objects.filter(event=event, pk__in=registration_ids).order_by("created_at", "id")
    for registration in registrations:
        try:
            result.done.append(
                registration_decide(
                    registration=registration, decision=decision, actor=actor, message=message, confirm=confirm
                )
            )
        except DomainError as error:
            result.refused.append((registration, error.message))
    return result


@dataclass(frozen=True)
class BulkPreviewRow:
    """One selected registration and what the decision would do to it (`reason`: why it would not)."""

    registration: Registration
    changes: bool
    reason: str = ""


@dataclass
class BulkPreview:
    """What `registration_decide_many` would do now, for the page that asks to confirm it."""

    decision: str
    to_state: str
    rows: list[BulkPreviewRow]
    capacity: int
    seats_left_now: int
    seats_left_after: int

    @property
    def changing(self) -> list[BulkPreviewRow]:
        return [row for row in self.rows if row.changes]

    @property
    def unchanged(self) -> list[BulkPreviewRow]:
        return [row for row in self.rows if not row.changes]


def registration_decide_many_preview(
    *, event: Event, registration_ids: list[int], decision: str, confirm: bool = False
) -> BulkPreview:
    """The consequences of a bulk decision, without making it: who would change, who would be left
    as they are and why (over the capacity or the per-organisation limit, not allowed from their
    state, the safety rule without confirmation), and the seats left after. The same rules as
    `_transition`, applied in the same order (earliest first), with the seats counted as they would
    be taken; the decision itself checks everything again under the lock."""
    if decision not in DECISIONS:
        raise DomainError(_("Unknown decision."))
    to_state = DECISIONS[decision]
    registrations = list(
        Registration.objects.filter(event=event, pk__in=registration_ids)
        .select_related("organisation")
        .order_by("created_at", "id")
    )
    seats, offers = _seats_held(event)
    # Selected people holding a pending offer: their offer's seat is theirs, so (as in _seat_counts)
    # it is not counted against them, and it is given back when they leave the waiting list.
    offered = dict(offers.values_list("registration_id", "registration__organisation_id"))
    taken = seats.count() + len(offered)
    by_organisation: Counter[int | None] = Counter(seats.values_list("organisation_id", flat=True))
    by_organisation.update(offered.values())
    seats_left_now = max(event.capacity - taken, 0)
    rows = []
    for registration in registrations:
        registration.event = event
        reason = ""
        if registration.state == to_state:
            reason = _("Already in the state “%(state)s”.") % {"state": State(to_state).label}
        elif not registration.can_move_to(to_state):
            reason = _("Cannot go from “%(from)s” to “%(to)s”.") % {
                "from": registration.get_state_display(),
                "to": State(to_state).label,
            }
        elif to_state == State.ACCEPTED and registration.safety_verdict == SafetyVerdict.DOES_NOT_MEET and not confirm:
            reason = _("Does not meet the safety rule, and you did not confirm accepting such people.")
        elif holds_seat(to_state, registration.role):
            own_offer = int(registration.pk in offered)
            reason = (
                seat_refusal(
                    event,
                    registration,
                    taken - own_offer,
                    by_organisation[registration.organisation_id] - own_offer,
                )
                or ""
            )
            if not reason:
                # The offer's seat becomes the acceptance's seat: counted once.
                taken += 1 - own_offer
                by_organisation[registration.organisation_id] += 1 - own_offer
        elif registration.holds_seat or registration.pk in offered:
            taken -= 1
            by_organisation[registration.organisation_id] -= 1
        rows.append(BulkPreviewRow(registration=registration, changes=not reason, reason=reason))
    return BulkPreview(
        decision=decision,
        to_state=to_state,
        rows=rows,
        capacity=event.capacity,
        seats_left_now=seats_left_now,
        seats_left_after=max(event.capacity - taken, 0),
    )


def registration_cancel(
    *,
    registration: Registration,
    actor_kind: str = ActorKind.PARTICIPANT,
    actor=None,
    message: str = "",
    undoable: bool = False,
) -> Registration:
    """Cancel a registration (by the participant or an organiser). Frees the seat if it held one.

    `undoable=True` (an organiser's cancellation on the registration's page) holds the email for
    the undo window."""
    return _transition(
        registration_id=registration.pk,
        to_state=State.CANCELLED,
        actor_kind=actor_kind,
        actor=actor,
        message=message.strip(),
        undoable=undoable,
    )


# -- Undoing a decision ----------------------------------------------------------------------

# The organisers' decisions that can be undone for a short while, and the undo's own history code.
UNDOABLE_ACTIONS = frozenset(
    f"registrations.registration.{state}"
    for state in (State.ACCEPTED, State.WAITLISTED, State.REJECTED, State.CANCELLED)
)
UNDONE_ACTION = "registrations.registration.decision_undone"


@dataclass(frozen=True)
class UndoOffer:
    """A decision that `actor` can still undo, until `until`."""

    entry: LogEntry
    until: datetime


def _latest_entry(registration: Registration) -> LogEntry | None:
    return LogEntry.objects.filter(registration=registration).select_related("email").order_by("-id").first()


def _undo_refusal(registration: Registration, entry: LogEntry, latest: LogEntry | None, *, actor, now) -> str | None:
    """Why `entry` cannot be undone now (None: it can). The one home of the undo rules."""
    if entry.action not in UNDOABLE_ACTIONS or entry.actor_kind != ActorKind.ORGANISER:
        return _("Only an organiser's decision can be undone.")
    if entry.actor_id != actor.pk:
        return _("Only the organiser who made this decision can undo it.")
    if latest is None or latest.pk != entry.pk or registration.state != entry.to_state:
        return _(
            "This registration has changed since the decision, so it can no longer be undone. Decide again instead."
        )
    if now > entry.created_at + undo_window():
        return _("The time to undo this decision has passed. Decide again instead.")
    if entry.email is not None and entry.email.status not in WITHDRAWABLE_STATUSES:
        return _("The email about this decision has already been sent, so it can no longer be undone.")
    return None


def decision_undo_offer(*, registration: Registration, actor, now: datetime | None = None) -> UndoOffer | None:
    """The registration's latest decision if `actor` can still undo it (for the page after it).

    Reads the history prefetched by selectors.registration_get (with each entry's email) when there."""
    latest = max(registration.log.all(), key=lambda entry: entry.pk, default=None)
    if latest is None or latest.action not in UNDOABLE_ACTIONS:
        return None
    if _undo_refusal(registration, latest, latest, actor=actor, now=now or timezone.now()):
        return None
    return UndoOffer(entry=latest, until=latest.created_at + undo_window())


def registration_decision_undo(
    *, registration: Registration, entry_id: int, actor, now: datetime | None = None
) -> Registration:
    """Undo an organiser's decision (history entry `entry_id`) within the undo window.

    The registration goes back to the state it had, the decision's email is withdrawn before it was
    sent, and the undo is a history row of its own (`UNDONE_ACTION`). Refused (UndoRefusedError)
    after the window, when the registration changed since, when the email went out, for another
    organiser's decision; going back to a seat obeys the capacity and per-organisation limits as any
    acceptance does (CapacityError), since the seat may have been given to someone else meanwhile.
    """
    with transaction.atomic():
        registration = _lock(registration.pk)
        entry = LogEntry.objects.filter(registration=registration, pk=entry_id).select_related("email").first()
        if entry is None:
            raise UndoRefusedError(_("There is no such decision to undo."))
        latest = _latest_entry(registration)
        refusal = _undo_refusal(registration, entry, latest, actor=actor, now=now or timezone.now())
        if refusal:
            raise UndoRefusedError(refusal)
        restored = entry.from_state
        if holds_seat(restored, registration.role):
            _check_seat(registration.event, registration)
        if entry.email is not None:
            try:
                email_withdraw(email=entry.email)
            except ConflictError:
                # A sender took it between our check and now: it may be on its way.
                raise UndoRefusedError(
                    _("The email about this decision has already been sent, so it can no longer be undone.")
                ) from None
        from_state = registration.state
        registration.state = restored
        registration.save(update_fields=["state", "updated_at"])
        _log(
            registration,
            action=UNDONE_ACTION,
            from_state=from_state,
            actor_kind=ActorKind.ORGANISER,
            actor=actor,
        )
        _seat_may_be_free(registration, from_state)
    return registration


def registration_walk_in(*, event: Event, data: RegistrationData, actor, action: str) -> Registration:
    """Register and accept at once someone who came on the day without registering (the desk's
    walk-in), while seats remain: the event locked and the same seat rules (capacity,
    per-organisation limit) as every acceptance, so two desks cannot both give away the last seat.
    The registration window does not apply (it is the day itself); the person gets the acceptance
    email if they gave an address: at the door it is optional (`data.email` may be ""; any number of
    walk-ins without one, and then no message at all). `action` names the history row (the app
    recording the walk-in says what it was).

    Call it inside the transaction that records what follows (the check-in): the event's lock is
    held until that transaction ends. Raises CapacityError when no seat is left,
    AlreadyRegisteredError for an email already registered, DomainError without consent."""
    _require_consent(data)
    _refuse_null_characters(*vars(data).values())
    organisation_name = data.organisation_name.strip()
    organisation = organisation_find(name=organisation_name) if organisation_name else None
    with transaction.atomic():
        locked_event = Event.objects.select_for_update().get(pk=event.pk)
        # The seat is checked before the row exists (the same rule as the acceptances').
        _check_seat(locked_event, Registration(event=locked_event, organisation=organisation))
        return _registration_create(
            event=locked_event,
            data=data,
            action=action,
            actor_kind=ActorKind.ORGANISER,
            actor=actor,
            state=State.ACCEPTED,
            consent_processing_at=timezone.now(),
        )


def guest_add(*, event: Event, data: RegistrationData, actor) -> Registration:
    """Add a guest (e.g. a city-office representative): accepted at once, outside the capacity."""
    _refuse_null_characters(*vars(data).values())
    with transaction.atomic():
        guest = _registration_create(
            event=event,
            data=data,
            action="registrations.registration.guest_added",
            actor_kind=ActorKind.ORGANISER,
            actor=actor,
            role=Role.GUEST,
            state=State.ACCEPTED,
            consent_processing_at=timezone.now() if data.consent_processing else None,
        )
        event_log(
            event=event,
            action=EventAction.GUEST_ADDED,
            actor=actor,
            # The guest's name is read from the registration when shown: anonymising it reaches here too.
            changes={"registration": guest.pk},
        )
    return guest
