"""The fast matching (matching.py: compiled entries, bitmasks, buckets, heaps) against the rule as
first written: the straightforward version below, kept as it was, checked pair by pair. Every
score, every reason and the whole directory's choice of pairs must come out the same."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from civicmeet.resources import matching
from civicmeet.resources.matching import Item

TODAY = date(2027, 3, 1)

# -- The reference: the rule as first written (frozen; do not optimise) ------------------------

AREA_FREE = matching.AREA_FREE_CATEGORIES
W = matching.WEIGHTS


def ref_place(city: str) -> str:
    text = unicodedata.normalize("NFKD", (city or "").replace("ł", "l").replace("Ł", "L"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().replace("-", " ").split())


def ref_always(item: Item) -> bool:
    return item.any_time or (item.available_from is None and item.available_until is None and not item.weekdays)


def ref_describe(item: Item) -> dict:
    return {
        "id": item.id,
        "organisation_id": item.organisation_id,
        "organisation": item.organisation_name,
        "quantity": item.quantity,
        "city": item.city,
        "region": item.region,
        "online": item.online,
        "weekdays": sorted(item.weekdays) if not item.any_time else [],
        "from": item.available_from.isoformat() if item.available_from and not item.any_time else None,
        "until": item.available_until.isoformat() if item.available_until and not item.any_time else None,
        "any_time": ref_always(item),
        "languages": sorted(item.languages),
    }


def ref_area(offer: Item, need: Item) -> str | None:
    if ref_place(offer.city) and ref_place(offer.city) == ref_place(need.city):
        return "city"
    if offer.region and need.region and offer.region == need.region and offer.region != "nationwide":
        return "region"
    if offer.category in AREA_FREE and (offer.online or need.online):
        return "online"
    regions = {offer.region, need.region}
    if "nationwide" in regions and (offer.region or offer.city) and (need.region or need.city):
        if "abroad" not in regions:
            return "nationwide"
    return None


def ref_dates(offer: Item, need: Item, today: date | None):
    starts = [d for d in (offer.available_from, need.available_from) if d is not None]
    ends = [d for d in (offer.available_until, need.available_until) if d is not None]
    start = max(starts) if starts else None
    end = min(ends) if ends else None
    if today is not None and end is not None and end < today:
        return None
    if start is not None and end is not None and end < start:
        return None
    return (start, end)


def ref_days_within(start: date, end: date, weekdays: frozenset[int]) -> bool:
    if (end - start).days >= 6:
        return True
    return any((start + timedelta(days=n)).weekday() in weekdays for n in range((end - start).days + 1))


def ref_fit(a: Item, b: Item, *, today: date | None = None) -> matching.Fit | None:
    if a.direction == b.direction:
        return None
    offer, need = (a, b) if a.direction == "offer" else (b, a)
    if offer.category != need.category or offer.organisation_id == need.organisation_id:
        return None
    if offer.quantity is not None and need.quantity is not None and offer.quantity < need.quantity:
        return None
    shared_languages: frozenset[str] = frozenset()
    if offer.languages and need.languages:
        shared_languages = offer.languages & need.languages
        if not shared_languages:
            return None
    o_always, n_always = ref_always(offer), ref_always(need)
    if not o_always and not n_always and offer.weekdays and need.weekdays and not offer.weekdays & need.weekdays:
        return None
    area = ref_area(offer, need)
    if area is None:
        return None
    score = W[area] + W["language"] * bool(shared_languages)
    shared_weekdays: frozenset[int] = frozenset()
    dates = (None, None)
    if not o_always and not n_always:
        dates = ref_dates(offer, need, today)
        if dates is None:
            return None
        if offer.weekdays and need.weekdays:
            shared_weekdays = offer.weekdays & need.weekdays
            if not shared_weekdays:
                return None
        days = shared_weekdays or offer.weekdays or need.weekdays
        if days and dates[0] is not None and dates[1] is not None and not ref_days_within(dates[0], dates[1], days):
            return None
        score += W["weekday"] * bool(shared_weekdays)
        score += W["dates"] * (dates[0] is not None or dates[1] is not None)
    elif today is not None:
        bounded = need if o_always else offer
        if not ref_always(bounded) and bounded.available_until is not None and bounded.available_until < today:
            return None
    covers = offer.quantity is not None and need.quantity is not None
    if covers:
        score += 0.5 + 0.5 * (need.quantity / offer.quantity if offer.quantity else 1.0)
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
        "offer": ref_describe(offer),
        "need": ref_describe(need),
    }
    return matching.Fit(offer_id=offer.id, need_id=need.id, score=round(score / matching.MAX_SCORE, 4), reasons=reasons)


# -- Items drawn widely: every category, odd places, short and past date ranges -----------------

categories = st.sampled_from(["room", "equipment", "interpreting", "expertise", "transport", "other"])
regions = st.sampled_from(["malopolskie", "slaskie", "nationwide", "abroad", ""])
cities = st.sampled_from(["Kraków", "krakow", "KRAKÓW", "Katowice", "Bielsko-Biała", "bielsko biala", " ", ""])
days = st.frozensets(st.integers(0, 6), max_size=4)
langs = st.frozensets(st.sampled_from(["pl", "uk", "en", "vi", "ru"]), max_size=3)
dates = st.one_of(st.none(), st.dates(date(2027, 2, 1), date(2027, 4, 30)))
todays = st.one_of(st.none(), st.just(TODAY), st.dates(date(2027, 2, 1), date(2027, 4, 30)))


@st.composite
def items(draw, direction=None):
    start, end = draw(dates), draw(dates)
    if start and end and end < start:
        start, end = end, start
    if start and draw(st.booleans()):
        end = start + timedelta(days=draw(st.integers(0, 7)))  # short ranges: which weekdays are in them
    return Item(
        id=draw(st.integers(1, 10_000)),
        organisation_id=draw(st.integers(1, 4)),
        direction=direction or draw(st.sampled_from(["offer", "need"])),
        category=draw(categories),
        organisation_name=draw(st.sampled_from(["", "Fundacja X", "Зустріч"])),
        quantity=draw(st.one_of(st.none(), st.integers(0, 100))),
        available_from=start,
        available_until=end,
        weekdays=draw(days),
        any_time=draw(st.booleans()),
        languages=draw(langs),
        city=draw(cities),
        region=draw(regions),
        online=draw(st.booleans()),
    )


@settings(max_examples=1500)
@given(items(), items(), todays)
def test_fit_equals_the_reference_score_and_reasons(a, b, today):
    assert matching.fit(a, b, today=today) == ref_fit(a, b, today=today)


@settings(max_examples=300)
@given(items("offer"), items("need"))
def test_fit_equals_the_reference_when_the_categories_match(o, n):
    n = replace(n, category=o.category)
    assert matching.fit(o, n, today=TODAY) == ref_fit(o, n, today=TODAY)


@settings(max_examples=200)
@given(st.lists(items(), max_size=30, unique_by=lambda i: i.id), st.integers(1, 4), todays)
def test_match_all_keeps_each_needs_best_offers_as_the_reference_would(all_items, per_need, today):
    expected = []
    for need in (i for i in all_items if i.direction == "need"):
        found = [f for f in (ref_fit(o, need, today=today) for o in all_items if o.direction == "offer") if f]
        found.sort(key=lambda f: (-f.score, f.offer_id))
        expected.extend(found[:per_need])
    got = matching.match_all(all_items, today=today, per_need=per_need)
    assert sorted(got, key=lambda f: (f.need_id, -f.score, f.offer_id)) == sorted(
        expected, key=lambda f: (f.need_id, -f.score, f.offer_id)
    )


@settings(max_examples=200)
@given(st.lists(items(), max_size=30, unique_by=lambda i: i.id), st.one_of(st.none(), st.integers(1, 5)))
def test_rank_for_equals_the_reference_best_first(all_items, limit):
    own = [i for i in all_items if i.organisation_id == 1]
    others = [i for i in all_items if i.organisation_id != 1]
    expected = [f for f in (ref_fit(a, b, today=TODAY) for a in own for b in others) if f]
    expected.sort(key=lambda f: (-f.score, f.offer_id, f.need_id))
    got = matching.rank_for(own, others, today=TODAY, limit=limit)
    assert got == (expected[:limit] if limit is not None else expected)


@given(st.lists(items(), max_size=20, unique_by=lambda i: i.id))
def test_rank_for_skips_the_pairs_said_not_for_us(all_items):
    own = [i for i in all_items if i.organisation_id == 1]
    others = [i for i in all_items if i.organisation_id != 1]
    every = matching.rank_for(own, others, today=TODAY)
    skip = {(f.offer_id, f.need_id) for f in every[::2]}
    assert matching.rank_for(own, others, today=TODAY, skip=skip) == [
        f for f in every if (f.offer_id, f.need_id) not in skip
    ]


def test_weekdays_between_names_the_days_of_a_short_range():
    monday = date(2027, 3, 1)
    for length in range(9):
        for shift in range(7):
            start = monday + timedelta(days=shift)
            end = start + timedelta(days=length)
            expected = {(start + timedelta(days=n)).weekday() for n in range(length + 1)}
            mask = matching.weekdays_between(start.toordinal(), end.toordinal())
            assert {day for day in range(7) if mask >> day & 1} == expected


def test_language_masks_share_a_bit_only_for_the_same_code():
    assert matching.language_mask(["pl", "uk"]) & matching.language_mask(["uk"])
    assert not matching.language_mask(["pl"]) & matching.language_mask(["vi", "en"])
    assert matching.language_mask([]) == 0
