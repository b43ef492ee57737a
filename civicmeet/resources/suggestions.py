"""Matching against the database: the SQL prefilter around matching.py, the live suggestions of one
organisation, the nightly run over the whole directory (Suggestion rows), and dismissing one.

Only current items (active, not past their "show until" day) of organisations in the directory
(published) take part, and a reader is suggested only what they may see (visible_filter).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import connections, transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
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
# The same, as matching reads them in bulk: the two JSON lists as their text (decoded once per
# distinct text, see _decoded), in this order (entries_from_rows).
ENTRY_FIELDS = tuple(
    {"weekdays": "weekdays_text", "languages": "languages_text"}.get(name, name) for name in ITEM_FIELDS
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


def entry_rows(queryset: QuerySet[Resource], today: date) -> QuerySet[Resource, tuple]:
    """The rows matching reads (ENTRY_FIELDS, as tuples, no model instances) of `queryset`'s items
    that can still fit something: an item whose dates are all over fits nothing unless it says
    "any time" (matching._score), so it is left in the database."""
    return (
        queryset.exclude(any_time=False, available_until__lt=today)
        .annotate(weekdays_text=Cast("weekdays", TextField()), languages_text=Cast("languages", TextField()))
        .values_list(*ENTRY_FIELDS)
        .order_by()  # any order will do (matching ranks); sorting would visit the table for updated_at
    )


_decoded_weekdays: dict[str, int] = {}
_decoded_languages: dict[str, tuple[int, tuple[str, ...]]] = {}
_DECODED_MAX = 4096  # distinct texts remembered (a handful in practice: the same few days and languages)


def _weekdays(text: str | None) -> int:
    found = _decoded_weekdays.get(text or "")
    if found is None:
        found = matching.weekday_mask(json.loads(text) if text else ())
        if len(_decoded_weekdays) < _DECODED_MAX:
            _decoded_weekdays[text or ""] = found
    return found


def _languages(text: str | None) -> tuple[int, tuple[str, ...]]:
    found = _decoded_languages.get(text or "")
    if found is None:
        codes = tuple(json.loads(text)) if text else ()
        found = (matching.language_mask(codes), codes)
        if len(_decoded_languages) < _DECODED_MAX:
            _decoded_languages[text or ""] = found
    return found


_decoded_days: dict[str, date] = {}


def _day(value: date | str | None) -> date | None:
    """A date column as the database driver gives it (SQLite: ISO text, decoded once per text)."""
    if value is None or isinstance(value, date):
        return value
    found = _decoded_days.get(value)
    if found is None:
        found = date.fromisoformat(value)
        if len(_decoded_days) < _DECODED_MAX:
            _decoded_days[value] = found
    return found


def fetch_rows(queryset: QuerySet[Resource, tuple]) -> list[tuple]:
    """entry_rows' tuples straight from the driver: Django's per-value converters (dates, booleans
    on SQLite) cost more than the query itself for a thousand rows; entries_from_rows decodes."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def entries_from_rows(rows: Iterable[tuple]) -> list[matching.Entry]:
    """matching.Entry objects straight from entry_rows' tuples (as Django or the driver gives them)."""
    entries = []
    entry = matching.Entry
    for pk, org, name, direction, category, quantity, start, end, days, any_time, langs, city, region, online in rows:
        languages, codes = _languages(langs)
        entries.append(
            entry(
                id=pk,
                organisation_id=org,
                organisation_name=name,
                is_offer=direction == Direction.OFFER,
                category=category,
                quantity=quantity,
                available_from=_day(start),
                available_until=_day(end),
                weekdays=_weekdays(days),
                any_time=bool(any_time),
                languages=languages,
                language_codes=codes,
                city=city,
                region=region,
                online=bool(online),
            )
        )
    return entries


def _candidate_filter(item: matching.Entry) -> Q:
    """The SQL side of one item's candidates: the other direction, the same category, a quantity
    that can cover (or be covered), and (for a category bound to a place) a place that can meet
    it — so Python scores dozens, not thousands. Never narrower than matching._score."""
    if item.is_offer:
        q = Q(category=item.category, direction=Direction.NEED)
        if item.quantity is not None:
            q &= Q(quantity__isnull=True) | Q(quantity__lte=item.quantity)
    else:
        q = Q(category=item.category, direction=Direction.OFFER)
        if item.quantity is not None:
            q &= Q(quantity__isnull=True) | Q(quantity__gte=item.quantity)
    if item.free and item.online:
        return q
    if item.region == matching.NATIONWIDE:
        return q
    area = Q(region=matching.NATIONWIDE)
    if item.region:
        area |= Q(region=item.region)
    if item.place:
        # The stored key of the same function Python compares (matching.place_key): "KRAKÓW" and
        # "Krakow" meet in SQL as they do in _area (iexact folds only ASCII on SQLite).
        area |= Q(city_key=item.place)
    if item.free:
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
    *,
    organisation: Organisation | int,
    user,
    today: date | None = None,
    include_dismissed: bool = False,
    limit: int | None = None,
) -> list[matching.Fit]:
    """The fits of one organisation's current offers and needs, best first, the `limit` best only
    (a constant number of queries: its items, the candidates, the pairs it said "not for us" to)."""
    today = today or timezone.localdate()
    pk = organisation.pk if isinstance(organisation, Organisation) else organisation
    own = entries_from_rows(fetch_rows(entry_rows(matchable(today).filter(organisation_id=pk), today)))
    if not own:
        return []
    candidates_q = Q()
    for item in own:
        candidates_q |= _candidate_filter(item)
    candidates = entries_from_rows(
        fetch_rows(
            entry_rows(
                matchable(today).filter(candidates_q).exclude(organisation_id=pk).filter(visible_filter(user)), today
            )
        )
    )
    if not candidates:
        return []
    skip: set[tuple[int, int]] = set()
    if not include_dismissed:
        own_ids = [item.id for item in own]
        skip = set(
            Suggestion.objects.filter(
                Q(offer_id__in=own_ids, dismissed_by_offerer=True) | Q(need_id__in=own_ids, dismissed_by_needer=True)
            ).values_list("offer_id", "need_id")
        )
    return matching.rank_for(own, candidates, today=today, limit=limit, skip=skip)


def suggestions_for(
    *, organisation: Organisation, user, today: date | None = None, limit: int = 50
) -> list[SuggestionView]:
    """What the 'Suggested for you' page shows: the fits with both items loaded (constant queries)."""
    fits = fits_for_organisation(organisation=organisation, user=user, today=today, limit=limit)
    ids = {f.offer_id for f in fits} | {f.need_id for f in fits}
    rows = Resource.objects.select_related("organisation").in_bulk(ids) if ids else {}
    views = []
    for f in fits:
        offer, need = rows[f.offer_id], rows[f.need_id]
        mine, theirs = (offer, need) if offer.organisation_id == organisation.pk else (need, offer)
        views.append(SuggestionView(fit=f, mine=mine, theirs=theirs))
    return views


BATCH = 1000


def suggestions_compute_all(*, today: date | None = None, per_need: int = 5) -> dict[str, int]:
    """The nightly run: each need's `per_need` best offers over the whole directory stored as
    Suggestion rows, so both sides see them.

    A pair that still fits keeps its dismissals — also a dismissed pair that is no longer among its
    need's best, so that "not for us" is not forgotten —; a pair that no longer fits is removed.
    Suggestions are what everybody of the network may see (public and members' items): private
    items are matched live for their own organisation only.

    One query reads the directory (tuples, no model instances); the rows are written by upsert on
    (offer, need) in batches of BATCH (_upsert), and the ones no longer kept deleted by id, in one
    transaction."""
    today = today or timezone.localdate()
    rows = matchable(today).exclude(visibility="private").exclude(organisation__visibility="private")
    entries = entries_from_rows(fetch_rows(entry_rows(rows, today)))
    fits = matching.match_all(entries, today=today, per_need=per_need)
    now = timezone.now()
    with transaction.atomic():
        existing = {
            (offer_id, need_id): (pk, by_offerer or by_needer)
            for pk, offer_id, need_id, by_offerer, by_needer in Suggestion.objects.values_list(
                "id", "offer_id", "need_id", "dismissed_by_offerer", "dismissed_by_needer"
            )
        }
        kept = {(f.offer_id, f.need_id): f for f in fits}
        # "Not for us" outlives the pair dropping out of the best few, as long as the pair fits.
        by_id = {entry.id: entry for entry in entries}
        for (offer_id, need_id), (_pk, dismissed) in existing.items():
            if dismissed and (offer_id, need_id) not in kept and offer_id in by_id and need_id in by_id:
                found = matching.fit(by_id[offer_id], by_id[need_id], today=today)
                if found is not None:
                    kept[(offer_id, need_id)] = found
        _upsert(kept.values(), now)
        gone = [pk for key, (pk, _dismissed) in existing.items() if key not in kept]
        for start in range(0, len(gone), BATCH):
            Suggestion.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    created = sum(1 for key in kept if key not in existing)
    return {"created": created, "updated": len(kept) - created, "removed": len(gone)}


def _upsert(fits: Iterable[matching.Fit], now) -> None:
    """Write the fits as Suggestion rows, inserted or (on the pair) updated — score, reasons and
    computed_at; the dismissals stay —, BATCH rows per statement.

    One multi-row INSERT … ON CONFLICT (offer_id, need_id) DO UPDATE per batch (SQLite and
    PostgreSQL alike), the reasons passed as one JSON parameter each. Not bulk_create: on
    PostgreSQL Django sends its rows as arrays (INSERT … SELECT * FROM UNNEST(…)), and psycopg
    escapes every quote of every JSON text into the array literal with a regular expression — 40 000
    reasons took most of the minute the nightly run took there (docs/network/offers-and-needs.md)."""
    connection = connections[Suggestion.objects.db]
    reasons_field = Suggestion._meta.get_field("reasons")
    computed_at = Suggestion._meta.get_field("computed_at").get_db_prep_save(now, connection)
    table = connection.ops.quote_name(Suggestion._meta.db_table)
    columns = "offer_id, need_id, score, reasons, computed_at, dismissed_by_offerer, dismissed_by_needer"
    rows = [
        (f.offer_id, f.need_id, f.score, reasons_field.get_db_prep_save(f.reasons, connection), computed_at)
        for f in fits
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, FALSE, FALSE) "  # noqa: S608 - no user text
            "ON CONFLICT (offer_id, need_id) DO UPDATE SET "
            "score = excluded.score, reasons = excluded.reasons, computed_at = excluded.computed_at",
            rows,
        )


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
