"""Template helpers used everywhere."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import translate_url

from civicmeet.core.i18n import localize

register = template.Library()


@register.filter
def localized(value, fallback: str | None = None) -> str:
    """Pick the active language's text from a multilingual mapping: {{ event.title|localized:event.fallback_language }}."""
    return localize(value, None, fallback)


@register.filter
def in_tz(moment, tz_name: str):
    """Show an aware datetime in the given time zone (the event's): {{ event.starts_at|in_tz:event.timezone }}."""
    import zoneinfo

    from django.templatetags.tz import do_timezone

    if not moment:
        return moment
    # Django's own `timezone` filter: its result keeps `date` from converting it back to the active
    # zone (a plain datetime cannot carry that flag).
    return do_timezone(moment, zoneinfo.ZoneInfo(tz_name))


@register.simple_tag
def language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


@register.simple_tag(takes_context=True)
def language_url(context, code: str) -> str:
    """This page's address in another language: '/uk/e/x/?a=1' → '/pl/e/x/?a=1' (the language
    switcher's links). A path Django cannot resolve (an error page) keeps its query and only
    swaps the language prefix; without a request the language's home page."""
    request = context.get("request")
    if request is None:
        return f"/{code}/"
    path = request.get_full_path()
    translated = translate_url(path, code)
    if translated != path:
        return translated
    return f"/{code}{without_language_prefix(path)}"


@register.filter
def without_language_prefix(path: str) -> str:
    """'/en/e/x/?a=1' → '/e/x/?a=1'. The language switcher sends this as `next`, so that the
    locale middleware redirects to the same page under the newly chosen language (Django's
    set_language can only translate a prefixed URL whose prefix is the request's language)."""
    for code in settings.LANGUAGE_CODES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path
