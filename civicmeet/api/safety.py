"""The safety rule in the API: the public check, and reading and validating declarations and policies.

Declarations are read by the rules engine itself (`SafetyDeclaration.from_data`) and checked for
dates nobody could mean with the registration form's own rule, so the form and the API accept and
refuse the same things.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from civicmeet.core.errors import ConflictError
from civicmeet.core.moments import moment_in_range
from civicmeet.eligibility import (
    DeclarationError,
    PolicyError,
    SafetyDeclaration,
    SafetyPolicy,
    Verdict,
)
from civicmeet.events.models import Event
from civicmeet.events.safety_text import policy_error_message, verdict_display
from civicmeet.registrations.safety import SafetyInput, safety_check
from civicmeet.registrations.validation import declaration_error_message, safety_input_problems

from .events import published_event_for_registration
from .schemas import ErrorOut, SafetyCheckOut, SafetyIn, ValidationErrorOut
from .throttles import SafetyCheckRateLimit

router = Router(tags=["safety rule"])


def safety_input(event: Event, data: Mapping[str, Any], *, prefix: str = "") -> SafetyInput:
    """A checked declaration from API data; ValidationError (422) naming the field otherwise."""
    try:
        declaration = SafetyDeclaration.from_data(data)
    except DeclarationError as error:
        field = prefix.rstrip(".") if error.field == "__all__" else prefix + error.field
        raise ValidationError({field: ValidationError(declaration_error_message(error), code=error.code)}) from None
    if declaration.taken_at is not None and not moment_in_range(declaration.taken_at):
        # Year 9999 with a negative offset is valid ISO 8601 that no time zone can convert.
        raise ValidationError(
            {prefix + "taken_at": ValidationError(_("Enter a valid date/time."), code="out_of_range")}
        )
    safety = SafetyInput(
        basis=declaration.basis.value,
        date=declaration.date,
        taken_at=declaration.taken_at,
        test_kind=declaration.test_kind,
    )
    problems = safety_input_problems(event, safety)
    if problems:
        raise ValidationError(
            {prefix + name: ValidationError(message, code="out_of_range") for name, message in problems.items()}
        )
    return safety


def safety_policy_data(data: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The policy as stored (`SafetyPolicy.to_data()`), or None; ValidationError naming the parameter."""
    if data is None:
        return None
    try:
        return SafetyPolicy.from_data(data).to_data()
    except PolicyError as error:
        field = "safety_policy" if error.field == "__all__" else f"safety_policy.{error.field}"
        raise ValidationError({field: ValidationError(policy_error_message(error), code=error.code)}) from None


def verdict_out(event: Event, verdict: Verdict) -> dict[str, Any]:
    shown = verdict_display(event, verdict) or {}
    return {
        "verdict": verdict.outcome.value,
        "reason": shown.get("reason") or shown.get("label", ""),
        "reason_code": verdict.reason,
        "valid_from": event.local(verdict.valid_from) if verdict.valid_from else None,
        "valid_until": event.local(verdict.valid_until) if verdict.valid_until else None,
    }


@router.post(
    "/events/{slug}/safety-check",
    response={
        200: SafetyCheckOut,
        400: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        422: ValidationErrorOut,
        429: ErrorOut,
    },
    throttle=[SafetyCheckRateLimit()],
    summary="Check a declaration against an event's safety rule",
)
def safety_check_view(request: HttpRequest, slug: str, payload: SafetyIn):
    """The verdict on a declaration at the event's start, with its reason. Public; nothing is stored.

    404 for an unknown or unpublished event; 409 (`no_safety_rule`) when the event has no safety
    rule; 422 for a malformed declaration (the field is named).
    """
    event = published_event_for_registration(slug)
    if event.safety is None:
        raise ConflictError(_("This event has no safety rule: there is nothing to check."), code="no_safety_rule")
    safety = safety_input(event, payload.model_dump(exclude_none=True))
    verdict = safety_check(event=event, safety=safety)
    assert verdict is not None  # the event has a safety rule (above)
    return verdict_out(event, verdict)
