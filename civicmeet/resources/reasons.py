"""The reasons of a suggestion (matching.Fit.reasons, plain data) as sentences in the reader's language.

Written from the reader's side: to the organisation with the need, "You need: room or space, for 30
people, Kraków, Saturdays" and "Fundacja X offers: room or space, for 40 people, Saturdays, Sundays";
to the one with the offer the other way round. Then what they have in common, one short line each.
Phrases are joined with commas after a colon, so every language keeps its own grammar (no city or
category is declined into a sentence).
"""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicmeet.organisations.languages import language_names
from civicmeet.organisations.models import Region

from .models import Category


def weekday_plural(day: int) -> str:
    """ "Saturdays": a day of the week as a recurring one."""
    return [
        _("Mondays"),
        _("Tuesdays"),
        _("Wednesdays"),
        _("Thursdays"),
        _("Fridays"),
        _("Saturdays"),
        _("Sundays"),
    ][day]


def quantity_phrase(category: str, quantity: int | None) -> str:
    """The quantity in the unit of its category: people for a room, pieces of equipment, hours …"""
    if not quantity:
        return ""
    if category in ("room", "volunteers"):
        return ngettext("for %(count)s person", "for %(count)s people", quantity) % {"count": quantity}
    if category in ("equipment", "materials"):
        return ngettext("%(count)s piece", "%(count)s pieces", quantity) % {"count": quantity}
    if category in ("interpreting", "expertise"):
        return ngettext("%(count)s hour", "%(count)s hours", quantity) % {"count": quantity}
    if category == "transport":
        return ngettext("%(count)s seat", "%(count)s seats", quantity) % {"count": quantity}
    if category == "funding":
        return _("%(count)s PLN") % {"count": quantity}
    return _("quantity: %(count)s") % {"count": quantity}


def format_day(value: str | date | None) -> str:
    if not value:
        return ""
    return date_format(value if isinstance(value, date) else date.fromisoformat(value), "j E Y")


def dates_phrase(start: str | date | None, end: str | date | None) -> str:
    if start and end:
        return _("from %(start)s to %(end)s") % {"start": format_day(start), "end": format_day(end)}
    if start:
        return _("from %(start)s") % {"start": format_day(start)}
    if end:
        return _("until %(end)s") % {"end": format_day(end)}
    return ""


def availability_phrase(*, any_time: bool, weekdays, start, end) -> str:
    """ "Saturdays, Sundays, from 1 June 2027" or "any time"."""
    if any_time or (not weekdays and not start and not end):
        return _("any time")
    parts = [weekday_plural(day) for day in sorted(weekdays or [])]
    dates = dates_phrase(start, end)
    if dates:
        parts.append(dates)
    return ", ".join(parts)


def place_phrase(*, city: str, region: str, online: bool) -> str:
    if online:
        return _("online or anywhere")
    names = [city] if city else []
    if region:
        names.append(str(Region(region).label) if region in Region.values else region)
    return ", ".join(names)


def _side(category: str, side: dict, *, with_category: bool) -> str:
    parts = [str(Category(category).label).lower()] if with_category else []
    parts.append(quantity_phrase(category, side.get("quantity")))
    parts.append(
        place_phrase(city=side.get("city", ""), region=side.get("region", ""), online=bool(side.get("online")))
    )
    parts.append(
        availability_phrase(
            any_time=side.get("any_time", False),
            weekdays=side.get("weekdays"),
            start=side.get("from"),
            end=side.get("until"),
        )
    )
    if side.get("languages"):
        parts.append(", ".join(language_names(side["languages"])))
    return ", ".join(part for part in parts if part)


def reasons_text(reasons: dict, *, reader_organisation_id: int | None) -> dict[str, object]:
    """The reasons as the reader reads them: `mine` and `theirs` (one sentence each) and `shared`
    (short lines of what fits). The reader is the side whose organisation is `reader_organisation_id`
    (the needer when it is neither, e.g. a moderator)."""
    category = reasons["category"]
    offer, need = reasons["offer"], reasons["need"]
    reader_offers = reader_organisation_id == offer.get("organisation_id")
    if reader_offers:
        mine = _("You offer: %(details)s.") % {"details": _side(category, offer, with_category=True)}
        theirs = _("%(organisation)s needs: %(details)s.") % {
            "organisation": need.get("organisation", ""),
            "details": _side(category, need, with_category=True),
        }
    else:
        mine = _("You need: %(details)s.") % {"details": _side(category, need, with_category=True)}
        theirs = _("%(organisation)s offers: %(details)s.") % {
            "organisation": offer.get("organisation", ""),
            "details": _side(category, offer, with_category=True),
        }
    shared = []
    if reasons.get("quantity_covers"):
        shared.append(
            _("Enough: %(offered)s offered, %(needed)s needed.")
            % {
                "offered": quantity_phrase(category, offer["quantity"]),
                "needed": quantity_phrase(category, need["quantity"]),
            }
        )
    area = reasons.get("area")
    if area == "city":
        shared.append(_("In the same city: %(city)s.") % {"city": need.get("city") or offer.get("city")})
    elif area == "region":
        shared.append(
            _("In the same region: %(region)s.")
            % {"region": place_phrase(city="", region=need.get("region", ""), online=False)}
        )
    elif area == "nationwide":
        shared.append(_("One of you works in the whole of Poland."))
    elif area == "online":
        shared.append(_("It can be done online or anywhere."))
    if reasons.get("shared_weekdays"):
        shared.append(
            _("On the same days: %(days)s.")
            % {"days": ", ".join(weekday_plural(day) for day in reasons["shared_weekdays"])}
        )
    if reasons.get("dates"):
        shared.append(
            _("At the same time: %(dates)s.")
            % {"dates": dates_phrase(reasons["dates"].get("from"), reasons["dates"].get("until"))}
        )
    if reasons.get("shared_languages"):
        shared.append(
            _("In a shared language: %(languages)s.")
            % {"languages": ", ".join(language_names(reasons["shared_languages"]))}
        )
    return {"mine": mine, "theirs": theirs, "shared": shared}
