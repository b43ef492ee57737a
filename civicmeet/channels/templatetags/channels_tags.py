"""Template helpers of the channels' pages."""

from __future__ import annotations

from django import template

register = template.Library()

ITEM_TONES = {
    "draft": "neutral",
    "submitted": "info",
    "published": "success",
    "archived": "neutral",
    # How an organisation's visit went.
    "helpful": "success",
    "partly": "warning",
    "not_helpful": "neutral",
}


@register.filter
def item_tone(status: str) -> str:
    """A channel text's status as a badge tone (draft → neutral, submitted → info, …)."""
    return ITEM_TONES.get(str(status), "neutral")
