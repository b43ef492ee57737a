"""Reads for the organisers' side of registrations: lists, counts, summaries.

Every function here answers in a fixed number of queries, whatever the number of registrations,
so the dashboard and the exports stay fast for a meeting of five people or five thousand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.functional import Promise

from civicmeet.events.models import Event
from civicmeet.events.selectors import event_list_for_organiser
from civicmeet.notifications.models import RETRYABLE_STATUSES, EmailStatus, OutgoingEmail
from civicmeet.organisations.models import Organisation

from .models import ACTIVE_STATES, Dietary, LogEntry, Registration, Role, SafetyVerdict, State, holds_seat, seat_filter

SEARCH_FIELDS = ("first_name", "last_name", "email", "organisation__name")


@dataclass(frozen=True)
class RegistrationFilters:
    """What the organiser narrowed the list down to. Empty values mean "any"."""

    search: str = ""
    state: str = ""
    organisation_type: str = ""
    organisation_id: int | None = None
    language: str = ""
    dietary: str = ""
    safety_verdict: str = ""
    # Only registrations whose organisation's type is outside the event's intended audience.
    outside_audience: bool = False


@dataclass(frozen=True)
class DashboardCounts:
    """Participants per state, seats and guests. Guests never take a seat.

    `by_verdict` (safety rule verdict → count) and `outside_audience` count active registrations
    (submitted, accepted, waiting), guests included: everyone who may come through the door.
    """

    by_state: dict[str, int]
    capacity: int
    seats_taken: int
    guests: int
    by_verdict: dict[str, int] = field(default_factory=dict)
    outside_audience: int = 0

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)


def _search_q(search: str) -> Q:
    """Every word must match one of the name, email or organisation fields.

    `iregex` with an escaped word rather than `icontains`: on SQLite `icontains` folds case for
    ASCII only, while the regular expression runs in Python and folds Cyrillic and Polish letters too.
    """
    condition = Q()
    for word in search.split():
        pattern = re.escape(word)
        word_q = Q()
        for name in SEARCH_FIELDS:
            word_q |= Q(**{f"{name}__iregex": pattern})
        condition &= word_q
    return condition


def outside_audience_q(event: Event) -> Q:
    """Registrations whose organisation's type is outside the event's intended audience.

    The same judgement as eligibility.AudiencePolicy.evaluate giving DOES_NOT_MEET: without an
    organisation the type is unknown, which is not "outside". Never matches without an audience.
    """
    if not event.audience_types:
        return Q(pk__in=[])
    return Q(organisation__isnull=False) & ~Q(organisation__type__in=list(event.audience_types))


def audience_flags_set(*, event: Event, registrations) -> list[Registration]:
    """Give each registration `outside_audience` (bool) from its (already joined) organisation's type.

    No query: the organisation comes with the list (select_related), and the rule is the engine's.
    """
    from civicmeet.eligibility import Outcome

    audience = event.audience
    registrations = list(registrations)
    for registration in registrations:
        organisation = registration.organisation
        registration.outside_audience = audience is not None and (
            audience.evaluate(organisation.type if organisation else None).outcome == Outcome.DOES_NOT_MEET
        )
    return registrations


def registration_list(*, event: Event, filters: RegistrationFilters | None = None) -> QuerySet[Registration]:
    """The event's registrations, oldest first, narrowed by the filters, with their organisation."""
    filters = filters or RegistrationFilters()
    queryset = Registration.objects.filter(event=event).select_related("organisation")
    if filters.search.strip():
        queryset = queryset.filter(_search_q(filters.search))
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.organisation_type:
        queryset = queryset.filter(organisation__type=filters.organisation_type)
    if filters.organisation_id:
        queryset = queryset.filter(organisation_id=filters.organisation_id)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.dietary:
        queryset = queryset.filter(dietary=filters.dietary)
    if filters.safety_verdict:
        queryset = queryset.filter(safety_verdict=filters.safety_verdict)
    if filters.outside_audience:
        queryset = queryset.filter(outside_audience_q(event))
    return queryset.order_by("created_at", "id")


def registration_counts(*, event: Event) -> DashboardCounts:
    """Counts per state (participants), seats taken, guests, verdicts and the audience flag: one query."""
    participant = Q(role=Role.PARTICIPANT)
    active = Q(state__in=ACTIVE_STATES)
    aggregates = {state: Count("id", filter=participant & Q(state=state)) for state in State.values}
    aggregates["guests"] = Count("id", filter=Q(role=Role.GUEST) & ~Q(state=State.CANCELLED))
    for verdict in SafetyVerdict.values:
        aggregates[f"verdict__{verdict}"] = Count("id", filter=active & Q(safety_verdict=verdict))
    if event.audience_types:
        aggregates["outside_audience"] = Count("id", filter=active & outside_audience_q(event))
    row = Registration.objects.filter(event=event).aggregate(**aggregates)
    guests = row.pop("guests")
    by_verdict = {verdict: row.pop(f"verdict__{verdict}") for verdict in SafetyVerdict.values}
    outside = row.pop("outside_audience", 0)
    return DashboardCounts(
        by_state=row,
        capacity=event.capacity,
        seats_taken=row[State.ACCEPTED],
        guests=guests,
        by_verdict=by_verdict,
        outside_audience=outside,
    )


def registration_organisations(*, event: Event) -> QuerySet[Organisation]:
    """The organisations that people registered for this event on behalf of (for the filter)."""
    return Organisation.objects.filter(registrations__event=event).distinct().order_by("name")


def registration_get(*, event: Event, pk: int) -> Registration:
    """One registration of the event with its history (and who acted) and the emails sent to it.

    Raises Registration.DoesNotExist for a registration of another event.
    """
    return (
        Registration.objects.select_related("organisation", "event", "health_declaration")
        .prefetch_related(
            Prefetch("log", queryset=LogEntry.objects.select_related("actor").order_by("created_at", "id")),
            Prefetch("emails", queryset=OutgoingEmail.objects.order_by("created_at", "id")),
        )
        .get(event=event, pk=pk)
    )


# -- Catering ---------------------------------------------------------------------------------

CATERING_GROUPS = ("accepted", "guests", "active")


def _group_q(group: str) -> Q:
    if group == "accepted":
        return seat_filter()
    if group == "guests":
        return Q(state=State.ACCEPTED) & ~Q(role=Role.PARTICIPANT)
    return Q(state__in=ACTIVE_STATES)


@dataclass(frozen=True)
class NeedNote:
    """A free-text need with the person it belongs to."""

    name: str
    text: str
    state: str
    role: str
    registration_id: int

    @property
    def is_seated_participant(self) -> bool:
        return holds_seat(self.state, self.role)

    @property
    def is_accepted_guest(self) -> bool:
        return self.state == State.ACCEPTED and self.role != Role.PARTICIPANT


@dataclass
class CateringSummary:
    """Counts per group: `accepted` participants, accepted `guests`, all `active` registrations.

    `diets` maps each Dietary value to {group: count}; `totals`, `accessibility` and
    `interpreting` map group to count. The notes list the free texts of active registrations.
    """

    totals: dict[str, int]
    diets: dict[str, dict[str, int]]
    accessibility: dict[str, int]
    interpreting: dict[str, int]
    diet_notes: list[NeedNote] = field(default_factory=list)
    accessibility_notes: list[NeedNote] = field(default_factory=list)
    interpreting_notes: list[NeedNote] = field(default_factory=list)

    def diet_rows(self) -> list[tuple[str, str | Promise, dict[str, int]]]:
        return [(value, label, self.diets[value]) for value, label in Dietary.choices]


def catering_summary(*, event: Event) -> CateringSummary:
    """Dietary, accessibility and interpreting needs: one aggregate query and one for the texts."""
    has_access = ~Q(accessibility_needs="")
    has_interp = ~Q(interpreting_needs="")
    aggregates = {}
    for group in CATERING_GROUPS:
        in_group = _group_q(group)
        aggregates[f"total__{group}"] = Count("id", filter=in_group)
        aggregates[f"access__{group}"] = Count("id", filter=in_group & has_access)
        aggregates[f"interp__{group}"] = Count("id", filter=in_group & has_interp)
        for value in Dietary.values:
            aggregates[f"diet_{value}__{group}"] = Count("id", filter=in_group & Q(dietary=value))
    row = Registration.objects.filter(event=event).aggregate(**aggregates)

    summary = CateringSummary(
        totals={group: row[f"total__{group}"] for group in CATERING_GROUPS},
        diets={value: {group: row[f"diet_{value}__{group}"] for group in CATERING_GROUPS} for value in Dietary.values},
        accessibility={group: row[f"access__{group}"] for group in CATERING_GROUPS},
        interpreting={group: row[f"interp__{group}"] for group in CATERING_GROUPS},
    )
    notes = (
        Registration.objects.filter(event=event, state__in=ACTIVE_STATES)
        .filter(~Q(dietary_details="") | has_access | has_interp)
        .order_by("last_name", "first_name", "id")
        .values_list(
            "id",
            "first_name",
            "last_name",
            "state",
            "role",
            "dietary_details",
            "accessibility_needs",
            "interpreting_needs",
        )
    )
    for pk, first, last, state, role, diet, access, interp in notes:
        name = f"{first} {last}".strip()
        for text, bucket in (
            (diet, summary.diet_notes),
            (access, summary.accessibility_notes),
            (interp, summary.interpreting_notes),
        ):
            if text:
                bucket.append(NeedNote(name=name, text=text, state=state, role=role, registration_id=pk))
    return summary


def event_list_with_counts(*, user) -> QuerySet[Event]:
    """The user's events (events.selectors.event_list_for_organiser) with `count_<state>`
    annotations: their registrations per state."""
    counts = {
        f"count_{state}": Count("registrations", filter=Q(registrations__state=state), distinct=True)
        for state in State.values
    }
    return event_list_for_organiser(user=user).annotate(**counts)


# -- Outbox -----------------------------------------------------------------------------------


def email_list(*, event: Event) -> QuerySet[OutgoingEmail]:
    """The event's outgoing emails: failed first, then waiting (or being sent), then sent; newest first."""
    urgency = Case(
        When(status__in=RETRYABLE_STATUSES, then=Value(0)),
        When(status__in=(EmailStatus.PENDING, EmailStatus.SENDING), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        OutgoingEmail.objects.filter(registration__event=event)
        .prefetch_related("subject_object")
        .annotate(urgency=urgency)
        .order_by("urgency", "-created_at", "-id")
    )


def email_counts(*, event: Event) -> dict[str, int]:
    """How many of the event's emails are in each status (one query)."""
    row = OutgoingEmail.objects.filter(registration__event=event).aggregate(
        **{status: Count("id", filter=Q(status=status)) for status in EmailStatus.values}
    )
    return row
