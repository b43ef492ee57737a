"""The accepted participant's calendar file: its times carry a zone that the file itself defines."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from civicmeet.events.tests.factories import EventFactory
from civicmeet.registrations.calendar import event_ics

from .factories import submit


def _event_in(zone: str, month: int, organiser):
    year = timezone.now().year + 1
    starts_at = datetime(year, month, 15, 10, 0, tzinfo=ZoneInfo(zone))
    return EventFactory(
        organisers=[organiser],
        timezone=zone,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=6),
    )


def _parsed(event) -> Calendar:
    return Calendar.from_ical(event_ics(submit(event, language="en")))


def _offsets(vtimezone, kind: str) -> set[str]:
    return {part["TZOFFSETTO"].to_ical() for part in vtimezone.walk(kind)}


@pytest.mark.parametrize(
    ("zone", "standard", "daylight"),
    [("Europe/Warsaw", "+0100", "+0200"), ("America/New_York", "-0500", "-0400")],
)
@pytest.mark.parametrize("month", [1, 7])
def test_ics_defines_the_zone_its_times_refer_to(organiser, zone, standard, daylight, month):
    event = _event_in(zone, month, organiser)
    calendar = _parsed(event)
    (entry,) = calendar.walk("VEVENT")
    assert entry["DTSTART"].params["TZID"] == zone
    assert entry["DTEND"].params["TZID"] == zone
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == zone
    assert _offsets(vtimezone, "STANDARD") == {standard}
    assert _offsets(vtimezone, "DAYLIGHT") == {daylight}
    assert not calendar.get_missing_tzids()


@pytest.mark.parametrize("zone", ["Europe/Warsaw", "America/New_York", "Asia/Kolkata"])
@pytest.mark.parametrize("month", [1, 7])
def test_ics_times_read_with_its_own_vtimezone_are_the_events(organiser, zone, month):
    """A client that knows no zone names, only the file, lands on the same instant as the event."""
    event = _event_in(zone, month, organiser)
    calendar = _parsed(event)
    (vtimezone,) = calendar.walk("VTIMEZONE")
    own_zone = vtimezone.to_tz()
    (entry,) = calendar.walk("VEVENT")
    wall_start = entry.decoded("DTSTART").replace(tzinfo=None)
    wall_end = entry.decoded("DTEND").replace(tzinfo=None)
    assert wall_start.replace(tzinfo=own_zone) == event.starts_at
    assert wall_end.replace(tzinfo=own_zone) == event.ends_at


def test_ics_in_utc_needs_no_vtimezone(organiser):
    event = _event_in("UTC", 7, organiser)
    content = event_ics(submit(event, language="en"))
    calendar = Calendar.from_ical(content)
    assert calendar.walk("VTIMEZONE") == []
    assert "TZID" not in content
    (entry,) = calendar.walk("VEVENT")
    assert entry.decoded("DTSTART") == event.starts_at
