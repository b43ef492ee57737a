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
from civicmeet.search.folding import fold

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


def name_key(last_name: str, first_name: str, pk: int) -> tuple[str, str, int]:
    """The order of names on lists and badges: by surname, then first name, without regard to case
    or diacritics ("Łucja" among the L's, "Żółkiewska" among the Z's), the same on SQLite and
    PostgreSQL whatever their collation; Latin, then Cyrillic, then Hebrew."""
    return (fold(last_name), fold(first_name), pk)


def present_checkins(event: Event) -> list[CheckIn]:
    """Everyone checked in at the event, by surname (name_key), with their organisation: one query."""
    checkins = (
        CheckIn.objects.filter(event=event, registration__anonymised_at__isnull=True)
        .select_related("registration__organisation")
        .order_by()
    )
    return sorted(
        checkins, key=lambda c: name_key(c.registration.last_name, c.registration.first_name, c.registration_id)
    )


def badge_registrations(event: Event) -> QuerySet[Registration]:
    """Who gets a badge: accepted participants and guests, with their organisation (unordered:
    badge_ids gives the order)."""
    return (
        Registration.objects.filter(event=event, state=State.ACCEPTED, anonymised_at__isnull=True)
        .select_related("organisation")
        .order_by()
    )


def badge_ids(event: Event) -> list[int]:
    """The ids of badge_registrations in name_key order (one small query)."""
    rows = badge_registrations(event).values_list("last_name", "first_name", "id")
    return [pk for _last, _first, pk in sorted(rows, key=lambda row: name_key(*row))]


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
