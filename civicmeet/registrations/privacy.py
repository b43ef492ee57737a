"""Data protection: scheduled purges, anonymisation, erasure and access on request.

Health declarations (GDPR Art. 9 data) are deleted a few days after the event ends; every other
piece of personal data is anonymised after the event's retention period. A participant (through
their personal link) or an organiser (on the person's request) can download what is stored about
someone and erase it. Every removal leaves a `DataPurge` row: what kind of data, how many, when,
and the aggregate figures that remain. See docs/data-protection.md.

Every write here runs in a transaction and locks the rows it changes, like the services.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from civicmeet.events.models import Event
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.programmes.services import interests_erase

from . import services
from .exports import answer_text
from .models import (
    ACTIVE_STATES,
    DataPurge,
    HealthDeclaration,
    LogEntry,
    Registration,
    SafetyVerdict,
    new_token,
)

# -- When things are due -------------------------------------------------------------------------


def health_data_due_at(event: Event) -> datetime:
    """The moment the event's health declarations are deleted: N days (of 24 h) after it ends."""
    return event.ends_at + timedelta(days=event.health_data_retention_days)


def personal_data_due_at(event: Event) -> datetime:
    """The moment the event's registrations are anonymised: N days (of 24 h) after it ends."""
    return event.ends_at + timedelta(days=event.personal_data_retention_days)


def _verdict_stats(registrations) -> dict[str, int]:
    counts = Counter(registrations.exclude(safety_verdict="").values_list("safety_verdict", flat=True))
    return {verdict: counts.get(verdict, 0) for verdict in SafetyVerdict.values}


# -- Health declarations ---------------------------------------------------------------------------


def _health_purge_event(event: Event) -> DataPurge | None:
    with transaction.atomic():
        # Lock the event: a second purge running at the same moment waits and then finds nothing.
        event = Event.objects.select_for_update().get(pk=event.pk)
        registrations = Registration.objects.filter(event=event)
        declarations = HealthDeclaration.objects.filter(registration__event=event)
        with_verdict = registrations.exclude(safety_verdict="")
        if not declarations.exists() and not with_verdict.exists():
            return None
        stats: dict[str, Any] = _verdict_stats(registrations)
        count = declarations.count()
        stats["declarations"] = count
        declarations.delete()
        # The verdict is health data too; only its counts (in the purge record) remain.
        with_verdict.update(safety_verdict="", updated_at=timezone.now())
        return DataPurge.objects.create(event=event, kind=DataPurge.Kind.HEALTH, count=count, stats=stats)


def health_data_purge(*, now: datetime | None = None) -> list[DataPurge]:
    """Delete the health declarations (and verdicts) of every event whose health-data retention has run out.

    One `DataPurge(kind=HEALTH)` per event, with the verdict counts. Running it again purges and
    records nothing.
    """
    now = now or timezone.now()
    has_health_data = Exists(HealthDeclaration.objects.filter(registration__event=OuterRef("pk"))) | Exists(
        Registration.objects.filter(event=OuterRef("pk")).exclude(safety_verdict="")
    )
    candidates = Event.objects.filter(has_health_data, ends_at__lte=now).order_by("ends_at", "pk")
    return _purge_due(candidates, due_at=health_data_due_at, purge_event=_health_purge_event, now=now)


# -- Anonymisation ---------------------------------------------------------------------------------


def erased_email(registration: Registration) -> str:
    """A unique value that is not an address (the `.invalid` top-level domain never resolves)."""
    return f"erased-{registration.pk}@invalid"


def registration_anonymise(registration: Registration) -> Registration:
    """Remove everything that identifies the person; keep what counts need.

    Kept: event, state, role, organisation (a legal person), language, diet category, consent
    timestamps for processing and the history's transitions. Internal: call inside a transaction
    with the row locked (the public entry points below do).
    """
    registration.first_name = ""
    registration.last_name = ""
    registration.email = erased_email(registration)
    registration.phone = ""
    registration.organisation_role = ""
    registration.dietary_details = ""
    registration.accessibility_needs = ""
    registration.interpreting_needs = ""
    registration.answers = {}
    registration.consent_listing = False
    registration.consent_health_at = None
    registration.safety_verdict = ""
    # A new random token: the old personal link stops working, and nobody knows the new one.
    registration.token = new_token()
    registration.anonymised_at = timezone.now()
    registration.save()
    HealthDeclaration.objects.filter(registration=registration).delete()
    LogEntry.objects.filter(registration=registration).exclude(message="").update(message="")
    # Emails hold the name, the address and the personal link. Deleting them also stops any
    # message still waiting in the outbox: its sender finds no row and sends nothing.
    OutgoingEmail.objects.filter(registration=registration).delete()
    # The "I am interested" ticks went to project teams with the person's name and address.
    interests_erase(registration_id=registration.pk)
    return registration


def _registration_stats(registrations: list[Registration]) -> dict[str, Any]:
    def count(values) -> dict[str, int]:
        return dict(sorted(Counter(values).items()))

    return {
        "states": count(r.state for r in registrations),
        "roles": count(r.role for r in registrations),
        "organisation_types": count(r.organisation.type if r.organisation else "" for r in registrations),
        "languages": count(r.language for r in registrations),
        "dietary": count(r.dietary for r in registrations),
        "safety_verdicts": count(r.safety_verdict for r in registrations if r.safety_verdict),
    }


def _personal_purge_event(event: Event) -> DataPurge | None:
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        registrations = list(
            Registration.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .filter(event=event, anonymised_at__isnull=True)
        )
        if not registrations:
            return None
        stats = _registration_stats(registrations)
        for registration in registrations:
            registration_anonymise(registration)
        return DataPurge.objects.create(
            event=event, kind=DataPurge.Kind.PERSONAL, count=len(registrations), stats=stats
        )


def personal_data_anonymise_expired(*, now: datetime | None = None) -> list[DataPurge]:
    """Anonymise the registrations of every event whose personal-data retention has run out.

    One `DataPurge(kind=PERSONAL)` per event, with counts per state, organisation type, language
    and diet. Organisations (legal persons) stay. Running it again changes and records nothing.
    """
    now = now or timezone.now()
    pending = Exists(Registration.objects.filter(event=OuterRef("pk"), anonymised_at__isnull=True))
    candidates = Event.objects.filter(pending, ends_at__lte=now).order_by("ends_at", "pk")
    return _purge_due(candidates, due_at=personal_data_due_at, purge_event=_personal_purge_event, now=now)


def _purge_due(candidates, *, due_at, purge_event, now: datetime) -> list[DataPurge]:
    """Purge each candidate event whose moment has come; the records of those that had something."""
    records = (purge_event(event) for event in candidates if due_at(event) <= now)
    return [record for record in records if record is not None]


# -- Erasure on request ----------------------------------------------------------------------------


def registration_erase(*, registration: Registration, actor_kind: str, actor=None) -> Registration:
    """Erase a person's registration on their request (GDPR Art. 17): cancel it, then anonymise it.

    An active registration is cancelled first through the normal service, so a seat is freed
    and the history shows the cancellation. The cancellation email is queued by that service but
    never sent: anonymising deletes it from the outbox in the same transaction, and the person
    who asked to be forgotten is not written to (the page they erased from confirms it).
    """
    with transaction.atomic():
        registration.refresh_from_db(fields=["state"])
        state_before = registration.state
        if registration.state in ACTIVE_STATES:
            services.registration_cancel(registration=registration, actor_kind=actor_kind, actor=actor)
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event", "organisation")
            .get(pk=registration.pk)
        )
        if registration.anonymised_at is not None:
            return registration
        stats = _registration_stats([registration])
        stats["state_before_erasure"] = state_before
        stats["requested_by"] = actor_kind
        registration_anonymise(registration)
        DataPurge.objects.create(event=registration.event, kind=DataPurge.Kind.ERASURE, count=1, stats=stats)
    return registration


# -- Access on request -----------------------------------------------------------------------------


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def registration_export_data(registration: Registration) -> dict[str, Any]:
    """Everything stored about the person, as JSON-friendly data (GDPR Art. 15 and 20).

    Labels (question texts) are in the active language; stored values are given as stored.
    """
    registration = (
        Registration.objects.select_related("event", "organisation")
        .prefetch_related("event__questions", "event__co_organisers")
        .get(pk=registration.pk)
    )
    event = registration.event
    answers = []
    stored = registration.answers or {}
    for question in event.questions.all():
        question.event = event
        if question.key not in stored:
            continue
        answers.append(
            {
                "question": question.display_label(),
                "key": question.key,
                "value": stored[question.key],
                "text": answer_text(question, stored[question.key]),
            }
        )
    declaration = HealthDeclaration.objects.filter(registration=registration).first()
    organisation = registration.organisation
    return {
        "exported_at": _iso(timezone.now()),
        "event": {
            "slug": event.slug,
            "title": event.display_title(),
            "starts_at": _iso(event.starts_at),
            "ends_at": _iso(event.ends_at),
            "controllers": [org.name for org in event.co_organisers.all()],
        },
        "registration": {
            "id": registration.pk,
            "state": registration.state,
            "role": registration.role,
            "created_at": _iso(registration.created_at),
            "updated_at": _iso(registration.updated_at),
            "anonymised_at": _iso(registration.anonymised_at),
        },
        "person": {
            "first_name": registration.first_name,
            "last_name": registration.last_name,
            "email": registration.email,
            "phone": registration.phone,
            "preferred_language": registration.language,
            "organisation": {"name": organisation.name, "type": organisation.type} if organisation else None,
            "organisation_role": registration.organisation_role,
            "dietary": registration.dietary,
            "dietary_details": registration.dietary_details,
            "accessibility_needs": registration.accessibility_needs,
            "interpreting_needs": registration.interpreting_needs,
        },
        "answers": answers,
        "consents": {
            "processing_given_at": _iso(registration.consent_processing_at),
            "listing": registration.consent_listing,
            "health_data_given_at": _iso(registration.consent_health_at),
        },
        "safety_verdict": registration.safety_verdict,
        "health_declaration": (
            {
                "basis": declaration.basis,
                "date": declaration.date.isoformat() if declaration.date else None,
                "taken_at": _iso(declaration.taken_at),
                "test_kind": declaration.test_kind,
                "stored_at": _iso(declaration.created_at),
                "changed_at": _iso(declaration.updated_at),
            }
            if declaration
            else None
        ),
        "history": [
            {
                "when": _iso(entry.created_at),
                "action": entry.action,
                "from_state": entry.from_state,
                "to_state": entry.to_state,
                "by": entry.actor_kind,
                "message": entry.message,
            }
            for entry in LogEntry.objects.filter(registration=registration).order_by("created_at", "id")
        ],
        "emails": [
            {
                "kind": email.kind,
                "subject": email.subject,
                "to": email.to,
                "language": email.language,
                "status": email.status,
                "created_at": _iso(email.created_at),
                "sent_at": _iso(email.sent_at),
            }
            for email in OutgoingEmail.objects.filter(registration=registration).order_by("created_at", "id")
        ],
    }


# -- The organisers' overview ----------------------------------------------------------------------


@dataclass(frozen=True)
class DataProtectionSummary:
    health_due_at: datetime
    personal_due_at: datetime
    declarations_stored: int
    registrations_not_anonymised: int
    purges: list[DataPurge]


def data_protection_summary(*, event: Event) -> DataProtectionSummary:
    """What the organisers' data-protection page shows (a fixed handful of queries)."""
    not_anonymised = Registration.objects.filter(event=event, anonymised_at__isnull=True).count()
    return DataProtectionSummary(
        health_due_at=health_data_due_at(event),
        personal_due_at=personal_data_due_at(event),
        declarations_stored=HealthDeclaration.objects.filter(registration__event=event).count(),
        registrations_not_anonymised=not_anonymised,
        purges=list(DataPurge.objects.filter(event=event).order_by("-created_at", "-id")),
    )
