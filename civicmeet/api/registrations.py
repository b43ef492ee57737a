"""Registrations: participants register, read and cancel; organisers list and decide."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Query, Router, Status
from ninja.throttling import BaseThrottle

from civicmeet.core.errors import ConflictError
from civicmeet.events.permissions import event_for_organiser
from civicmeet.notifications.messages import personal_url
from civicmeet.registrations.models import LogEntry, Registration, State
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

from .auth import organiser_auth
from .errors import SLUG_PATTERN
from .events import published_event
from .pagination import PageParams
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

router = Router(tags=["registrations"])

_SLUG = re.compile(SLUG_PATTERN)
_TOKEN = re.compile(r"[-A-Za-z0-9_]{1,64}")


class RegistrationRateLimit(BaseThrottle):
    """The registration form's limit (settings.RATE_LIMIT_REGISTRATION per IP), shared with it.

    Checked before the body is even parsed, so a flood of garbage is limited too.
    """

    def allow_request(self, request: HttpRequest) -> bool:
        if not settings.RATE_LIMITS_ENABLED:
            return True
        return not is_ratelimited(
            request,
            group="registration",
            key="ip",
            rate=settings.RATE_LIMIT_REGISTRATION,
            method="POST",
            increment=True,
        )


def _organiser_event(request: HttpRequest, slug: str):
    if not _SLUG.fullmatch(slug):
        raise Http404
    return event_for_organiser(request.auth, slug)


def _own_registration(token: str, *, with_history: bool = False) -> Registration:
    if not _TOKEN.fullmatch(token):
        raise Http404
    registrations = Registration.objects.select_related("event", "organisation")
    if with_history:
        registrations = registrations.prefetch_related(
            Prefetch("log", queryset=LogEntry.objects.order_by("created_at", "id"))
        )
    registration = registrations.filter(token=token).first()
    if registration is None:
        raise Http404
    return registration


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
        "created_at": event.local(registration.created_at),
        "updated_at": event.local(registration.updated_at),
    }


def participant_registration_out(registration: Registration) -> dict[str, Any]:
    event = registration.event
    return {
        **registration_out(registration),
        "manage_url": personal_url(registration),
        # Who decided stays with the organisers; the participant sees what happened and why.
        "history": [
            {
                "at": event.local(entry.created_at),
                "action": entry.action,
                "from_state": entry.from_state,
                "to_state": entry.to_state,
                "actor": entry.actor_kind,
                "message": entry.message,
            }
            for entry in registration.log.all()
        ],
    }


# -- Participants (public; the token is the key) ------------------------------------------------


@router.post(
    "/events/{slug}/registrations",
    response={201: RegistrationCreatedOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut},
    throttle=[RegistrationRateLimit()],
    summary="Register for an event",
)
def registration_create(request: HttpRequest, slug: str, payload: RegistrationIn):
    """Register a person. The result is `submitted`: **not yet** an admission.

    The same email again answers 409 and emails the personal link again. Outside the
    registration window: 409. Unknown or unpublished event: 404.
    """
    event = published_event(slug)
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
    if errors:
        raise ValidationError(errors)

    data = RegistrationData.from_values(payload.model_dump(mode="json"), phone=phone, answers=answers)
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
def registration_list_view(request: HttpRequest, slug: str, page: Query[PageParams], state: State | None = None):
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
    response={200: RegistrationOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut},
    summary="Accept, wait-list or reject a registration",
)
def registration_decision(request: HttpRequest, slug: str, registration_id: int, payload: DecisionIn):
    """Decide on one registration, with an optional message to the participant.

    409 (`capacity`) when no seat is left or the organisation's limit is reached, and
    (`transition_not_allowed`) when the registration cannot move to that state.
    """
    event = _organiser_event(request, slug)
    if not 0 < registration_id <= MAX_BIGINT:
        raise Http404
    registration = Registration.objects.filter(event=event, pk=registration_id).first()
    if registration is None:
        raise Http404
    registration = registration_decide(
        registration=registration, decision=payload.decision, actor=request.auth, message=payload.message
    )
    return registration_out(registration, event)
