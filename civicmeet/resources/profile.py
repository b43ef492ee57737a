"""What the resources app adds to an organisation's profile page and to its JSON-LD.

Both run two queries whatever the organisation holds (its activities, its resources), and show
only what the reader may see."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from civicmeet.organisations.permissions import visible_filter

from .models import Activity, ActivityTiming, Direction, Resource
from .suggestions import current_filter


def _visible(queryset, organisation, user):
    return queryset.filter(organisation=organisation).filter(visible_filter(user))


def profile_section_context(organisation, user) -> dict[str, Any] | None:
    today = timezone.localdate()
    activities = [
        activity
        for activity in _visible(Activity.objects.all(), organisation, user).order_by("starts_on", "id")
        if activity.timing(today) != ActivityTiming.PAST
    ]
    resources = list(
        _visible(Resource.objects.filter(current_filter(today)), organisation, user).order_by("category", "id")
    )
    if not activities and not resources:
        return None
    return {
        "organisation": organisation,
        "current": [a for a in activities if a.timing(today) == ActivityTiming.CURRENT],
        "planned": [a for a in activities if a.timing(today) == ActivityTiming.PLANNED],
        "offers": [r for r in resources if r.direction == Direction.OFFER],
        "needs": [r for r in resources if r.direction == Direction.NEED],
    }


def _offer_jsonld(resource: Resource) -> dict[str, Any]:
    item: dict[str, Any] = {
        "@type": "Offer" if resource.direction == Direction.OFFER else "Demand",
        "name": resource.title,
        "category": resource.get_category_display(),
    }
    if resource.description:
        item["description"] = resource.description
    if resource.city or resource.region:
        item["areaServed"] = resource.city or resource.get_region_display()
    return item


def jsonld_contribution(organisation, user) -> dict[str, Any] | None:
    """schema.org `makesOffer` / `seeks` from the current public offers and needs."""
    today = timezone.localdate()
    resources = list(
        Resource.objects.filter(current_filter(today), organisation=organisation, visibility="public").order_by("id")
    )
    if not resources:
        return None
    return {
        "makesOffer": [_offer_jsonld(r) for r in resources if r.direction == Direction.OFFER],
        "seeks": [_offer_jsonld(r) for r in resources if r.direction == Direction.NEED],
    }
