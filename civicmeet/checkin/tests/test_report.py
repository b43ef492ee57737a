"""The grant programme's report: its figures (report.py), in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from civicmeet.checkin import report
from civicmeet.checkin.services import checkin_record
from civicmeet.checkin.tests.factories import client_id
from civicmeet.events.models import Event
from civicmeet.events.tests.factories import EventFactory
from civicmeet.organisations.models import Community, Organisation
from civicmeet.registrations.models import ActorKind
from civicmeet.registrations.services import guest_add, registration_cancel, registration_decide
from civicmeet.registrations.tests.factories import registration_data, submit


def check_in(registration, *, actor=None, at=None):
    """Mark a person present as the desk does (name search), through the check-in service."""
    return checkin_record(
        event=registration.event,
        client_id=client_id(),
        actor=actor,
        registration=registration,
        source="name",
        now=at,
    ).checkin


def accept(registration, organiser):
    return registration_decide(registration=registration, decision="accept", actor=organiser)


@pytest.fixture
def communities(db):
    ukrainian, _ = Community.objects.get_or_create(
        slug="ukrainian", defaults={"name_pl": "Ukraińska", "name_uk": "Українська", "name_en": "Ukrainian", "order": 1}
    )
    jewish, _ = Community.objects.get_or_create(
        slug="jewish", defaults={"name_pl": "Żydowska", "name_uk": "Єврейська", "name_en": "Jewish", "order": 2}
    )
    return ukrainian, jewish


@pytest.fixture
def held_event(event, organiser, communities):
    """The invitation's meeting after the day: who registered, who was admitted, who came."""
    ukrainian, jewish = communities
    zustricz = {"organisation_name": "Fundacja Zustricz", "organisation_type": "migrant", "language": "uk"}
    czulent = {"organisation_name": "Żydowskie Stowarzyszenie Czulent", "organisation_type": "national_minority"}
    roma = {"organisation_name": "Stowarzyszenie Romów w Polsce", "organisation_type": "ethnic_minority"}
    olena = accept(submit(event, first_name="Olena", interpreting_needs="polski → українська", **zustricz), organiser)
    taras = accept(submit(event, first_name="Тарас", **zustricz), organiser)
    miriam = accept(
        submit(event, first_name="Miriam", language="pl", accessibility_needs="Wózek", **czulent), organiser
    )
    jan = accept(submit(event, first_name="Jan", language="pl", interpreting_needs="English", **roma), organiser)
    # Still waiting for a decision: registered, not admitted.
    submit(event, first_name="Anna", language="en", interpreting_needs="English", **roma)
    registration_cancel(registration=submit(event, first_name="Oksana", **zustricz), actor_kind=ActorKind.PARTICIPANT)
    Organisation.objects.get(name="Fundacja Zustricz").communities.add(ukrainian)
    Organisation.objects.get(name="Żydowskie Stowarzyszenie Czulent").communities.add(jewish, ukrainian)
    for person in (olena, taras, miriam):
        check_in(person, actor=organiser)
    return {"event": event, "olena": olena, "taras": taras, "miriam": miriam, "jan": jan}


def test_people_registered_admitted_present_and_no_shows(held_event):
    figures = report.event_report(held_event["event"]).figures
    assert figures.registrations == 6  # every participant's registration: waiting and cancelled ones too
    assert figures.admitted == 4
    assert figures.present == 3
    assert figures.no_shows == 1
    assert figures.no_show_percent == 25
    assert [key for key, _label, _value in figures.summary_rows] == ["registrations", "admitted", "present", "no_shows"]


def test_guests_are_counted_apart(held_event, organiser):
    event = held_event["event"]
    guest = guest_add(event=event, data=registration_data(first_name="Urszula", organisation_name=""), actor=organiser)
    check_in(guest, actor=organiser)
    figures = report.event_report(event).figures
    assert (figures.guests, figures.guests_present) == (1, 1)
    assert (figures.admitted, figures.present) == (4, 3)


def test_organisations_by_type_count_each_organisation_once(held_event):
    figures = report.event_report(held_event["event"]).figures
    by_type = {row.key: (row.registered, row.present) for row in figures.by_type}
    # Zustricz sent three people (two came); the Roma association two (nobody came).
    assert by_type == {"national_minority": (1, 1), "ethnic_minority": (1, 0), "migrant": (1, 1)}
    assert [row.key for row in figures.by_type] == ["national_minority", "ethnic_minority", "migrant"]
    assert (figures.organisations_registered, figures.organisations_present) == (3, 2)


def test_organisations_by_community_in_the_readers_language(held_event, communities):
    from django.utils import translation

    ukrainian, jewish = communities
    with translation.override("uk"):
        figures = report.event_report(held_event["event"]).figures
    rows = {row.key: (row.label, row.registered, row.present) for row in figures.by_community}
    # Czulent serves both communities: counted under each.
    assert rows == {"ukrainian": (ukrainian.name_uk, 2, 2), "jewish": (jewish.name_uk, 1, 1)}
    assert ukrainian.name_uk.lower() == "українська"


def test_languages_registered_and_present(held_event):
    figures = report.event_report(held_event["event"]).figures
    assert [(row.key, row.registered, row.present) for row in figures.languages] == [
        ("pl", 2, 1),
        ("uk", 3, 2),
        ("en", 1, 0),
    ]


def test_needs_asked_for_by_the_admitted_and_met(held_event):
    figures = report.event_report(held_event["event"]).figures
    needs = {row.key: (row.asked, row.present) for row in figures.needs}
    # Olena (came) and Jan (did not) asked for interpreting; Miriam (came) for accessibility;
    # Anna asked for interpreting but is not admitted.
    assert needs == {"interpreting": (2, 1), "accessibility": (1, 1)}


def test_an_organisation_is_returning_when_it_was_present_at_an_earlier_event(held_event, organiser):
    event = held_event["event"]
    figures = report.event_report(event).figures
    assert (figures.organisations_new, figures.organisations_returning) == (2, 0)

    # Registered and admitted but absent at an earlier event: that alone does not make Czulent returning.
    earlier = EventFactory(organisers=[organiser])
    accept(submit(earlier, organisation_name="Żydowskie Stowarzyszenie Czulent"), organiser)
    move(earlier, event.starts_at - timedelta(days=60))
    figures = report.event_report(event).figures
    assert (figures.organisations_new, figures.organisations_returning) == (2, 0)

    # Zustricz was present at an earlier event: returning.
    earlier_still = EventFactory(organisers=[organiser])
    check_in(accept(submit(earlier_still, organisation_name="Fundacja Zustricz"), organiser), actor=organiser)
    move(earlier_still, event.starts_at - timedelta(days=120))
    figures = report.event_report(event).figures
    assert (figures.organisations_new, figures.organisations_returning) == (1, 1)

    # Presence at a later event does not make anyone returning to this one.
    later = EventFactory(organisers=[organiser])
    check_in(accept(submit(later, organisation_name="Żydowskie Stowarzyszenie Czulent"), organiser), actor=organiser)
    move(later, event.starts_at + timedelta(days=30))
    figures = report.event_report(event).figures
    assert (figures.organisations_new, figures.organisations_returning) == (1, 1)


def test_an_event_that_has_not_ended_is_marked(held_event):
    event = held_event["event"]
    assert report.event_report(event, now=event.starts_at).ended is False
    assert report.event_report(event, now=event.ends_at + timedelta(minutes=1)).ended is True


def test_an_empty_event_has_no_no_show_rate(event):
    figures = report.event_report(event).figures
    assert (figures.registrations, figures.admitted, figures.present, figures.no_show_percent) == (0, 0, 0, None)
    assert figures.by_type == figures.by_community == figures.languages == []


def test_series_covers_the_started_events_and_this_one(held_event, organiser, outsider):
    event = held_event["event"]
    now = event.starts_at + timedelta(hours=1)
    earlier = EventFactory(organisers=[organiser])
    check_in(accept(submit(earlier, organisation_name="Fundacja Zustricz"), organiser), actor=organiser)
    accept(submit(earlier, organisation_name="Nowa Fundacja", organisation_type="other"), organiser)
    move(earlier, event.starts_at - timedelta(days=60))
    EventFactory(organisers=[organiser], starts_at=event.starts_at + timedelta(days=30))  # not started: left out

    from civicmeet.events.permissions import events_for_organiser

    events = report.series_events(events_for_organiser(organiser), event, now=now)
    assert list(events) == [earlier, event]  # the outsider's event is not among them
    series = report.series_report(events)
    assert [(row.event, row.registrations, row.admitted, row.present, row.no_shows) for row in series.events] == [
        (earlier, 2, 2, 1, 1),
        (event, 6, 4, 3, 1),
    ]
    totals = series.figures
    assert (totals.registrations, totals.admitted, totals.present) == (8, 6, 4)
    # Zustricz came to both events: one organisation in the total, new to the series.
    assert totals.organisations_present == 2
    assert (totals.organisations_new, totals.organisations_returning) == (2, 0)


def test_series_of_no_events_is_empty():
    series = report.series_report([])
    assert series.events == [] and series.figures.registrations == 0


def move(event, starts_at):
    """Put an event at another time once its people are in (the registration window has passed by
    then; a plain update is how a test gets there without travelling in time)."""
    Event.objects.filter(pk=event.pk).update(starts_at=starts_at, ends_at=starts_at + timedelta(hours=6))
    event.refresh_from_db()
    return event


def _fill(event, organiser, count):
    for n in range(count):
        registration = submit(
            event,
            organisation_name=f"Organizacja {n % 7}",
            organisation_type=("migrant", "national_minority", "other")[n % 3],
            language=("pl", "uk", "en")[n % 3],
            interpreting_needs="українська" if n % 4 == 0 else "",
        )
        if n % 2 == 0:
            accept(registration, organiser)
            if n % 4 == 0:
                check_in(registration, actor=organiser)
        elif n % 5 == 0:
            registration_cancel(registration=registration, actor_kind=ActorKind.PARTICIPANT)
    for organisation in Organisation.objects.filter(name__startswith="Organizacja"):
        organisation.communities.add(*Community.objects.all())


@pytest.mark.parametrize("count", [1, 50])
def test_event_figures_take_five_queries_whatever_the_number(
    event, organiser, communities, count, django_assert_num_queries
):
    _fill(event, organiser, count)
    with django_assert_num_queries(5):
        figures = report.event_report(event).figures
    assert figures.registrations == count


@pytest.mark.parametrize("count", [1, 50])
def test_series_figures_take_a_constant_number_of_queries(
    event, organiser, communities, count, django_assert_num_queries
):
    _fill(event, organiser, count)
    other = EventFactory(organisers=[organiser])
    _fill(other, organiser, count)
    move(other, timezone.now() - timedelta(days=30))
    events = report.series_events(report.Event.objects.filter(pk__in=[event.pk, other.pk]), event)
    with django_assert_num_queries(7):  # the events, one per-event count, the five figures
        series = report.series_report(events)
    assert series.figures.registrations == 2 * count
