"""Template helpers used everywhere."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, translate_url
from django.utils.translation import get_language

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
    where, mark, query = path.partition("?")
    translated = _translated_path(where, code, get_language(), get_script_prefix(), str(get_urlconf()))
    if translated != where:
        return translated + mark + query
    return f"/{code}{without_language_prefix(path)}"


@lru_cache(maxsize=4096)
def _translated_path(path: str, code: str, _active: str | None, _prefix: str, _urlconf: str) -> str:
    # translate_url resolves and reverses the path (a tenth of a search page, three times on every
    # page for the switcher); its answer depends on the path and the active language (which the
    # language prefix must match), not on the query string.
    return translate_url(path, code)


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


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict[str, object]]:
    """The language switcher: each language by its own name ("Polski", "Українська", "English"),
    never translated into the page's language (a Polish page must not offer "angielski"), with
    this page's address in that language and whether it is the current one."""
    current = get_language()
    return [
        {"code": code, "name": name, "url": language_url(context, code), "current": code == current}
        for code, name in settings.LANGUAGES
    ]


# Django message levels → notice tones of the design system (docs/design-system.md).
NOTICE_TONES = {"debug": "info", "info": "info", "success": "success", "warning": "warning", "error": "danger"}


@register.filter
def notice_tone(level_tag: str) -> str:
    """A Django message's level tag as a `.notice-<tone>`: 'error' → 'danger'."""
    return NOTICE_TONES.get(level_tag, "info")


# States shown as a status badge (`components/_status.html`) → the badge's tone.
STATUS_TONES = {
    # Registrations.
    "submitted": "info",
    "accepted": "success",
    "waitlisted": "warning",
    "rejected": "danger",
    "cancelled": "neutral",
    # Events' registration windows.
    "open": "success",
    "not_yet": "info",
    "closed": "neutral",
    # The safety rule's verdicts (as notices: notice-<tone>).
    "meets": "success",
    "does_not_meet": "danger",
    "to_be_checked": "warning",
    # Sign-ups for a project's offer (programmes); waitlisted and cancelled as above.
    "signed_up": "success",
    "interested": "info",
    # Emails in the outbox.
    "queued": "info",
    "sent": "success",
    "failed": "danger",
}


@register.filter
def status_tone(status: str) -> str:
    """A state's badge tone: 'accepted' → 'success'; an unknown state is 'neutral'."""
    return STATUS_TONES.get(str(status), "neutral")


@register.simple_tag
def error_summary(form) -> list[dict[str, str]]:
    """Every error of a form, in the order of its fields, each with the id to jump to: the
    field's input, or the first input of a group (radios, checkboxes, one input per language).
    Errors of the form as a whole come first; they, and those of hidden fields, have no link."""
    if form is None or not form.errors:
        return []
    items: list[dict[str, str]] = [
        {"anchor": "", "label": "", "message": str(error)} for error in form.non_field_errors()
    ]
    for bound in form:
        if not bound.errors:
            continue
        if bound.is_hidden:
            items.extend({"anchor": "", "label": "", "message": str(error)} for error in bound.errors)
            continue
        anchor = bound.auto_id
        if bound.use_fieldset:
            # A group (radios, checkboxes, one input per language): jump to its first input.
            anchor = f"{bound.auto_id}_0"
        label = " ".join(str(bound.label).split())
        for message in bound.errors:
            items.append({"anchor": anchor, "label": label, "message": str(message)})
    return items
