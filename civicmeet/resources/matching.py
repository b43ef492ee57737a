"""Which offers fit which needs, and why: pure functions on plain data (no database, no Django).

An offer fits a need when
- the category is the same and the organisations differ;
- the offer's quantity covers the need's (when both say one: 40 seats cover 30);
- the areas meet: the same city, or the same region (or either says the whole of Poland), or either
  is online/anywhere for a category where that makes sense (interpreting, expertise, funding …;
  not a room, equipment or volunteers, which must be at hand);
- they share a language, when both name languages;
- their availability overlaps: the date ranges intersect (and not only in the past), the weekdays
  intersect, "any time" (or nothing said) fits everything.

`fit(a, b)` takes the two in either order and returns a `Fit` (or None): its `reasons` are plain
JSON data — what each side said and what they share — that `reasons_text` turns into sentences in
the reader's language at the edge (resources.reasons). `rank_for` scores one organisation's items
against candidates; `match_all` pairs the whole directory.

How it is fast (docs/network/offers-and-needs.md, "How matching is fast"): every item is first
compiled once into an `Entry` — languages and weekdays as bitmasks, dates as day numbers, the city
as its comparison key — so that checking a pair (`_score`) is a handful of integer operations. The
whole-directory run buckets the offers by category and by place (city, region, nationwide, online),
so a need meets only the offers whose place can meet it; each need keeps its best offers with a
heap; the reasons (the JSON the page shows) are built only for the pairs that are kept. `fit` is
the same `_score` plus the reasons, so every path applies one rule.
"""

from __future__ import annotations

import heapq
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

OFFER = "offer"
NEED = "need"

# Categories where "online or anywhere" can meet any place (the others must be at hand).
AREA_FREE_CATEGORIES = frozenset({"interpreting", "expertise", "funding", "materials", "transport", "other"})
NATIONWIDE = "nationwide"
ABROAD = "abroad"

# Score weights: the closer the place and the more they share, the higher.
WEIGHTS = {"city": 3.0, "region": 2.0, "nationwide": 1.5, "online": 1.5, "language": 1.0, "weekday": 1.0, "dates": 0.5}
# The best possible score, so that `Fit.score` is a fraction of it (0..1].
MAX_SCORE = WEIGHTS["city"] + WEIGHTS["language"] + WEIGHTS["weekday"] + WEIGHTS["dates"] + 1.0
_LANGUAGE_WEIGHT = WEIGHTS["language"]
_WEEKDAY_WEIGHT = WEIGHTS["weekday"]
_DATES_WEIGHT = WEIGHTS["dates"]
ALL_WEEKDAYS = 0b1111111


@lru_cache(maxsize=8192)
def place_key(city: str) -> str:
    """A city as compared: case, diacritics, spaces and dashes do not matter ("Kraków" = "krakow")."""
    text = unicodedata.normalize("NFKD", (city or "").replace("ł", "l").replace("Ł", "L"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().replace("-", " ").split())


@dataclass(frozen=True)
class Item:
    """An offer or a need as matching sees it."""

    id: int
    organisation_id: int
    direction: str
    category: str
    organisation_name: str = ""
    quantity: int | None = None
    available_from: date | None = None
    available_until: date | None = None
    weekdays: frozenset[int] = field(default_factory=frozenset)
    any_time: bool = False
    languages: frozenset[str] = field(default_factory=frozenset)
    city: str = ""
    region: str = ""
    online: bool = False


@dataclass(frozen=True)
class Fit:
    offer_id: int
    need_id: int
    score: float
    reasons: dict


# -- The compiled form -------------------------------------------------------------------------

_language_bits: dict[str, int] = {}
_language_lock = threading.Lock()


def language_mask(codes: Iterable[str]) -> int:
    """The languages as one integer, a bit per language (the same bit for a code in every call)."""
    mask = 0
    for code in codes:
        bit = _language_bits.get(code)
        if bit is None:
            with _language_lock:
                bit = _language_bits.setdefault(code, 1 << len(_language_bits))
        mask |= bit
    return mask


def weekday_mask(days: Iterable[int]) -> int:
    """The days of the week (0 = Monday) as bits 0..6."""
    mask = 0
    for day in days:
        mask |= 1 << day
    return mask


def weekdays_between(start: int, end: int) -> int:
    """The weekdays (a mask) of the days start..end (day numbers, both inclusive)."""
    length = end - start + 1
    if length >= 7:
        return ALL_WEEKDAYS
    first = (start - 1) % 7  # date.fromordinal(1) is a Monday
    days = ((1 << length) - 1) << first
    return (days | (days >> 7)) & ALL_WEEKDAYS


class Entry:
    """An item compiled for matching: what `_score` compares, worked out once per item."""

    __slots__ = (
        "always",
        "any_time",
        "available_from",
        "available_until",
        "category",
        "city",
        "end",
        "free",
        "id",
        "is_offer",
        "language_codes",
        "languages",
        "located",
        "online",
        "organisation_id",
        "organisation_name",
        "place",
        "quantity",
        "region",
        "start",
        "weekdays",
    )

    def __init__(
        self,
        *,
        id: int,  # noqa: A002 - the item's own name for it
        organisation_id: int,
        is_offer: bool,
        category: str,
        organisation_name: str = "",
        quantity: int | None = None,
        available_from: date | None = None,
        available_until: date | None = None,
        weekdays: int = 0,
        any_time: bool = False,
        languages: int = 0,
        language_codes: Sequence[str] = (),
        city: str = "",
        region: str = "",
        online: bool = False,
    ) -> None:
        self.id = id
        self.organisation_id = organisation_id
        self.is_offer = is_offer
        self.category = category
        self.organisation_name = organisation_name
        self.quantity = quantity
        self.available_from = available_from
        self.available_until = available_until
        self.start = available_from.toordinal() if available_from is not None else None
        self.end = available_until.toordinal() if available_until is not None else None
        self.weekdays = weekdays
        self.any_time = any_time
        # Available any time: said so, or no dates and no days given.
        self.always = any_time or (available_from is None and available_until is None and not weekdays)
        self.languages = languages
        self.language_codes = language_codes
        self.city = city
        self.place = place_key(city)
        self.region = region
        self.online = online
        self.free = category in AREA_FREE_CATEGORIES
        self.located = bool(region or city)

    @classmethod
    def of(cls, item: Item) -> Entry:
        return cls(
            id=item.id,
            organisation_id=item.organisation_id,
            is_offer=item.direction == OFFER,
            category=item.category,
            organisation_name=item.organisation_name,
            quantity=item.quantity,
            available_from=item.available_from,
            available_until=item.available_until,
            weekdays=weekday_mask(item.weekdays),
            any_time=item.any_time,
            languages=language_mask(item.languages),
            language_codes=tuple(item.languages),
            city=item.city,
            region=item.region,
            online=item.online,
        )

    @property
    def direction(self) -> str:
        return OFFER if self.is_offer else NEED

    def describe(self) -> dict:
        """What this side said, as JSON data for the reasons."""
        return {
            "id": self.id,
            "organisation_id": self.organisation_id,
            "organisation": self.organisation_name,
            "quantity": self.quantity,
            "city": self.city,
            "region": self.region,
            "online": self.online,
            "weekdays": [day for day in range(7) if self.weekdays >> day & 1] if not self.any_time else [],
            "from": self.available_from.isoformat() if self.available_from and not self.any_time else None,
            "until": self.available_until.isoformat() if self.available_until and not self.any_time else None,
            "any_time": self.always,
            "languages": sorted(set(self.language_codes)),
        }


def compile_items(items: Iterable[Item | Entry]) -> list[Entry]:
    return [item if isinstance(item, Entry) else Entry.of(item) for item in items]


# -- One pair ------------------------------------------------------------------------------------


def _area(offer: Entry, need: Entry) -> str | None:
    """How the places meet (city, region, nationwide, online), or None when they do not."""
    if offer.place and offer.place == need.place:
        return "city"
    region = offer.region
    if region and region == need.region and region != NATIONWIDE:
        return "region"
    if offer.free and (offer.online or need.online):
        return "online"
    # The whole of Poland meets any place in it ("abroad" is not in it).
    if (
        (region == NATIONWIDE or need.region == NATIONWIDE)
        and offer.located
        and need.located
        and region != ABROAD
        and need.region != ABROAD
    ):
        return "nationwide"
    return None


def _score(offer: Entry, need: Entry, today: int | None) -> tuple[float, str] | None:
    """The score (a fraction of MAX_SCORE) and how the places meet, or None when they do not fit.

    The rule itself: every path (fit, rank_for, match_all) goes through here."""
    if offer.organisation_id == need.organisation_id or offer.category != need.category:
        return None
    offered, needed = offer.quantity, need.quantity
    if offered is not None and needed is not None and offered < needed:
        return None
    shared_languages = offer.languages & need.languages
    if offer.languages and need.languages and not shared_languages:
        return None
    both_bounded = not offer.always and not need.always
    shared_weekdays = offer.weekdays & need.weekdays
    if both_bounded and offer.weekdays and need.weekdays and not shared_weekdays:
        return None
    area = _area(offer, need)
    if area is None:
        return None
    score = WEIGHTS[area] + _LANGUAGE_WEIGHT * bool(shared_languages)
    if both_bounded:
        start = (
            offer.start if need.start is None or (offer.start is not None and offer.start > need.start) else need.start
        )
        end = offer.end if need.end is None or (offer.end is not None and offer.end < need.end) else need.end
        if end is not None and ((today is not None and end < today) or (start is not None and end < start)):
            return None
        if not (offer.weekdays and need.weekdays):
            shared_weekdays = 0
        days = shared_weekdays or offer.weekdays or need.weekdays
        if days and start is not None and end is not None and not days & weekdays_between(start, end):
            return None
        score += _WEEKDAY_WEIGHT * bool(shared_weekdays)
        score += _DATES_WEIGHT * (start is not None or end is not None)
    elif today is not None:
        # One side is available any time; the other's dates must not all be over.
        bounded = need if offer.always else offer
        if not bounded.always and bounded.end is not None and bounded.end < today:
            return None
    if offered is not None and needed is not None:
        # A close fit ranks above a hall of 500 offered for 10 people; never below no quantity at all.
        score += 0.5 + 0.5 * (needed / offered if offered else 1.0)
    return round(score / MAX_SCORE, 4), area


def _iso(day: int | None) -> str | None:
    return date.fromordinal(day).isoformat() if day is not None else None


def _fit(offer: Entry, need: Entry, score: float, area: str, today: int | None) -> Fit:
    """The Fit of a pair `_score` accepted, with its reasons (only for the pairs that are kept)."""
    shared_languages: list[str] = []
    if offer.languages and need.languages:
        shared_languages = sorted(set(offer.language_codes) & set(need.language_codes))
    shared_weekdays: list[int] = []
    dates = None
    if not offer.always and not need.always:
        if offer.weekdays and need.weekdays:
            shared = offer.weekdays & need.weekdays
            shared_weekdays = [day for day in range(7) if shared >> day & 1]
        starts = [d for d in (offer.start, need.start) if d is not None]
        ends = [d for d in (offer.end, need.end) if d is not None]
        if starts or ends:
            dates = {"from": _iso(max(starts) if starts else None), "until": _iso(min(ends) if ends else None)}
    reasons = {
        "category": offer.category,
        "area": area,
        "shared_languages": shared_languages,
        "shared_weekdays": shared_weekdays,
        "dates": dates,
        "quantity_covers": offer.quantity is not None and need.quantity is not None,
        "offer": offer.describe(),
        "need": need.describe(),
    }
    return Fit(offer_id=offer.id, need_id=need.id, score=score, reasons=reasons)


def _ordinal(today: date | None) -> int | None:
    return today.toordinal() if today is not None else None


def fit(a: Item | Entry, b: Item | Entry, *, today: date | None = None) -> Fit | None:
    """Whether an offer and a need (in either order) fit, with the score and the reasons."""
    first, second = compile_items((a, b))
    if first.is_offer == second.is_offer:
        return None
    offer, need = (first, second) if first.is_offer else (second, first)
    day = _ordinal(today)
    found = _score(offer, need, day)
    return _fit(offer, need, found[0], found[1], day) if found is not None else None


# -- Many pairs ------------------------------------------------------------------------------------


def rank_for(
    own: Iterable[Item | Entry],
    candidates: Iterable[Item | Entry],
    *,
    today: date | None = None,
    limit: int | None = None,
    skip: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset(),
) -> list[Fit]:
    """Every fit between `own` items (one organisation's) and `candidates`, best first (ties by the
    offer's, then the need's id); the `limit` best only, and never a pair (offer id, need id) in
    `skip` (what the organisation said "not for us" to)."""
    by_key: dict[tuple[str, bool], list[Entry]] = defaultdict(list)
    for candidate in compile_items(candidates):
        by_key[(candidate.category, candidate.is_offer)].append(candidate)
    day = _ordinal(today)
    scored: list[tuple[float, int, int, Entry, Entry, str]] = []
    for item in compile_items(own):
        for candidate in by_key.get((item.category, not item.is_offer), ()):
            offer, need = (item, candidate) if item.is_offer else (candidate, item)
            found = _score(offer, need, day)
            if found is not None and (offer.id, need.id) not in skip:
                scored.append((-found[0], offer.id, need.id, offer, need, found[1]))
    kept = heapq.nsmallest(limit, scored, key=_rank) if limit is not None else sorted(scored, key=_rank)
    return [_fit(offer, need, -negative, area, day) for negative, _o, _n, offer, need, area in kept]


def _rank(row: tuple[float, int, int, Entry, Entry, str]) -> tuple[float, int, int]:
    return row[0], row[1], row[2]


class OfferIndex:
    """The offers of one category by where they are, so that a need meets only the offers whose
    place can meet it (the whole directory would otherwise be every offer against every need)."""

    def __init__(self, offers: list[Entry]) -> None:
        self.all = offers
        by_place: dict[str, list[Entry]] = defaultdict(list)
        by_region: dict[str, list[Entry]] = defaultdict(list)
        self.online: list[Entry] = []
        for offer in offers:
            if offer.place:
                by_place[offer.place].append(offer)
            if offer.region:
                by_region[offer.region].append(offer)
            if offer.online and offer.free:
                self.online.append(offer)
        self.by_place = dict(by_place)
        self.by_region = dict(by_region)
        self.nationwide = self.by_region.get(NATIONWIDE, [])

    def candidates(self, need: Entry) -> Iterable[Entry]:
        """A superset of the offers whose place can meet the need's (`_area` decides), each once."""
        if (need.online and need.free) or need.region == NATIONWIDE:
            return self.all
        groups = [self.online, self.nationwide]
        if need.place:
            groups.append(self.by_place.get(need.place, []))
        if need.region:
            groups.append(self.by_region.get(need.region, []))
        groups = [group for group in groups if group]
        if len(groups) == 1:
            return groups[0]
        return {offer.id: offer for group in groups for offer in group}.values()


def match_all(items: Iterable[Item | Entry], *, today: date | None = None, per_need: int = 20) -> list[Fit]:
    """The whole directory's fits: for each need its `per_need` best offers (ties by the offer's id)."""
    offers: dict[str, list[Entry]] = defaultdict(list)
    needs: list[Entry] = []
    for entry in compile_items(items):
        if entry.is_offer:
            offers[entry.category].append(entry)
        else:
            needs.append(entry)
    indexes = {category: OfferIndex(group) for category, group in offers.items()}
    day = _ordinal(today)
    fits: list[Fit] = []
    for need in needs:
        index = indexes.get(need.category)
        if index is None:
            continue
        scored = []
        for offer in index.candidates(need):
            found = _score(offer, need, day)
            if found is not None:
                scored.append((-found[0], offer.id, offer, found[1]))
        for negative, _id, offer, area in heapq.nsmallest(per_need, scored, key=_offer_rank):
            fits.append(_fit(offer, need, -negative, area, day))
    return fits


def _offer_rank(row: tuple[float, int, Entry, str]) -> tuple[float, int]:
    return row[0], row[1]
