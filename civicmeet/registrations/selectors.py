"""Reads for the organisers' side of registrations: lists, counts, summaries.

Every function here answers in a fixed number of queries, whatever the number of registrations,
so the dashboard and the exports stay fast for a meeting of five people or five thousand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise

from civicmeet.accounts.models import TeamRole
from civicmeet.accounts.permissions import team_member_filter
from civicmeet.events.models import CustomQuestion, Event, QuestionKind
from civicmeet.events.selectors import event_list_for_organiser
from civicmeet.notifications.models import RETRYABLE_STATUSES, EmailStatus, OutgoingEmail
from civicmeet.organisations.models import Organisation

from .models import (
    ACTIVE_STATES,
    Dietary,
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
    # Seats held by pending offers to people on the waiting list (registrations/offers.py): the one
    # seat rule counts them as taken until the offer is answered or expires.
    seats_offered: int = 0

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken - self.seats_offered, 0)


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
    # At most one pending offer per registration (a constraint): counting registrations counts offers.
    holding = SeatOffer.objects.filter(offer_holds_seat_filter(timezone.now()), registration=OuterRef("pk"))
    aggregates["seats_offered"] = Count("id", filter=Q(Exists(holding)))
    row = Registration.objects.filter(event=event).aggregate(**aggregates)
    seats_offered = row.pop("seats_offered")
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
        seats_offered=seats_offered,
    )


def registration_organisations(*, event: Event) -> QuerySet[Organisation]:
    """The organisations that people registered for this event on behalf of (for the filter)."""
    return Organisation.objects.filter(registrations__event=event).distinct().order_by("name")


def registration_get(*, event: Event, pk: int) -> Registration:
    """One registration of the event with its history (who acted, the email it sent), the emails sent
    to it, and `next_undecided_id` (next_undecided_subquery).

    Raises Registration.DoesNotExist for a registration of another event.
    """
    return (
        Registration.objects.select_related("organisation", "event", "health_declaration")
        .annotate(next_undecided_id=next_undecided_subquery())
        .prefetch_related(
            Prefetch("log", queryset=LogEntry.objects.select_related("actor", "email").order_by("created_at", "id")),
            Prefetch("emails", queryset=OutgoingEmail.objects.order_by("created_at", "id")),
        )
        .get(event=event, pk=pk)
    )


def next_undecided_subquery() -> Coalesce:
    """The id of the next registration waiting for a decision after the outer one (in the list's
    order), else the first one before it: where an organiser goes on after deciding. Subqueries,
    so the registration's page reads it with the registration itself."""
    waiting = (
        Registration.objects.filter(event=OuterRef("event"), state=State.SUBMITTED)
        .exclude(pk=OuterRef("pk"))
        .order_by("created_at", "id")
    )
    later = waiting.filter(
        Q(created_at__gt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), id__gt=OuterRef("pk"))
    )
    return Coalesce(Subquery(later.values("pk")[:1]), Subquery(waiting.values("pk")[:1]))


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


@dataclass(frozen=True)
class LunchAnswers:
    """How the people of each group answered the event's catering question (see catering_summary)."""

    question: CustomQuestion
    yes: dict[str, int]
    no: dict[str, int]
    unanswered: dict[str, int]


@dataclass
class CateringSummary:
    """Counts per group: `accepted` participants, accepted `guests`, all `active` registrations.

    `people` maps group to everyone in it. `totals` (the meals) and `diets` (each Dietary value to
    {group: count}) count the people who eat: everyone in the group, or, when the event asks a
    question that counts for catering, the participants who answered yes and the guests who did
    not answer no (organisers add guests, who fill in no form). `lunch` holds those answers.
    `accessibility` and `interpreting` count everyone in the group. The notes list the free texts
    of active registrations (the diet notes only of the people who eat).
    """

    people: dict[str, int]
    totals: dict[str, int]
    diets: dict[str, dict[str, int]]
    accessibility: dict[str, int]
    interpreting: dict[str, int]
    lunch: LunchAnswers | None = None
    diet_notes: list[NeedNote] = field(default_factory=list)
    accessibility_notes: list[NeedNote] = field(default_factory=list)
    interpreting_notes: list[NeedNote] = field(default_factory=list)

    def diet_rows(self) -> list[tuple[str, str | Promise, dict[str, int]]]:
        return [(value, label, self.diets[value]) for value, label in Dietary.choices]


def catering_question(*, event: Event) -> CustomQuestion | None:
    """The event's yes/no question that decides who eats ("Will you take part in the working lunch?")."""
    return (
        CustomQuestion.objects.filter(event=event, counts_for_catering=True, kind=QuestionKind.YES_NO)
        .order_by("position", "id")
        .first()
    )


def _eats(role: str, answers: dict | None, question: CustomQuestion | None) -> bool:
    """The rule the counts apply in SQL, for one registration (the diet notes)."""
    if question is None:
        return True
    answer = (answers or {}).get(question.key)
    return answer is True if role == Role.PARTICIPANT else answer is not False


def catering_summary(*, event: Event) -> CateringSummary:
    """Meals, diets, accessibility and interpreting needs: three queries whatever the number of people
    (the catering question, one aggregate, the free texts)."""
    question = catering_question(event=event)
    registrations = Registration.objects.filter(event=event)
    participant = Q(role=Role.PARTICIPANT)
    yes = no = Q()
    if question is not None:
        # The answer as JSON: true, false, or missing. A key transform, so any key is safe here.
        registrations = registrations.alias(lunch_answer=KeyTransform(question.key, "answers"))
        yes, no = Q(lunch_answer=True), Q(lunch_answer=False)
    has_access = ~Q(accessibility_needs="")
    has_interp = ~Q(interpreting_needs="")
    aggregates: dict[str, Count] = {}

    def eating(name: str, condition: Q) -> None:
        # Only positive tests of the answer: a negated one would drop the rows without an answer
        # (NULL), so "guests who did not answer no" is all guests minus those who answered no.
        if question is None:
            aggregates[name] = Count("id", filter=condition)
            return
        aggregates[f"{name}__yes"] = Count("id", filter=condition & participant & yes)
        aggregates[f"{name}__guests"] = Count("id", filter=condition & ~participant)
        aggregates[f"{name}__guests_no"] = Count("id", filter=condition & ~participant & no)

    def eaten(row: dict[str, int], name: str) -> int:
        if question is None:
            return row[name]
        return row[f"{name}__yes"] + row[f"{name}__guests"] - row[f"{name}__guests_no"]

    for group in CATERING_GROUPS:
        in_group = _group_q(group)
        aggregates[f"people__{group}"] = Count("id", filter=in_group)
        aggregates[f"access__{group}"] = Count("id", filter=in_group & has_access)
        aggregates[f"interp__{group}"] = Count("id", filter=in_group & has_interp)
        eating(f"total__{group}", in_group)
        for value in Dietary.values:
            eating(f"diet_{value}__{group}", in_group & Q(dietary=value))
        if question is not None:
            aggregates[f"yes__{group}"] = Count("id", filter=in_group & yes)
            aggregates[f"no__{group}"] = Count("id", filter=in_group & no)
    row = registrations.aggregate(**aggregates)

    lunch = None
    if question is not None:
        lunch = LunchAnswers(
            question=question,
            yes={group: row[f"yes__{group}"] for group in CATERING_GROUPS},
            no={group: row[f"no__{group}"] for group in CATERING_GROUPS},
            unanswered={
                group: row[f"people__{group}"] - row[f"yes__{group}"] - row[f"no__{group}"] for group in CATERING_GROUPS
            },
        )
    summary = CateringSummary(
        people={group: row[f"people__{group}"] for group in CATERING_GROUPS},
        totals={group: eaten(row, f"total__{group}") for group in CATERING_GROUPS},
        diets={
            value: {group: eaten(row, f"diet_{value}__{group}") for group in CATERING_GROUPS}
            for value in Dietary.values
        },
        accessibility={group: row[f"access__{group}"] for group in CATERING_GROUPS},
        interpreting={group: row[f"interp__{group}"] for group in CATERING_GROUPS},
        lunch=lunch,
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
            "answers",
            "dietary_details",
            "accessibility_needs",
            "interpreting_needs",
        )
    )
    for pk, first, last, state, role, answers, diet, access, interp in notes:
        name = f"{first} {last}".strip()
        for text, bucket in (
            (diet if _eats(role, answers, question) else "", summary.diet_notes),
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


def event_list_at_desk(*, user) -> QuerySet[Event]:
    """The events whose team the user is on at the desk only (not as an organiser), the latest
    first: the desk is all they may open there, so no counts. Staff organise every event already."""
    if not user.is_authenticated or not user.is_active or user.is_staff:
        return Event.objects.none()
    return (
        Event.objects.filter(team_member_filter(user, roles=(TeamRole.DESK,))).distinct().order_by("-starts_at", "id")
    )


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
