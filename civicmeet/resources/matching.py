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
against candidates; `match_all` pairs the whole directory, bucketed by category.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

OFFER = "offer"
NEED = "need"

# Categories where "online or anywhere" can meet any place (the others must be at hand).
AREA_FREE_CATEGORIES = frozenset({"interpreting", "expertise", "funding", "materials", "transport", "other"})
NATIONWIDE = "nationwide"

# Score weights: the closer the place and the more they share, the higher.
WEIGHTS = {"city": 3.0, "region": 2.0, "nationwide": 1.5, "online": 1.5, "language": 1.0, "weekday": 1.0, "dates": 0.5}
# The best possible score, so that `Fit.score` is a fraction of it (0..1].
MAX_SCORE = WEIGHTS["city"] + WEIGHTS["language"] + WEIGHTS["weekday"] + WEIGHTS["dates"] + 1.0


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
    # Worked out once (matching compares them millions of times in the nightly run).
    place: str = field(init=False, repr=False, compare=False)
    always: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "place", place_key(self.city))
        # Available any time: said so, or no dates and no days given.
        always = self.any_time or (self.available_from is None and self.available_until is None and not self.weekdays)
        object.__setattr__(self, "always", always)

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
            "weekdays": sorted(self.weekdays) if not self.any_time else [],
            "from": self.available_from.isoformat() if self.available_from and not self.any_time else None,
            "until": self.available_until.isoformat() if self.available_until and not self.any_time else None,
            "any_time": self.always,
            "languages": sorted(self.languages),
        }


@dataclass(frozen=True)
class Fit:
    offer_id: int
    need_id: int
    score: float
    reasons: dict


def _area(offer: Item, need: Item) -> str | None:
    """How the places meet (city, region, nationwide, online), or None when they do not."""
    if offer.place and offer.place == need.place:
        return "city"
    if offer.region and need.region and offer.region == need.region and offer.region != NATIONWIDE:
        return "region"
    if offer.category in AREA_FREE_CATEGORIES and (offer.online or need.online):
        return "online"
    regions = {offer.region, need.region}
    if NATIONWIDE in regions and (offer.region or offer.city) and (need.region or need.city):
        # The whole of Poland meets any place in it ("abroad" is not in it).
        if "abroad" not in regions:
            return "nationwide"
    return None


def _dates(offer: Item, need: Item, today: date | None) -> tuple[date | None, date | None] | None:
    """The intersection of the two date ranges (None: they do not meet; open ends stay None)."""
    starts = [d for d in (offer.available_from, need.available_from) if d is not None]
    ends = [d for d in (offer.available_until, need.available_until) if d is not None]
    start = max(starts) if starts else None
    end = min(ends) if ends else None
    if today is not None and end is not None and end < today:
        return None
    if start is not None and end is not None and end < start:
        return None
    return (start, end)


def _days_within(start: date, end: date, weekdays: frozenset[int]) -> bool:
    """Whether a day of `weekdays` falls within start..end (both inclusive)."""
    if (end - start).days >= 6:
        return True
    return any((start + timedelta(days=n)).weekday() in weekdays for n in range((end - start).days + 1))


def fit(a: Item, b: Item, *, today: date | None = None) -> Fit | None:
    """Whether an offer and a need (in either order) fit, with the score and the reasons."""
    if a.direction == b.direction:
        return None
    offer, need = (a, b) if a.direction == OFFER else (b, a)
    if offer.category != need.category or offer.organisation_id == need.organisation_id:
        return None
    if offer.quantity is not None and need.quantity is not None and offer.quantity < need.quantity:
        return None
    shared_languages: frozenset[str] = frozenset()
    if offer.languages and need.languages:
        shared_languages = offer.languages & need.languages
        if not shared_languages:
            return None
    if not offer.always and not need.always and offer.weekdays and need.weekdays and not offer.weekdays & need.weekdays:
        return None
    area = _area(offer, need)
    if area is None:
        return None
    score = WEIGHTS[area] + WEIGHTS["language"] * bool(shared_languages)
    shared_weekdays: frozenset[int] = frozenset()
    dates: tuple[date | None, date | None] | None = (None, None)
    if not offer.always and not need.always:
        dates = _dates(offer, need, today)
        if dates is None:
            return None
        if offer.weekdays and need.weekdays:
            shared_weekdays = offer.weekdays & need.weekdays
            if not shared_weekdays:
                return None
        days = shared_weekdays or offer.weekdays or need.weekdays
        if days and dates[0] is not None and dates[1] is not None and not _days_within(dates[0], dates[1], days):
            return None
        score += WEIGHTS["weekday"] * bool(shared_weekdays)
        score += WEIGHTS["dates"] * (dates[0] is not None or dates[1] is not None)
    elif today is not None:
        # One side is available any time; the other's dates must not all be over.
        bounded = need if offer.always else offer
        if not bounded.always and bounded.available_until is not None and bounded.available_until < today:
            return None
    covers = offer.quantity is not None and need.quantity is not None
    if covers:
        # A close fit ranks above a hall of 500 offered for 10 people; never below no quantity at all.
        score += 0.5 + 0.5 * (need.quantity / offer.quantity if offer.quantity else 1.0)  # type: ignore[operator]
    reasons = {
        "category": offer.category,
        "area": area,
        "shared_languages": sorted(shared_languages),
        "shared_weekdays": sorted(shared_weekdays),
        "dates": (
            {"from": dates[0].isoformat() if dates[0] else None, "until": dates[1].isoformat() if dates[1] else None}
            if dates and (dates[0] or dates[1])
            else None
        ),
        "quantity_covers": covers,
        "offer": offer.describe(),
        "need": need.describe(),
    }
    return Fit(offer_id=offer.id, need_id=need.id, score=round(score / MAX_SCORE, 4), reasons=reasons)


def rank_for(
    own: Iterable[Item], candidates: Iterable[Item], *, today: date | None = None, limit: int | None = None
) -> list[Fit]:
    """Every fit between `own` items (one organisation's) and `candidates`, best first."""
    by_key: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for candidate in candidates:
        by_key[(candidate.category, candidate.direction)].append(candidate)
    fits = []
    for item in own:
        other = NEED if item.direction == OFFER else OFFER
        for candidate in by_key.get((item.category, other), ()):
            found = fit(item, candidate, today=today)
            if found is not None:
                fits.append(found)
    fits.sort(key=lambda f: (-f.score, f.offer_id, f.need_id))
    return fits[:limit] if limit is not None else fits


class _OfferIndex:
    """The offers of one category, by where they are, so a need is scored only against offers whose
    area can meet it (the whole directory would otherwise be every offer against every need)."""

    def __init__(self, offers: list[Item]) -> None:
        self.all = offers
        self.by_city: dict[str, list[Item]] = defaultdict(list)
        self.by_region: dict[str, list[Item]] = defaultdict(list)
        self.online: list[Item] = []
        for offer in offers:
            if offer.city:
                self.by_city[offer.place].append(offer)
            if offer.region:
                self.by_region[offer.region].append(offer)
            if offer.online and offer.category in AREA_FREE_CATEGORIES:
                self.online.append(offer)

    def candidates(self, need: Item) -> Iterable[Item]:
        if (need.online and need.category in AREA_FREE_CATEGORIES) or need.region == NATIONWIDE:
            return self.all
        seen: dict[int, Item] = {}
        groups = [self.online, self.by_region.get(NATIONWIDE, [])]
        if need.city:
            groups.append(self.by_city.get(need.place, []))
        if need.region:
            groups.append(self.by_region.get(need.region, []))
        for group in groups:
            for offer in group:
                seen[offer.id] = offer
        return seen.values()


def match_all(items: Iterable[Item], *, today: date | None = None, per_need: int = 20) -> list[Fit]:
    """The whole directory's fits: for each need its `per_need` best offers."""
    offers: dict[str, list[Item]] = defaultdict(list)
    needs: list[Item] = []
    for item in items:
        if item.direction == OFFER:
            offers[item.category].append(item)
        else:
            needs.append(item)
    indexes = {category: _OfferIndex(group) for category, group in offers.items()}
    fits: list[Fit] = []
    for need in needs:
        index = indexes.get(need.category)
        if index is None:
            continue
        found = [f for f in (fit(offer, need, today=today) for offer in index.candidates(need)) if f]
        found.sort(key=lambda f: (-f.score, f.offer_id))
        fits.extend(found[:per_need])
    return fits
