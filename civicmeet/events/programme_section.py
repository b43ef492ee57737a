"""The events that are part of a programme, on the programme's page (programmes.page_sections:
programmes sits below events and cannot list them itself; registered in EventsConfig.ready())."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from civicmeet.core.i18n import local_text

from .models import Event


def programme_section_context(programme, user) -> dict[str, Any] | None:
    """The programme's published events, coming ones first (soonest first), then the past ones
    (latest first); one query. None when the programme has none."""
    now = timezone.now()
    events = list(Event.objects.filter(programme=programme, is_published=True).order_by("starts_at", "pk"))
    if not events:
        return None
    for event in events:
        event.local_title = local_text(event.title, event.fallback_language)  # type: ignore[attr-defined]
    return {
        "coming": [event for event in events if event.ends_at > now],
        "past": [event for event in events if event.ends_at <= now][::-1],
    }
