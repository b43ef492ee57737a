"""Registrations: participants register, read and cancel; organisers list and decide."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from civicmeet.core.errors import ConflictError
from civicmeet.events.permissions import event_for_organiser
from civicmeet.events.safety_text import verdict_display
from civicmeet.registrations.models import LogEntry, Registration, State
from civicmeet.registrations.personal_link import personal_url, registration_by_token
from civicmeet.registrations.safety import consent_health_required, registration_verdict
from civicmeet.registrations.selectors import RegistrationFilters, registration_list
from civicmeet.registrations.services import (
    AlreadyRegisteredError,
    RegistrationData,
    registration_cancel,
    registration_decide,
    registration_resend_link,
    registration_submit,
)
from civicmeet.registrations.validation import clean_answers, normalise_phone

from .auth import AuthenticatedRequest, organiser_auth
from .errors import SLUG_PATTERN
from .events import published_event_for_registration
from .pagination import PageParams
from .safety import safety_input
from .schemas import (
    MAX_BIGINT,
    DecisionIn,
    ErrorOut,
    ParticipantRegistrationOut,
    RegistrationCreatedOut,
    RegistrationIn,
    RegistrationListOut,
    RegistrationOut,
    ValidationErrorOut,
)
from .throttles import RegistrationRateLimit

router = Router(tags=["registrations"])

_SLUG = re.compile(SLUG_PATTERN)


def _organiser_event(request: AuthenticatedRequest, slug: str):
    if not _SLUG.fullmatch(slug):
        raise Http404
    return event_for_organiser(request.auth, slug)


def _own_registration(token: str, *, with_history: bool = False) -> Registration:
    registrations = Registration.objects.select_related("event", "organisation", "health_declaration")
    if with_history:
        registrations = registrations.prefetch_related(
            Prefetch("log", queryset=LogEntry.objects.order_by("created_at", "id"))
        )
    return registration_by_token(token, registrations)


def registration_out(registration: Registration, event=None) -> dict[str, Any]:
    event = event or registration.event
    organisation = registration.organisation
    return {
        "id": registration.pk,
        "event_slug": event.slug,
        "state": registration.state,
        "state_label": str(State(registration.state).label),
        "role": registration.role,
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "email": registration.email,
        "phone": registration.phone,
        "organisation_name": organisation.name if organisation else "",
        "organisation_type": organisation.type if organisation else None,
        "organisation_role": registration.organisation_role,
        "language": registration.language,
        "dietary": registration.dietary,
        "dietary_details": registration.dietary_details,
        "accessibility_needs": registration.accessibility_needs,
        "interpreting_needs": registration.interpreting_needs,
        "answers": registration.answers,
        "consent_listing": registration.consent_listing,
        "safety_verdict": registration.safety_verdict or None,
        "created_at": event.local(registration.created_at),
        "updated_at": event.local(registration.updated_at),
    }


def _safety_reason(registration: Registration) -> str | None:
    shown = verdict_display(registration.event, registration_verdict(registration))
    if shown is None:
        return None
    return shown["reason"] or shown["label"]


def _declaration_out(registration: Registration) -> dict[str, Any] | None:
    declaration = getattr(registration, "health_declaration", None)
    if declaration is None or registration.event.safety is None:
        return None
    return {
        "basis": declaration.basis,
        "date": declaration.date.isoformat() if declaration.date else None,
        "taken_at": registration.event.local(declaration.taken_at) if declaration.taken_at else None,
        "test_kind": declaration.test_kind or None,
    }


def history_out(registration: Registration) -> list[dict[str, Any]]:
    """The registration's history rows (prefetched), oldest first. Who acted is told only as a kind
    (participant, organiser, system): never which organiser, whoever reads it."""
    event = registration.event
    return [
        {
            "at": event.local(entry.created_at),
            "action": entry.action,
            "from_state": entry.from_state,
            "to_state": entry.to_state,
            "actor": entry.actor_kind,
            "message": entry.message,
        }
        for entry in registration.log.all()
    ]


def participant_registration_out(registration: Registration) -> dict[str, Any]:
    return {
        **registration_out(registration),
        "safety_declaration": _declaration_out(registration),
        "safety_reason": _safety_reason(registration),
        "manage_url": personal_url(registration),
        "history": history_out(registration),
    }


def organiser_registration_out(registration: Registration) -> dict[str, Any]:
    """The organisers' view of one registration: the list's fields, the declaration and the history
    (the personal token and link stay the participant's)."""
    return {
        **registration_out(registration),
        "safety_declaration": _declaration_out(registration),
        "safety_reason": _safety_reason(registration),
        "history": history_out(registration),
    }


# -- Participants (public; the token is the key) ------------------------------------------------


@router.post(
    "/events/{slug}/registrations",
    response={
        201: RegistrationCreatedOut,
        400: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        422: ValidationErrorOut,
        429: ErrorOut,
    },
    throttle=[RegistrationRateLimit()],
    summary="Register for an event",
)
def registration_create(request: HttpRequest, slug: str, payload: RegistrationIn):
    """Register a person. The result is `submitted`: **not yet** an admission.

    The same email again answers 409 and emails the personal link again. Outside the
    registration window: 409. Unknown or unpublished event: 404. With a `safety` declaration
    (and `consent_health`), the answer carries the safety rule's verdict and its reason.
    """
    event = published_event_for_registration(slug)
    errors: dict[str, list[ValidationError]] = {}
    phone = ""
    try:
        phone = normalise_phone(payload.phone)
    except ValidationError as error:
        errors["phone"] = error.error_list
    answers: dict[str, Any] = {}
    try:
        answers = clean_answers(list(event.questions.all()), payload.answers)
    except ValidationError as error:
        errors.update({f"answers.{key}": value for key, value in error.error_dict.items()})
    if not payload.consent_processing:
        errors["consent_processing"] = [
            ValidationError(
                _("Consent to the processing of your personal data is required to register."), code="required"
            )
        ]
    safety = None
    if payload.safety is not None and event.safety is not None:
        try:
            safety = safety_input(event, payload.safety.model_dump(exclude_none=True), prefix="safety.")
        except ValidationError as error:
            errors.update(error.error_dict)
        else:
            if safety.is_test_to_bring:
                # As in the form: a test still to be taken is nothing to store, and needs no health consent.
                safety = None
            elif not payload.consent_health:
                errors["consent_health"] = [ValidationError(consent_health_required(), code="required")]
    if errors:
        raise ValidationError(errors)

    data = RegistrationData.from_values(
        payload.model_dump(mode="json"),
        phone=phone,
        answers=answers,
        safety=safety,
        consent_health=payload.consent_health and safety is not None,
    )
    try:
        registration = registration_submit(event=event, data=data)
    except AlreadyRegisteredError as error:
        registration_resend_link(registration=error.registration)
        raise ConflictError(
            _("This email address is already registered for this event. We have emailed the personal link again."),
            code=error.code,
        ) from None
    return Status(
        201,
        {
            "id": registration.pk,
            "state": registration.state,
            "token": registration.token,
            "manage_url": personal_url(registration),
            "safety_verdict": registration.safety_verdict or None,
            "safety_reason": _safety_reason(registration),
        },
    )


@router.get(
    "/registrations/{token}",
    response={200: ParticipantRegistrationOut, 404: ErrorOut},
    summary="Read one's own registration",
)
def registration_own(request: HttpRequest, token: str):
    """The participant's registration with its state and history. The token is the key."""
    return participant_registration_out(_own_registration(token, with_history=True))


@router.post(
    "/registrations/{token}/cancel",
    response={200: ParticipantRegistrationOut, 404: ErrorOut, 409: ErrorOut},
    summary="Cancel one's own registration",
)
def registration_own_cancel(request: HttpRequest, token: str):
    """Cancel the registration (frees the seat if it held one). 409 when it cannot be cancelled."""
    registration = _own_registration(token)
    registration_cancel(registration=registration)
    return participant_registration_out(_own_registration(token, with_history=True))


# -- Organisers (Bearer token; only events whose team they are on) ------------------------------


@router.get(
    "/events/{slug}/registrations",
    auth=organiser_auth,
    response={200: RegistrationListOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="List an event's registrations",
)
def registration_list_view(
    request: AuthenticatedRequest, slug: str, page: Query[PageParams], state: State | None = None
):
    """The event's registrations, oldest first, optionally in one state; `count` is the total."""
    event = _organiser_event(request, slug)
    registrations = registration_list(event=event, filters=RegistrationFilters(state=state.value if state else ""))
    count = registrations.count()
    items = [
        registration_out(registration, event) for registration in registrations[page.offset : page.offset + page.limit]
    ]
    return {"count": count, "items": items}


@router.post(
    "/events/{slug}/registrations/{registration_id}/decision",
    auth=organiser_auth,
    response={
        200: RegistrationOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Accept, wait-list or reject a registration",
)
def registration_decision(request: AuthenticatedRequest, slug: str, registration_id: int, payload: DecisionIn):
    """Decide on one registration, with an optional message to the participant.

    409 (`capacity`) when no seat is left or the organisation's limit is reached,
    (`transition_not_allowed`) when the registration cannot move to that state, and
    (`confirmation_required`) when accepting someone whose declaration does not meet the safety
    rule without `"confirm": true`.
    """
    event = _organiser_event(request, slug)
    if not 0 < registration_id <= MAX_BIGINT:
        raise Http404
    registration = Registration.objects.filter(event=event, pk=registration_id).first()
    if registration is None:
        raise Http404
    registration = registration_decide(
        registration=registration,
        decision=payload.decision,
        actor=request.auth,
        message=payload.message,
        confirm=payload.confirm,
    )
    return registration_out(registration, event)
