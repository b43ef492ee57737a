"""What every document shows of its event, and the people it lists (reads across relations)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import formats, timezone, translation
from django.utils.text import get_text_list
from django.utils.translation import pgettext

from civicmeet.events.models import Event
from civicmeet.organisations.languages import language_name
from civicmeet.registrations.models import Registration, State

from ..models import CheckIn


def text_direction(text: str) -> str:
    """ "rtl" when the first letter with a direction is right-to-left (Hebrew, Arabic), else "ltr".

    The documents write it into `dir` themselves: WeasyPrint does not resolve `dir="auto"`, and a
    Hebrew name must start at the right edge of its line.
    """
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


@dataclass(frozen=True)
class EventFacts:
    title: str
    date: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    organisers: str


def event_facts(event: Event, language: str) -> EventFacts:
    """Title, day and hours (in the event's time zone), place and the co-organisers, in `language`."""
    with translation.override(language), timezone.override(event.tz):
        starts, ends = event.local(event.starts_at), event.local(event.ends_at)
        if starts.date() == ends.date():
            date = "{}, {}–{}".format(
                formats.date_format(starts, "DATE_FORMAT"),
                formats.time_format(starts, "TIME_FORMAT"),
                formats.time_format(ends, "TIME_FORMAT"),
            )
        else:
            date = "{} – {}".format(
                formats.date_format(starts, "DATETIME_FORMAT"), formats.date_format(ends, "DATETIME_FORMAT")
            )
        names = [organisation.name for organisation in event.co_organisers.all()]
        conjunction = pgettext("joins the last two items of a list: a, b and c", "and")
        return EventFacts(
            title=event.display_title(language),
            date=date,
            starts_at=starts,
            ends_at=ends,
            venue=event.text("venue", language),
            organisers=str(get_text_list(names, conjunction)) if names else "",
        )


def present_checkins(event: Event) -> QuerySet[CheckIn]:
    """Everyone checked in at the event, by surname, with their organisation: one query."""
    return (
        CheckIn.objects.filter(event=event, registration__anonymised_at__isnull=True)
        .select_related("registration__organisation")
        .order_by("registration__last_name", "registration__first_name", "registration__id")
    )


def badge_registrations(event: Event) -> QuerySet[Registration]:
    """Who gets a badge: accepted participants and guests, by surname, with their organisation."""
    return (
        Registration.objects.filter(event=event, state=State.ACCEPTED, anonymised_at__isnull=True)
        .select_related("organisation")
        .order_by("last_name", "first_name", "id")
    )


def spoken_languages(registration: Registration) -> list[str]:
    """The languages to speak to the person in, each by its own name: the language they chose for
    the meeting first, then their organisation's working languages."""
    codes = [registration.language]
    organisation = registration.organisation
    if organisation is not None:
        codes += [code for code in organisation.working_languages or [] if code not in codes]
    return [language_name(code, code) for code in codes if code][:4]


def document_filename(event: Event, name: str, extension: str) -> str:
    """`<slug>-<name>.<extension>`: ASCII, as the slug is."""
    return f"{event.slug}-{name}.{extension}"
