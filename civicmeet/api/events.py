"""Events: the public list and detail, and creation by organisers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Literal, TypedDict, overload

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from civicmeet.events.models import Event
from civicmeet.events.selectors import event_get_for_registration, event_list_public
from civicmeet.events.services import CONTACT_FIELDS, event_create, event_identity_update
from civicmeet.programmes.models import Programme
from civicmeet.registrations.models import seat_filter

from .auth import AuthenticatedRequest, organiser_auth
from .errors import SLUG_PATTERN
from .pagination import PageParams
from .schemas import ErrorOut, EventIn, EventListOut, EventOut, ValidationErrorOut

router = Router(tags=["events"])

_SLUG = re.compile(SLUG_PATTERN)


class SeatsTaken(TypedDict):
    """What `with_seats_taken` adds to each event."""

    seats_taken: int


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from .schemas_manage import EventPatchIn

    EventWithSeats = WithAnnotations[Event, SeatsTaken]


def with_seats_taken(queryset: QuerySet[Event]) -> QuerySet[EventWithSeats]:
    """Annotate `seats_taken`: accepted participants (guests and organisers take no seat); with the
    programme `event_out` names (no query per event)."""
    return queryset.select_related("programme").annotate(
        seats_taken=Count(
            "registrations",
            filter=seat_filter("registrations__"),
            distinct=True,
        )
    )


@overload
def published_event(slug: str, *, with_seats: Literal[True]) -> EventWithSeats: ...
@overload
def published_event(slug: str, *, with_seats: Literal[False] = False) -> Event: ...


def published_event(slug: str, *, with_seats: bool = False) -> Event:
    """The published event with this slug, or 404 (unpublished events do not exist publicly)."""
    if not _SLUG.fullmatch(slug):
        raise Http404
    events = Event.objects.filter(slug=slug, is_published=True)
    event = (with_seats_taken(events) if with_seats else events).first()
    if event is None:
        raise Http404
    return event


def published_event_for_registration(slug: str) -> Event:
    """The published event for registering and the safety check: kept per process while its
    version holds (events.selectors.event_get_for_registration), or 404. Not to be changed."""
    if not _SLUG.fullmatch(slug):
        raise Http404
    event = event_get_for_registration(slug=slug)
    if event is None:
        raise Http404
    return event


def event_url(event: Event) -> str:
    with translation.override(event.fallback_language):
        return settings.SITE_URL + reverse("events:detail", kwargs={"slug": event.slug})


def event_out(event: Event, seats_taken: int) -> dict[str, Any]:
    """The API's view of an event; times in the event's own time zone, with their offset."""
    return {
        "slug": event.slug,
        "url": event_url(event),
        "title": event.title,
        "description": event.description,
        "venue": event.venue,
        "starts_at": event.local(event.starts_at),
        "ends_at": event.local(event.ends_at),
        "timezone": event.timezone,
        "registration_opens_at": event.local(event.registration_opens_at),
        "registration_closes_at": event.local(event.registration_closes_at),
        "registration_open": event.is_registration_open(),
        "capacity": event.capacity,
        "seats_per_organisation": event.seats_per_organisation,
        "seats_left": max(event.capacity - seats_taken, 0),
        "safety_policy": event.safety.to_data() if event.safety else None,
        "is_published": event.is_published,
        "programme": programme_out(event.programme) if event.programme is not None else None,
    }


def programme_out(programme: Programme) -> dict[str, Any]:
    with translation.override(settings.LANGUAGE_CODE):
        url = settings.SITE_URL + reverse("programmes:programme", kwargs={"slug": programme.slug})
    return {"slug": programme.slug, "name": dict(programme.name or {}), "url": url}


def event_input_data(payload: EventIn | EventPatchIn) -> dict[str, Any]:
    """The fields of an event body that were sent, as events.services takes them.

    Shared by creating and changing (PATCH) an event, so both read a body alike: `null` texts are
    none, `null` for the fallback language is the default, the safety rule is checked and stored
    as the rules engine writes it.
    """
    from .safety import safety_policy_data

    data = payload.model_dump(exclude_unset=True)
    for name in ("description", "venue"):
        if name in data and data[name] is None:
            data[name] = {}
    if data.get("fallback_language") is None:
        data.pop("fallback_language", None)
    else:
        assert payload.fallback_language is not None  # sent, and not as null
        data["fallback_language"] = payload.fallback_language.value
    if "safety_policy" in data:
        policy = payload.safety_policy
        data["safety_policy"] = safety_policy_data(policy.model_dump(exclude_unset=True) if policy else None)
    if "contact_languages" in data:
        chosen = {language.value for language in payload.contact_languages or []}
        data["contact_languages"] = [code for code in settings.LANGUAGE_CODES if code in chosen]  # the site's order
    if data.get("programme") is not None:
        programme = Programme.objects.filter(slug=data["programme"]).first()
        if programme is None:
            raise ValidationError(
                {"programme": ValidationError(_("There is no programme with this address."), code="unknown")}
            )
        data["programme"] = programme
    return data


@router.get("/events", response={200: EventListOut, 422: ValidationErrorOut}, summary="List published events")
def event_list(request: HttpRequest, page: Query[PageParams]):
    """Published events that have not ended yet, soonest first. Public."""
    events = with_seats_taken(event_list_public())
    count = events.count()
    items = [event_out(event, event.seats_taken) for event in events[page.offset : page.offset + page.limit]]
    return {"count": count, "items": items}


@router.get("/events/{slug}", response={200: EventOut, 404: ErrorOut}, summary="Get a published event")
def event_detail(request: HttpRequest, slug: str):
    """One published event. Unknown and unpublished events answer 404. Public."""
    event = published_event(slug, with_seats=True)
    return event_out(event, event.seats_taken)


@router.post(
    "/events",
    auth=organiser_auth,
    response={201: EventOut, 400: ErrorOut, 401: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ValidationErrorOut},
    summary="Create an event",
)
def event_create_view(request: AuthenticatedRequest, payload: EventIn):
    """Create an unpublished event; the organiser whose token is used joins its team.

    409 when the slug is taken; 422 with a message per field when the event is inconsistent
    (ends before it starts, registration closes before it opens, unknown time zone, a safety-rule
    parameter out of range such as `safety_policy.tested_within_hours`…).
    """
    data = event_input_data(payload)
    contact = {name: data.pop(name) for name in CONTACT_FIELDS if name in data}
    with transaction.atomic():  # an event with a wrong contact is not created either
        event = event_create(creator=request.auth, data=data)
        if contact:
            event = event_identity_update(event=event, contact=contact, actor=request.auth)
    return Status(201, event_out(event, seats_taken=0))
