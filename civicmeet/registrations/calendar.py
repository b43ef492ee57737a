"""iCalendar (.ics) files for accepted participants."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .personal_link import personal_url


def event_ics(registration) -> str:
    """The event as one VEVENT in the event's own zone, with that zone's VTIMEZONE.

    DTSTART and DTEND carry `TZID=<the event's zone>`; without a VTIMEZONE of that name strict
    clients (RFC 5545, 3.2.19) have to guess the offset, and some fall back to UTC or the phone's zone.
    The VTIMEZONE is built from zoneinfo and covers the event's years, so it holds both the standard
    and the summer offsets of a zone that has them and stays a few lines long.
    """
    event = registration.event
    language = registration.language
    starts_at, ends_at = event.local(event.starts_at), event.local(event.ends_at)
    calendar = Calendar()
    calendar.add("prodid", "-//civicmeet//civicmeet//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"{event.slug}-{registration.pk}@civicmeet")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", starts_at)
    entry.add("dtend", ends_at)
    entry.add("summary", event.display_title(language))
    venue = event.text("venue", language)
    if venue:
        entry.add("location", venue)
    entry.add("url", personal_url(registration))
    entry.add("description", event.text("description", language)[:2000])
    calendar.add_component(entry)
    # UTC needs no VTIMEZONE (icalendar writes its times with a Z); any other zone gets one.
    calendar.add_missing_timezones(first_date=date(starts_at.year, 1, 1), last_date=date(ends_at.year + 1, 1, 1))
    return calendar.to_ical().decode()
