"""How offers, needs and activities read on the pages: place, availability, dates, languages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from civicmeet.organisations.languages import language_names

from ..reasons import availability_phrase, dates_phrase, format_day, place_phrase

register = template.Library()


@register.simple_tag
def resource_place(resource) -> str:
    return place_phrase(city=resource.city, region=resource.region, online=resource.online) or "—"


@register.simple_tag
def resource_availability(resource) -> str:
    return availability_phrase(
        any_time=resource.any_time,
        weekdays=resource.weekdays,
        start=resource.available_from,
        end=resource.available_until,
    )


@register.simple_tag
def activity_dates(activity) -> str:
    if not activity.starts_on and not activity.ends_on:
        return _("ongoing")
    if activity.starts_on and not activity.ends_on:
        return _("from %(start)s, ongoing") % {"start": format_day(activity.starts_on)}
    return dates_phrase(activity.starts_on, activity.ends_on)


@register.filter
def language_list(codes) -> str:
    return ", ".join(language_names(codes or []))


@register.filter
def direction_tone(direction: str) -> str:
    return "success" if direction == "offer" else "warning"
