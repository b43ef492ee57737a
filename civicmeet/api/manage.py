"""The organisers' API: their events, published or not, and everything needed to run one.

Under `/api/v1/manage/events`, with an organiser's token. An event whose team one is not on as an
organiser (desk staff included) answers 404, exactly like an unknown one. Every change goes
through the services of events and registrations, with the token's user as the actor.

Refusals: a body that is wrong in itself is 422, naming the field; a well-formed request that the
event's current state refuses (publishing an event that is not ready, taking away its last
organiser) is 409 with a code.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from civicmeet.core.errors import ConflictError, DomainError
from civicmeet.events.models import Event, EventLogEntry
from civicmeet.events.permissions import event_for_organiser
from civicmeet.events.questions import questions_clean
from civicmeet.events.selectors import team_member_list
from civicmeet.events.services import (
    CONTACT_FIELDS,
    event_identity_update,
    event_publish,
    event_unpublish,
    event_update,
    questions_replace,
    team_member_add,
    team_member_remove,
)
from civicmeet.registrations.models import Registration, Role, State
from civicmeet.registrations.selectors import event_list_with_counts, registration_get, registration_list
from civicmeet.registrations.services import RegistrationData, guest_add
from civicmeet.registrations.validation import needs_dietary_details

from .auth import AuthenticatedRequest, organiser_auth
from .errors import SLUG_PATTERN
from .events import event_input_data, event_out, with_seats_taken
from .pagination import PageParams
from .registrations import organiser_registration_out, registration_out
from .schemas import MAX_BIGINT, ErrorOut, RegistrationListOut, ValidationErrorOut
from .schemas_manage import (
    EventHistoryOut,
    EventPatchIn,
    GuestIn,
    ManageEventListOut,
    ManageEventOut,
    OrganiserRegistrationOut,
    QuestionsIn,
    QuestionsOut,
    TeamMemberIn,
    TeamMemberOut,
    TeamOut,
)

if TYPE_CHECKING:
    from .events import EventWithSeats

router = Router(tags=["organisers: events"], auth=organiser_auth)

_SLUG = re.compile(SLUG_PATTERN)

# What every endpoint here may answer besides its success.
_READ = {401: ErrorOut, 404: ErrorOut}
_WRITE = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ValidationErrorOut}


def _own_event(request: AuthenticatedRequest, slug: str) -> Event:
    """The event if the token's user organises it; 404 otherwise, whether it exists or not."""
    if not _SLUG.fullmatch(slug):
        raise Http404
    return event_for_organiser(request.auth, slug)


def _valid_id(value: int) -> int:
    # Ids beyond the database's integer answer 404 like any unknown id, not a database error.
    if not 0 < value <= MAX_BIGINT:
        raise Http404
    return value


def _refused(error: DomainError | ValidationError, *, code: str) -> ConflictError:
    """A refusal by the event's current state, as a 409: the service's code when it has its own."""
    if isinstance(error, ValidationError):
        return ConflictError(" ".join(error.messages), code=code)
    if isinstance(error, ConflictError):
        return error
    return ConflictError(error.message, code=code if error.code == DomainError.code else error.code)


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


# -- Events ------------------------------------------------------------------------------------


def _manage_events(request: AuthenticatedRequest) -> QuerySet[EventWithSeats]:
    """The user's events (organiser role) with their counts and co-organisers, newest first."""
    return with_seats_taken(event_list_with_counts(user=request.auth)).prefetch_related("co_organisers")


def manage_event_out(event: EventWithSeats) -> dict[str, Any]:
    """An event as its organisers see it (needs `_manage_events`' annotations)."""
    return {
        **event_out(event, event.seats_taken),
        "fallback_language": event.fallback_language,
        "co_organisers": sorted(organisation.name for organisation in event.co_organisers.all()),
        "contact_email": event.contact_email,
        "contact_phone": event.contact_phone,
        "contact_languages": list(event.contact_languages or []),
        "registration_counts": {state: getattr(event, f"count_{state}") for state in State.values},
    }


def _manage_event(request: AuthenticatedRequest, slug: str) -> dict[str, Any]:
    if not _SLUG.fullmatch(slug):
        raise Http404
    event = _manage_events(request).filter(slug=slug).first()
    if event is None:
        raise Http404
    return manage_event_out(event)


@router.get(
    "/manage/events",
    response={200: ManageEventListOut, 401: ErrorOut, 422: ValidationErrorOut},
    summary="List one's own events",
)
def manage_event_list(request: AuthenticatedRequest, page: Query[PageParams]):
    """The events whose team you are on as an organiser, published or not, the latest start first,
    with their registrations counted per state. `count` is the total."""
    events = _manage_events(request)
    count = events.count()
    return {
        "count": count,
        "items": [manage_event_out(event) for event in events[page.offset : page.offset + page.limit]],
    }


@router.get("/manage/events/{slug}", response={200: ManageEventOut, **_READ}, summary="Get one of one's events")
def manage_event_detail(request: AuthenticatedRequest, slug: str):
    """One of your events, published or not. 404 for an event whose team you are not on as an organiser."""
    return _manage_event(request, slug)


@router.patch("/manage/events/{slug}", response={200: ManageEventOut, **_WRITE}, summary="Change an event")
def manage_event_update(request: AuthenticatedRequest, slug: str, payload: EventPatchIn):
    """Change any field of the create body: only the fields sent change, each one as a whole (a
    `title` with only `pl` removes the other languages; a `safety_policy` replaces the rule).

    `null` means none where a field has a none (`seats_per_organisation`: no limit,
    `safety_policy`: no rule, `description`, `venue`: no text) and is refused elsewhere. The slug
    cannot change (it is in every shared link): sending another one is a 422 (`read_only`).
    422 when the changed event is inconsistent, as when creating it. When the safety rule or the
    start changes, every verdict is recomputed and affected accepted participants are emailed.
    """
    event = _own_event(request, slug)
    data = event_input_data(payload)
    if data.pop("slug", event.slug) != event.slug:
        raise _field_error("slug", _("The address of an event cannot be changed once it is created."), code="read_only")
    contact = {name: data.pop(name) for name in CONTACT_FIELDS if name in data}
    with transaction.atomic():  # all of the body or nothing
        if data:
            event_update(event=event, data=data, actor=request.auth)
        if contact:
            event_identity_update(event=event, contact=contact, actor=request.auth)
    return _manage_event(request, slug)


@router.post(
    "/manage/events/{slug}/publish", response={200: ManageEventOut, 409: ErrorOut, **_READ}, summary="Publish an event"
)
def manage_event_publish(request: AuthenticatedRequest, slug: str):
    """Make the event public: its page and registration (within its window) open to anyone.

    Publishing a published event changes nothing. 409 (`not_publishable`) when the event cannot be
    published yet, with the reason.
    """
    event = _own_event(request, slug)
    try:
        event_publish(event=event, actor=request.auth)
    except (DomainError, ValidationError) as error:
        raise _refused(error, code="not_publishable") from None
    return _manage_event(request, slug)


@router.post(
    "/manage/events/{slug}/unpublish",
    response={200: ManageEventOut, 409: ErrorOut, **_READ},
    summary="Unpublish an event",
)
def manage_event_unpublish(request: AuthenticatedRequest, slug: str):
    """Hide the event from the public again (registrations stay; nobody can register meanwhile)."""
    event = _own_event(request, slug)
    try:
        event_unpublish(event=event, actor=request.auth)
    except (DomainError, ValidationError) as error:
        raise _refused(error, code="not_unpublishable") from None
    return _manage_event(request, slug)


# -- Custom questions --------------------------------------------------------------------------


def _questions_out(event: Event) -> dict[str, Any]:
    return {
        "questions": [
            {
                "key": question.key,
                "kind": question.kind,
                "label": question.label,
                "required": question.required,
                "counts_for_catering": question.counts_for_catering,
                "options": [{"key": option["key"], "label": option.get("label") or {}} for option in question.options],
            }
            for question in event.questions.all()
        ]
    }


@router.get(
    "/manage/events/{slug}/questions", response={200: QuestionsOut, **_READ}, summary="Get an event's questions"
)
def manage_questions_get(request: AuthenticatedRequest, slug: str):
    """The event's own questions on the registration form, in order."""
    return _questions_out(_own_event(request, slug))


@router.put(
    "/manage/events/{slug}/questions", response={200: QuestionsOut, **_WRITE}, summary="Replace an event's questions"
)
def manage_questions_put(request: AuthenticatedRequest, slug: str, payload: QuestionsIn):
    """Replace the questions with the list sent, in its order (`[]` removes them all).

    Checked as the organisers' questions page checks them: at most 50 questions; keys unique
    (answers are stored under them; a removed question's answers stay on the registrations);
    a label in at least one language; choice questions with 1 to 50 options with unique keys,
    other kinds with none; at most one yes/no question with `counts_for_catering`. 422 names the place: `questions.2.options.0.key`.
    """
    event = _own_event(request, slug)
    try:
        questions = questions_clean([question.model_dump(mode="json") for question in payload.questions])
    except ValidationError as error:
        raise ValidationError(
            {
                ("questions" if name == "__all__" else f"questions.{name}"): messages
                for name, messages in error.error_dict.items()
            }
        ) from None
    questions_replace(event=event, questions=questions, actor=request.auth)
    return _questions_out(event)


# -- Team --------------------------------------------------------------------------------------


def team_member_out(member) -> dict[str, Any]:
    # `organisation` is what team_member_list (and team_member_add) give each member.
    organisation = getattr(member, "organisation", None)
    return {
        "id": member.pk,
        "email": member.user.email,
        "role": member.role,
        "role_label": str(member.get_role_display()),
        "organisation": organisation.name if organisation else None,
    }


@router.get("/manage/events/{slug}/team", response={200: TeamOut, **_READ}, summary="List an event's team")
def manage_team_list(request: AuthenticatedRequest, slug: str):
    """The event's team: organisers first, then desk staff; each with the organisation they work for."""
    members = team_member_list(event=_own_event(request, slug))
    return {"count": len(members), "items": [team_member_out(member) for member in members]}


@router.post(
    "/manage/events/{slug}/team",
    response={200: TeamMemberOut, 201: TeamMemberOut, 409: ErrorOut, **_WRITE},
    summary="Add a team member or change their role",
)
def manage_team_add(request: AuthenticatedRequest, slug: str, payload: TeamMemberIn):
    """Put an existing account (by its email) on the team as `organiser` or `desk`, optionally on
    behalf of one of the event's co-organising organisations (by name).

    201 when the person joins the team, 200 when they were on it already (their role and
    organisation change). 422 (`unknown_account`) when no account has this email: accounts are
    made by an administrator (`create_organiser`); 422 (`not_a_co_organiser`) for an organisation
    that does not co-organise the event; 409 (`last_organiser`) when this would leave the event
    without an organiser.
    """
    event = _own_event(request, slug)
    organisation = None
    if payload.organisation is not None:
        wanted = payload.organisation.casefold()
        organisation = next((org for org in event.co_organisers.all() if org.name.casefold() == wanted), None)
        if organisation is None:
            raise _field_error(
                "organisation",
                _("Choose one of the event's co-organising organisations."),
                code="not_a_co_organiser",
            )
    if not get_user_model().objects.filter(email__iexact=payload.email).exists():
        raise _field_error(
            "email",
            _("There is no account with this email address. Ask an administrator to create it."),
            code="unknown_account",
        )
    before = {member.pk for member in team_member_list(event=event)}
    try:
        member = team_member_add(
            event=event,
            email=payload.email,
            role=payload.role.value,
            organisation=organisation,
            actor=request.auth,
        )
    except DomainError as error:
        raise _refused(error, code="last_organiser") from None
    return Status(200 if member.pk in before else 201, team_member_out(member))


@router.delete(
    "/manage/events/{slug}/team/{member_id}",
    response={204: None, 409: ErrorOut, **_READ},
    summary="Remove a team member",
)
def manage_team_remove(request: AuthenticatedRequest, slug: str, member_id: int):
    """Take a member off the team. 409 (`last_organiser`) for the event's last organiser; 404 for
    an id that is not on this event's team. Removing yourself ends your access to the event."""
    event = _own_event(request, slug)
    member_id = _valid_id(member_id)
    member = next((member for member in team_member_list(event=event) if member.pk == member_id), None)
    if member is None:
        raise Http404
    try:
        team_member_remove(event=event, member=member, actor=request.auth)
    except DomainError as error:
        raise _refused(error, code="last_organiser") from None
    return Status(204, None)


# -- Guests and registrations ------------------------------------------------------------------


def _registration_detail(event: Event, registration_id: int) -> dict[str, Any]:
    try:
        registration = registration_get(event=event, pk=_valid_id(registration_id))
    except Registration.DoesNotExist:
        raise Http404 from None
    registration.event = event
    return organiser_registration_out(registration)


@router.get(
    "/manage/events/{slug}/guests",
    response={200: RegistrationListOut, 422: ValidationErrorOut, **_READ},
    summary="List an event's guests",
)
def manage_guest_list(request: AuthenticatedRequest, slug: str, page: Query[PageParams]):
    """The guests the organisers added (accepted, outside the capacity), oldest first."""
    event = _own_event(request, slug)
    guests = registration_list(event=event).filter(role=Role.GUEST)
    count = guests.count()
    items = [registration_out(guest, event) for guest in guests[page.offset : page.offset + page.limit]]
    return {"count": count, "items": items}


@router.post(
    "/manage/events/{slug}/guests",
    response={201: OrganiserRegistrationOut, 409: ErrorOut, **_WRITE},
    summary="Add a guest",
)
def manage_guest_add(request: AuthenticatedRequest, slug: str, payload: GuestIn):
    """Add a guest (a city-office representative, say): accepted at once, taking no seat, and
    emailed in their language. As on the organisers' guest page, no consent is asked of them.

    409 (`already_registered`) when the email is already registered for the event; 422 when
    `dietary` is `other` without `dietary_details`.
    """
    event = _own_event(request, slug)
    if needs_dietary_details(payload.dietary, payload.dietary_details):
        raise _field_error("dietary_details", _("Describe the diet or allergies."), code="required")
    guest = guest_add(
        event=event, data=RegistrationData.from_values(payload.model_dump(mode="json")), actor=request.auth
    )
    return Status(201, _registration_detail(event, guest.pk))


@router.get(
    "/manage/events/{slug}/registrations/{registration_id}",
    response={200: OrganiserRegistrationOut, **_READ},
    summary="Get one registration with its history",
)
def manage_registration_detail(request: AuthenticatedRequest, slug: str, registration_id: int):
    """One registration of your event: its fields, the stored declaration and verdict, and its
    history (time, action, states, who acted as a kind — never which organiser — and the message).
    404 for a registration of another event."""
    return _registration_detail(_own_event(request, slug), registration_id)


@router.get(
    "/manage/events/{slug}/history",
    response={200: EventHistoryOut, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    summary="Read an event's history",
)
def manage_event_history(request: AuthenticatedRequest, slug: str, page: Query[PageParams]):
    """Who changed what and when — the event, its questions, team and guests — newest first, in
    pages. Decisions on registrations are in each registration's own history."""
    event = _own_event(request, slug)
    entries = EventLogEntry.objects.filter(event=event).select_related("actor").order_by("-created_at", "-id")
    count = entries.count()
    return {
        "count": count,
        "items": [
            {
                "at": event.local(entry.created_at),
                "action": entry.action,
                "action_label": str(entry.get_action_display()),
                "actor": entry.actor.email if entry.actor else None,
                "changes": entry.changes,
            }
            for entry in entries[page.offset : page.offset + page.limit]
        ],
    }
