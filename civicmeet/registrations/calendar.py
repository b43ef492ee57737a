"""iCalendar (.ics) files for accepted participants."""

from __future__ import annotations

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .personal_link import personal_url


def event_ics(registration) -> str:
    event = registration.event
    language = registration.language
    calendar = Calendar()
    calendar.add("prodid", "-//civicmeet//civicmeet//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"{event.slug}-{registration.pk}@civicmeet")
    entry.add("dtstamp", timezone.now())
    entry.add("dtstart", event.local(event.starts_at))
    entry.add("dtend", event.local(event.ends_at))
    entry.add("summary", event.display_title(language))
    venue = event.text("venue", language)
    if venue:
        entry.add("location", venue)
    entry.add("url", personal_url(registration))
    entry.add("description", event.text("description", language)[:2000])
    calendar.add_component(entry)
    return calendar.to_ical().decode()
