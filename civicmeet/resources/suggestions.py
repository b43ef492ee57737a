"""Matching against the database: the SQL prefilter around matching.py, the live suggestions of one
organisation, the nightly run over the whole directory (Suggestion rows), and dismissing one.

Only current items (active, not past their "show until" day) of organisations in the directory
(published) take part, and a reader is suggested only what they may see (visible_filter).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civicmeet.core.errors import PermissionDeniedError
from civicmeet.organisations.models import Organisation, OrganisationStatus
from civicmeet.organisations.permissions import may_edit_organisation, visible_filter

from . import matching
from .models import Direction, Resource, Suggestion

ITEM_FIELDS = (
    "id",
    "organisation_id",
    "organisation__name",
    "direction",
    "category",
    "quantity",
    "available_from",
    "available_until",
    "weekdays",
    "any_time",
    "languages",
    "city",
    "region",
    "online",
)


def current_filter(today: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}active": True}) & (
        Q(**{f"{prefix}active_until__isnull": True}) | Q(**{f"{prefix}active_until__gte": today})
    )


def matchable(today: date) -> QuerySet[Resource]:
    """Resources that take part in matching: current, of organisations in the directory."""
    return Resource.objects.filter(current_filter(today), organisation__status=OrganisationStatus.PUBLISHED)


def as_items(rows: Iterable[dict]) -> list[matching.Item]:
    return [
        matching.Item(
            id=row["id"],
            organisation_id=row["organisation_id"],
            organisation_name=row["organisation__name"],
            direction=row["direction"],
            category=row["category"],
            quantity=row["quantity"],
            available_from=row["available_from"],
            available_until=row["available_until"],
            weekdays=frozenset(row["weekdays"] or ()),
            any_time=row["any_time"],
            languages=frozenset(row["languages"] or ()),
            city=row["city"],
            region=row["region"],
            online=row["online"],
        )
        for row in rows
    ]


def _candidate_filter(item: matching.Item) -> Q:
    """The SQL side of one item's candidates: the other direction, the same category, and (for a
    category bound to a place) a place that can meet it — so Python scores dozens, not thousands."""
    other = Direction.NEED if item.direction == Direction.OFFER else Direction.OFFER
    q = Q(category=item.category, direction=other)
    if item.category in matching.AREA_FREE_CATEGORIES and item.online:
        return q
    if item.region == matching.NATIONWIDE:
        return q
    area = Q(region=matching.NATIONWIDE)
    if item.region:
        area |= Q(region=item.region)
    if item.city:
        area |= Q(city__iexact=item.city)
    if item.category in matching.AREA_FREE_CATEGORIES:
        area |= Q(online=True)
    return q & area


@dataclass
class SuggestionView:
    """A fit as the reader sees it: their own item, the other side's, and the reasons."""

    fit: matching.Fit
    mine: Resource
    theirs: Resource

    @property
    def offer(self) -> Resource:
        return self.mine if self.mine.direction == Direction.OFFER else self.theirs

    @property
    def need(self) -> Resource:
        return self.mine if self.mine.direction == Direction.NEED else self.theirs


def fits_for_organisation(
    *, organisation: Organisation | int, user, today: date | None = None, include_dismissed: bool = False
) -> list[matching.Fit]:
    """The fits of one organisation's current offers and needs, best first (two or three queries)."""
    today = today or timezone.localdate()
    pk = organisation.pk if isinstance(organisation, Organisation) else organisation
    own = as_items(matchable(today).filter(organisation_id=pk).values(*ITEM_FIELDS))
    if not own:
        return []
    candidates_q = Q()
    for item in own:
        candidates_q |= _candidate_filter(item)
    candidates = as_items(
        matchable(today)
        .filter(candidates_q)
        .exclude(organisation_id=pk)
        .filter(visible_filter(user))
        .values(*ITEM_FIELDS)
    )
    fits = matching.rank_for(own, candidates, today=today)
    if include_dismissed or not fits:
        return fits
    own_ids = {item.id for item in own}
    dismissed = set(
        Suggestion.objects.filter(
            Q(offer_id__in=own_ids, dismissed_by_offerer=True) | Q(need_id__in=own_ids, dismissed_by_needer=True)
        ).values_list("offer_id", "need_id")
    )
    return [f for f in fits if (f.offer_id, f.need_id) not in dismissed]


def suggestions_for(
    *, organisation: Organisation, user, today: date | None = None, limit: int = 50
) -> list[SuggestionView]:
    """What the 'Suggested for you' page shows: the fits with both items loaded (constant queries)."""
    fits = fits_for_organisation(organisation=organisation, user=user, today=today)[:limit]
    ids = {f.offer_id for f in fits} | {f.need_id for f in fits}
    rows = Resource.objects.select_related("organisation").in_bulk(ids)
    views = []
    for f in fits:
        offer, need = rows[f.offer_id], rows[f.need_id]
        mine, theirs = (offer, need) if offer.organisation_id == organisation.pk else (need, offer)
        views.append(SuggestionView(fit=f, mine=mine, theirs=theirs))
    return views


def suggestions_compute_all(*, today: date | None = None, per_need: int = 5) -> dict[str, int]:
    """The nightly run: every fit of the directory stored as a Suggestion row, so both sides see it.

    A pair that still fits keeps its dismissals; one that no longer fits is removed. Suggestions
    are what everybody of the network may see (public and members' items): private items are
    matched live for their own organisation only."""
    today = today or timezone.localdate()
    rows = matchable(today).exclude(visibility="private").exclude(organisation__visibility="private")
    fits = matching.match_all(as_items(rows.values(*ITEM_FIELDS)), today=today, per_need=per_need)
    now = timezone.now()
    with transaction.atomic():
        existing = {(s.offer_id, s.need_id): s for s in Suggestion.objects.all().only("id", "offer_id", "need_id")}
        keep: set[tuple[int, int]] = set()
        new, changed = [], []
        for f in fits:
            key = (f.offer_id, f.need_id)
            keep.add(key)
            row = existing.get(key)
            if row is None:
                new.append(
                    Suggestion(
                        offer_id=f.offer_id, need_id=f.need_id, score=f.score, reasons=f.reasons, computed_at=now
                    )
                )
            else:
                row.score, row.reasons, row.computed_at = f.score, f.reasons, now
                changed.append(row)
        gone = [row.pk for key, row in existing.items() if key not in keep]
        Suggestion.objects.bulk_create(new, batch_size=1000)
        Suggestion.objects.bulk_update(changed, ["score", "reasons", "computed_at"], batch_size=1000)
        for start in range(0, len(gone), 1000):
            Suggestion.objects.filter(pk__in=gone[start : start + 1000]).delete()
    return {"created": len(new), "updated": len(changed), "removed": len(gone)}


def suggestion_dismiss(*, user, offer: Resource, need: Resource, by: Organisation) -> Suggestion:
    """'Not for us': the organisation `by` (the offer's or the need's) stops seeing this pair."""
    if not may_edit_organisation(user, by) or by.pk not in (offer.organisation_id, need.organisation_id):
        raise PermissionDeniedError(_("Only the organisation's approved representatives may do this."))
    found = matching.fit(*as_items(Resource.objects.filter(pk__in=[offer.pk, need.pk]).values(*ITEM_FIELDS)))
    with transaction.atomic():
        suggestion, _created = Suggestion.objects.select_for_update().get_or_create(
            offer=offer,
            need=need,
            defaults={
                "score": found.score if found else 0.0,
                "reasons": found.reasons if found else {},
                "computed_at": timezone.now(),
            },
        )
        if by.pk == offer.organisation_id:
            suggestion.dismissed_by_offerer = True
        else:
            suggestion.dismissed_by_needer = True
        suggestion.save(update_fields=["dismissed_by_offerer", "dismissed_by_needer"])
    return suggestion
