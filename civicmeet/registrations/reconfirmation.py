"""The question "Are you still coming?", asked of accepted participants N days before the event.

The event's `reconfirm_days_before` (None: never asked). The scheduled task (tasks.py) asks every
accepted participant once: the Reconfirmation row, unique per registration and written in the same
transaction as the email, is the proof it was asked, so two workers or a restarted one never ask
twice. The link carries its own token (stored hashed); opening it shows a page with the two buttons,
and only the POST of one of them answers, so a mail scanner that follows links cancels no one.
"No" cancels the registration through services.registration_cancel, which frees the seat (and,
where the event says so, offers it to the waiting list).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, Q, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civicmeet.accounts.models import hash_token
from civicmeet.core.errors import ConflictError, DomainError
from civicmeet.events.models import Event

from . import emails as notify
from .models import HAS_EMAIL, ActorKind, ReconfirmAnswer, Reconfirmation, Registration, Role, State
from .services import _log, registration_cancel

ACTION_ASKED = "registrations.reconfirmation.asked"
ACTION_YES = "registrations.reconfirmation.yes"
ACTION_NO = "registrations.reconfirmation.no"


class ReconfirmationError(ConflictError):
    code = "reconfirmation_refused"


def reconfirm_url(registration: Registration, raw_token: str) -> str:
    with translation.override(registration.language):
        path = reverse("registrations:reconfirm", kwargs={"token": raw_token})
    return settings.SITE_URL + path


def reconfirm_due_at(event: Event) -> datetime | None:
    """When the question goes out: `reconfirm_days_before` days before the start (None: never)."""
    if not event.reconfirm_days_before:
        return None
    return event.starts_at - timedelta(days=event.reconfirm_days_before)


def _ask(registration: Registration) -> bool:
    """Ask one person (once): False if someone else asked them first."""
    raw = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            Reconfirmation.objects.create(registration=registration, token_hash=hash_token(raw))
            email = notify.reconfirm_to_participant(registration, url=reconfirm_url(registration, raw))
            _log(
                registration,
                action=ACTION_ASKED,
                from_state=registration.state,
                actor_kind=ActorKind.SYSTEM,
                email=email,
            )
    except IntegrityError:
        return False  # another worker asked them meanwhile
    return True


def reconfirmations_send(*, now: datetime | None = None) -> int:
    """Ask every accepted participant whose event's time to ask has come, and who was not asked yet."""
    now = now or timezone.now()
    asked = 0
    events = Event.objects.filter(reconfirm_days_before__isnull=False, starts_at__gt=now)
    for event in events:
        due = reconfirm_due_at(event)
        if due is None or due > now:
            continue
        pending = (
            Registration.objects.filter(
                HAS_EMAIL,  # a walk-in without an address cannot be asked (and is not counted as asked)
                event=event,
                state=State.ACCEPTED,
                role=Role.PARTICIPANT,
                anonymised_at__isnull=True,
                reconfirmation__isnull=True,
            )
            .select_related("organisation")
            .order_by("pk")
        )
        for registration in pending:
            registration.event = event
            asked += _ask(registration)
    return asked


def reconfirmation_by_token(raw: str) -> Reconfirmation | None:
    if not raw or len(raw) > 64:
        return None
    return Reconfirmation.objects.select_related("registration__event").filter(token_hash=hash_token(raw)).first()


@dataclass(frozen=True)
class ReconfirmResult:
    reconfirmation: Reconfirmation
    changed: bool  # False: the same answer had been given already (a second click)


def reconfirmation_answer(
    *, reconfirmation: Reconfirmation, answer: str, now: datetime | None = None
) -> ReconfirmResult:
    """The participant answers yes (still coming) or no (not coming: the registration is cancelled
    and the seat freed). The same answer twice changes nothing; "yes" after "no" is refused (the
    seat may be someone else's by now); "no" after "yes" cancels."""
    if answer not in ReconfirmAnswer.values:
        raise DomainError(_("Unknown answer."))
    now = now or timezone.now()
    with transaction.atomic():
        reconfirmation = (
            Reconfirmation.objects.select_for_update().select_related("registration__event").get(pk=reconfirmation.pk)
        )
        registration = reconfirmation.registration
        if reconfirmation.answer == answer:
            return ReconfirmResult(reconfirmation=reconfirmation, changed=False)
        if reconfirmation.answer == ReconfirmAnswer.NO or registration.state != State.ACCEPTED:
            raise ReconfirmationError(
                _(
                    "Your registration has been cancelled, so your seat may already be someone else's. "
                    "Please contact the organisers if you would like to come after all."
                )
            )
        if registration.event.starts_at <= now:
            raise ReconfirmationError(_("The meeting has already started."))
        reconfirmation.answer = answer
        reconfirmation.answered_at = now
        reconfirmation.save(update_fields=["answer", "answered_at"])
        if answer == ReconfirmAnswer.YES:
            _log(registration, action=ACTION_YES, from_state=registration.state, actor_kind=ActorKind.PARTICIPANT)
        else:
            _log(registration, action=ACTION_NO, from_state=registration.state, actor_kind=ActorKind.PARTICIPANT)
            registration_cancel(registration=registration, actor_kind=ActorKind.PARTICIPANT)
    return ReconfirmResult(reconfirmation=reconfirmation, changed=True)


@dataclass
class ReconfirmationSummary:
    """Who answered what and who has not, for the organisers."""

    yes: list[Registration]
    no: list[Registration]
    unanswered: list[Registration]
    not_asked: list[Registration]
    due_at: datetime | None


def reconfirmation_rows(event: Event):
    """Accepted participants and those who cancelled by answering no, each annotated with `status`:
    "yes", "no", "unanswered" (asked, no answer yet) or "not_asked". The organisers' page and the
    API read the same rows (the API pages and filters them in the database)."""
    status = Case(
        When(reconfirmation__answer=ReconfirmAnswer.NO, then=Value("no")),
        When(reconfirmation__isnull=True, then=Value("not_asked")),
        When(reconfirmation__answer=ReconfirmAnswer.YES, then=Value("yes")),
        default=Value("unanswered"),
        output_field=CharField(),
    )
    return (
        Registration.objects.filter(event=event, role=Role.PARTICIPANT)
        .filter(Q(state=State.ACCEPTED) | Q(state=State.CANCELLED, reconfirmation__answer=ReconfirmAnswer.NO))
        .annotate(status=status)
    )


def reconfirmation_summary(event: Event) -> ReconfirmationSummary:
    """Accepted participants by their answer, and the cancelled who answered no (one query)."""
    rows = (
        reconfirmation_rows(event)
        .select_related("organisation", "reconfirmation")
        .order_by("last_name", "first_name", "pk")
    )
    summary = ReconfirmationSummary(yes=[], no=[], unanswered=[], not_asked=[], due_at=reconfirm_due_at(event))
    for registration in rows:
        getattr(summary, registration.status).append(registration)
    return summary
