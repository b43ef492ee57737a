"""The event's safety rule applied to registrations: declarations, verdicts, recomputation.

The rule itself lives in civicmeet.eligibility (pure Python); this module stores the minimum
(basis, date or moment, verdict), and is the one place that turns a declaration into a verdict for
the form, the API, the organisers' list and — later — the desk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicmeet.core.errors import DomainError
from civicmeet.eligibility import Basis, SafetyDeclaration, Verdict
from civicmeet.events.models import Event

from . import emails as notify
from .models import HealthDeclaration, Registration, SafetyVerdict


@dataclass(frozen=True)
class SafetyInput:
    """What a participant declares: the basis and the date or moment it rests on. Nothing else."""

    basis: str
    date: date | None = None
    taken_at: datetime | None = None
    test_kind: str | None = None

    def declaration(self) -> SafetyDeclaration:
        return SafetyDeclaration(
            basis=Basis(self.basis), date=self.date, taken_at=self.taken_at, test_kind=self.test_kind or None
        )

    @property
    def is_test_to_bring(self) -> bool:
        """`tested` without a time: the test will be taken later. Nothing is stored for it."""
        return self.basis == Basis.TESTED and self.taken_at is None

    @classmethod
    def from_declaration(cls, declaration: HealthDeclaration) -> SafetyInput:
        return cls(
            basis=declaration.basis,
            date=declaration.date,
            taken_at=declaration.taken_at,
            test_kind=declaration.test_kind or None,
        )


def safety_check(*, event: Event, safety: SafetyInput, at: datetime | None = None) -> Verdict | None:
    """The verdict on a declaration at `at` (by default the event's start); None if no rule.

    Raises eligibility.DeclarationError for a malformed declaration (e.g. a naive time).
    """
    policy = event.safety
    if policy is None:
        return None
    return policy.evaluate(safety.declaration(), at=at or event.starts_at, tz=event.tz)


def _verdict_for(event: Event, safety: SafetyInput | None) -> str:
    if event.safety is None:
        return ""
    if safety is None:
        return SafetyVerdict.TO_BE_CHECKED
    verdict = safety_check(event=event, safety=safety)
    assert verdict is not None  # the event has a safety rule (above)
    return str(verdict.outcome)


def consent_health_required() -> str:
    """The error for a declaration without the separate consent (form, API and services alike)."""
    return _("Please agree to the processing of your health declaration, or choose to bring a test to the meeting.")


def declaration_to_store(*, event: Event, safety: SafetyInput | None, consent_health: bool) -> SafetyInput | None:
    """What may be stored of a declaration: None without a rule on the event, or for "I will bring
    a test" (nothing to store: the verdict is "to be checked"). Health data needs the explicit,
    separate consent (`consent_health`), else DomainError."""
    if event.safety is None or (safety is not None and safety.is_test_to_bring):
        return None
    if safety is not None and not consent_health:
        raise DomainError(consent_health_required(), code="consent_health_required")
    return safety


def declaration_fields(safety: SafetyInput) -> dict:
    """The columns of a HealthDeclaration for what was declared: the basis and its date or moment."""
    return {
        "basis": safety.basis,
        "date": safety.date,
        "taken_at": safety.taken_at,
        "test_kind": safety.test_kind or "",
    }


def declaration_apply(registration: Registration, safety: SafetyInput | None, *, now: datetime | None = None) -> None:
    """Set the registration's verdict and health-consent moment for what will be stored (unsaved)."""
    registration.safety_verdict = _verdict_for(registration.event, safety)
    if safety is None:
        registration.consent_health_at = None  # nothing stored, nothing consented to any more
    elif registration.consent_health_at is None:
        registration.consent_health_at = now or timezone.now()


def declaration_save(*, registration: Registration, safety: SafetyInput | None, consent_health: bool) -> None:
    """Store (or replace, or remove) an existing registration's declaration and its verdict.

    Called inside the registration services' transactions. Health data is stored only with the
    explicit, separate consent; without a rule on the event nothing is stored at all.
    """
    safety = declaration_to_store(
        event=registration.event, safety=safety, consent_health=consent_health or bool(registration.consent_health_at)
    )
    if safety is None:
        HealthDeclaration.objects.filter(registration=registration).delete()
    else:
        HealthDeclaration.objects.update_or_create(registration=registration, defaults=declaration_fields(safety))
    declaration_apply(registration, safety)
    registration.save(update_fields=["safety_verdict", "consent_health_at", "updated_at"])


def safety_verdicts_recompute(*, event: Event, notify_changes: bool = True) -> list[Registration]:
    """Recompute every registration's verdict after the rule (or the event's start) changed.

    Accepted participants whose verdict changed are told by email. Returns the changed registrations.
    """
    changed: list[Registration] = []
    with transaction.atomic():
        registrations = (
            Registration.objects.select_for_update(of=("self",))
            .filter(event=event, anonymised_at__isnull=True)
            .select_related("health_declaration")
        )
        for registration in registrations:
            registration.event = event
            declaration = getattr(registration, "health_declaration", None)
            safety = SafetyInput.from_declaration(declaration) if declaration else None
            verdict = _verdict_for(event, safety)
            if verdict == registration.safety_verdict:
                continue
            registration.safety_verdict = verdict
            registration.save(update_fields=["safety_verdict", "updated_at"])
            changed.append(registration)
            if notify_changes and registration.holds_seat:
                notify.safety_verdict_changed_to_participant(registration)
    return changed


# The event's fields a verdict depends on (it is evaluated at the event's start, in its zone).
VERDICT_FIELDS = frozenset({"safety_policy", "starts_at", "timezone"})


def verdicts_after_event_change(event: Event, changed: frozenset[str]) -> list[str]:
    """events.services.on_event_changed: recompute the verdicts when the rule or the start changed,
    and say so to the organiser who changed it."""
    if not changed & VERDICT_FIELDS:
        return []
    count = len(safety_verdicts_recompute(event=event))
    if count:
        return [
            ngettext(
                "The safety rule's verdict changed for %(count)d registration. Accepted participants "
                "whose verdict changed are being told by email.",
                "The safety rule's verdict changed for %(count)d registrations. Accepted participants "
                "whose verdict changed are being told by email.",
                count,
            )
            % {"count": count}
        ]
    if "safety_policy" in changed and Registration.objects.filter(event=event).exists():
        return [_("The safety rule changed; no registration's verdict changed.")]
    return []


_STORED = object()


def registration_verdict(registration: Registration, declared=_STORED) -> Verdict | None:
    """The full verdict (reason and window) on what the registration declared.

    `declared` is what is being stored (a SafetyInput or None) for a registration not saved yet;
    by default the stored declaration is read. Nothing declared counts as "I will bring a test"
    (to be checked at the door). None without a rule, and once the declaration has been purged
    after the event (only the stored outcome, if any, remains then).
    """
    event = registration.event
    if event.safety is None:
        return None
    if declared is _STORED:
        declaration = HealthDeclaration.objects.filter(registration=registration).first()
        declared = SafetyInput.from_declaration(declaration) if declaration is not None else None
    if declared is not None:
        return safety_check(event=event, safety=declared)
    if registration.safety_verdict in ("", SafetyVerdict.TO_BE_CHECKED):
        return safety_check(event=event, safety=SafetyInput(basis=Basis.TESTED))
    return None


def registration_verdict_text(registration: Registration, declared=_STORED) -> str:
    """'Meets the safety rule. <why>' in the active language, or '' without a rule or declaration."""
    from civicmeet.events.safety_text import verdict_display

    shown = verdict_display(registration.event, registration_verdict(registration, declared))
    if shown is None:
        return ""
    return f"{shown['label']}. {shown['reason']}".strip() if shown["reason"] else shown["label"]
