"""The figures of the grant programme's report: pure selectors, a constant number of queries.

Every figure is counted from one scope of registrations (one event's, or the events of a series:
those of the event's grant programme) with the same definitions, written once here
(docs/day/report.md says them in words):

- registrations: every registration of a participant, whatever its state (guests are apart);
- admitted: participants accepted now (a seat: `registrations.models.seat_filter`);
- present: admitted participants with a check-in; no-shows: admitted without one;
- organisations: the distinct organisations named by those people;
- a present organisation is *returning* when one of its participants was checked in at an event
  that started before (the first event of) the scope, *new* otherwise — presence, not a
  registration, because a registration alone says nothing about having met the network;
- needs: admitted participants who asked for interpreting / accessibility, and how many of them came.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civicmeet.events.models import Event
from civicmeet.events.permissions import events_for_organiser
from civicmeet.organisations.models import OrganisationType
from civicmeet.registrations.models import Registration, Role, State, seat_filter

from .models import CheckIn

PARTICIPANT = Q(role=Role.PARTICIPANT)
ADMITTED = seat_filter()
PRESENT = ADMITTED & Q(checkin__isnull=False)
GUEST = Q(role=Role.GUEST, state=State.ACCEPTED)


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: what it is, and its count among registrations and among those present."""

    key: str
    label: str
    registered: int
    present: int


@dataclass(frozen=True)
class NeedRow:
    key: str
    label: str
    asked: int  # admitted participants who asked for it
    present: int  # of them, those who came


@dataclass
class Figures:
    registrations: int = 0
    admitted: int = 0
    present: int = 0
    guests: int = 0
    guests_present: int = 0
    by_type: list[Row] = field(default_factory=list)
    by_community: list[Row] = field(default_factory=list)
    languages: list[Row] = field(default_factory=list)
    needs: list[NeedRow] = field(default_factory=list)
    organisations_registered: int = 0
    organisations_present: int = 0
    organisations_new: int = 0
    organisations_returning: int = 0

    @property
    def no_shows(self) -> int:
        return self.admitted - self.present

    @property
    def no_show_percent(self) -> int | None:
        """No-shows as a whole percentage of the admitted (None when nobody was admitted)."""
        return round(100 * self.no_shows / self.admitted) if self.admitted else None

    @property
    def summary_rows(self) -> list[tuple[str, str, int]]:
        return [
            ("registrations", str(_("Registrations")), self.registrations),
            ("admitted", str(_("Admitted")), self.admitted),
            ("present", str(_("Present")), self.present),
            ("no_shows", str(_("No-shows")), self.no_shows),
        ]


@dataclass(frozen=True)
class EventRow:
    """One event of a series, with its main figures."""

    event: Event
    registrations: int
    admitted: int
    present: int
    organisations_present: int

    @property
    def no_shows(self) -> int:
        return self.admitted - self.present


@dataclass
class EventReport:
    event: Event
    figures: Figures
    ended: bool


@dataclass
class SeriesReport:
    """The same figures across several events, and a row per event."""

    events: list[EventRow]
    figures: Figures


def _community_name(values: dict, language: str) -> str:
    prefix = "organisation__communities__name_"
    return values.get(f"{prefix}{language}") or values[f"{prefix}en"]


def _figures(scope: QuerySet[Registration], *, before: datetime) -> Figures:
    """The figures of the registrations in `scope`, in five queries whatever their number."""
    totals = scope.aggregate(
        registrations=Count("id", filter=PARTICIPANT),
        admitted=Count("id", filter=ADMITTED),
        present=Count("id", filter=PRESENT),
        guests=Count("id", filter=GUEST),
        guests_present=Count("id", filter=GUEST & Q(checkin__isnull=False)),
        organisations_registered=Count("organisation", filter=PARTICIPANT, distinct=True),
        organisations_present=Count("organisation", filter=PRESENT, distinct=True),
        interpreting_asked=Count("id", filter=ADMITTED & ~Q(interpreting_needs="")),
        interpreting_present=Count("id", filter=PRESENT & ~Q(interpreting_needs="")),
        accessibility_asked=Count("id", filter=ADMITTED & ~Q(accessibility_needs="")),
        accessibility_present=Count("id", filter=PRESENT & ~Q(accessibility_needs="")),
    )
    participants = scope.filter(PARTICIPANT)

    types = {
        values["organisation__type"]: values
        for values in participants.filter(organisation__isnull=False)
        .values("organisation__type")
        .annotate(
            registered=Count("organisation", distinct=True),
            present=Count("organisation", filter=PRESENT, distinct=True),
        )
        .order_by()
    }
    by_type = [
        Row(value, str(label), types[value]["registered"], types[value]["present"])
        for value, label in OrganisationType.choices
        if value in types
    ]

    language = get_language() or settings.LANGUAGE_CODE
    communities = (
        participants.filter(organisation__communities__isnull=False)
        .values(
            "organisation__communities__slug",
            "organisation__communities__order",
            "organisation__communities__name_pl",
            "organisation__communities__name_uk",
            "organisation__communities__name_en",
        )
        .annotate(
            registered=Count("organisation", distinct=True),
            present=Count("organisation", filter=PRESENT, distinct=True),
        )
        .order_by("organisation__communities__order", "organisation__communities__name_en")
    )
    by_community = [
        Row(
            values["organisation__communities__slug"],
            _community_name(values, language),
            values["registered"],
            values["present"],
        )
        for values in communities
    ]

    spoken = {
        values["language"]: values
        for values in participants.values("language")
        .annotate(registered=Count("id"), present=Count("id", filter=PRESENT))
        .order_by()
    }
    languages = [
        Row(code, name, spoken[code]["registered"], spoken[code]["present"])
        for code, name in settings.LANGUAGES
        if code in spoken
    ]

    earlier = CheckIn.objects.filter(
        registration__organisation=OuterRef("organisation"),
        registration__role=Role.PARTICIPANT,
        event__starts_at__lt=before,
    )
    returning_flags = list(
        scope.filter(PRESENT, organisation__isnull=False)
        .values("organisation")
        .annotate(returning=Exists(earlier))
        .values_list("organisation", "returning")
        .distinct()
        .order_by()
    )
    returning = sum(1 for _organisation, flag in returning_flags if flag)

    return Figures(
        registrations=totals["registrations"],
        admitted=totals["admitted"],
        present=totals["present"],
        guests=totals["guests"],
        guests_present=totals["guests_present"],
        by_type=by_type,
        by_community=by_community,
        languages=languages,
        needs=[
            NeedRow(
                "interpreting",
                str(_("Interpreting")),
                totals["interpreting_asked"],
                totals["interpreting_present"],
            ),
            NeedRow(
                "accessibility",
                str(_("Accessibility")),
                totals["accessibility_asked"],
                totals["accessibility_present"],
            ),
        ],
        organisations_registered=totals["organisations_registered"],
        organisations_present=totals["organisations_present"],
        organisations_new=len(returning_flags) - returning,
        organisations_returning=returning,
    )


def event_report(event: Event, *, now: datetime | None = None) -> EventReport:
    """The report of one event (five queries)."""
    now = now or timezone.now()
    figures = _figures(Registration.objects.filter(event=event), before=event.starts_at)
    return EventReport(event=event, figures=figures, ended=event.ends_at <= now)


def series_events(events: QuerySet[Event], event: Event, *, now: datetime | None = None) -> QuerySet[Event]:
    """The events of a series the report covers: those of `events` that have started, and `event`."""
    now = now or timezone.now()
    return events.filter(Q(starts_at__lte=now) | Q(pk=event.pk)).order_by("starts_at", "pk")


def programme_events(event: Event, *, user, now: datetime | None = None) -> QuerySet[Event] | None:
    """The events of `event`'s grant programme the report compares, or None when the event is part
    of no programme: those that have started, and `event` itself. Other teams' events count when
    they are published (an unpublished one is their draft); the report shows only counts of them."""
    if event.programme_id is None:
        return None
    mine = events_for_organiser(user).values("pk")
    shown = Event.objects.filter(programme_id=event.programme_id).filter(Q(is_published=True) | Q(pk__in=mine))
    return series_events(shown, event, now=now)


def series_report(events: Iterable[Event] | QuerySet[Event]) -> SeriesReport:
    """The figures across `events` (seven queries whatever their number): totals as for one event
    (an organisation is returning when it came to an event before the series' first one), and a
    row per event."""
    chosen: Sequence[Event] = list(events)
    if not chosen:
        return SeriesReport(events=[], figures=Figures())
    ids = [event.pk for event in chosen]
    per_event = {
        values["event"]: values
        for values in Registration.objects.filter(event__in=ids)
        .values("event")
        .annotate(
            registrations=Count("id", filter=PARTICIPANT),
            admitted=Count("id", filter=ADMITTED),
            present=Count("id", filter=PRESENT),
            organisations_present=Count("organisation", filter=PRESENT, distinct=True),
        )
        .order_by()
    }
    empty = {"registrations": 0, "admitted": 0, "present": 0, "organisations_present": 0}
    rows = [
        EventRow(
            event=event,
            registrations=per_event.get(event.pk, empty)["registrations"],
            admitted=per_event.get(event.pk, empty)["admitted"],
            present=per_event.get(event.pk, empty)["present"],
            organisations_present=per_event.get(event.pk, empty)["organisations_present"],
        )
        for event in chosen
    ]
    first = min(event.starts_at for event in chosen)
    return SeriesReport(events=rows, figures=_figures(Registration.objects.filter(event__in=ids), before=first))
