"""Matching offers to needs: pure functions, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicmeet.resources import matching
from civicmeet.resources.matching import Item, fit, match_all, rank_for

SAT, SUN = 5, 6
TODAY = date(2027, 3, 1)


def offer(**fields) -> Item:
    base = dict(id=1, organisation_id=10, direction="offer", category="room", organisation_name="Fundacja X",
                quantity=40, weekdays=frozenset({SAT, SUN}), city="Kraków", region="malopolskie")  # fmt: skip
    base.update(fields)
    return Item(**base)


def need(**fields) -> Item:
    base = dict(id=2, organisation_id=20, direction="need", category="room", organisation_name="Stowarzyszenie Y",
                quantity=30, weekdays=frozenset({SAT}), city="Krakow", region="malopolskie")  # fmt: skip
    base.update(fields)
    return Item(**base)


def test_the_issue_example_fits_with_its_reasons():
    found = fit(offer(), need(), today=TODAY)
    assert found is not None
    assert (found.offer_id, found.need_id) == (1, 2)
    assert found.reasons["area"] == "city"
    assert found.reasons["shared_weekdays"] == [SAT]
    assert found.reasons["quantity_covers"] is True
    assert found.reasons["offer"]["quantity"] == 40 and found.reasons["need"]["quantity"] == 30
    assert found.reasons["offer"]["organisation"] == "Fundacja X"


@pytest.mark.parametrize(
    ("offer_fields", "need_fields", "why"),
    [
        ({"category": "equipment"}, {}, "another category"),
        ({"organisation_id": 20}, {}, "the same organisation"),
        ({"quantity": 20}, {}, "too small"),
        ({"city": "Gdańsk", "region": "pomorskie"}, {}, "elsewhere"),
        ({"weekdays": frozenset({0, 1})}, {}, "other days"),
        ({"languages": frozenset({"uk"})}, {"languages": frozenset({"vi"})}, "no shared language"),
        ({"available_until": date(2027, 1, 31)}, {"available_from": date(2027, 2, 1)}, "dates apart"),
        ({"weekdays": frozenset(), "available_until": date(2027, 2, 1)}, {"weekdays": frozenset()}, "over"),
        ({"online": True, "city": "", "region": ""}, {}, "a room is not online"),
    ],
)
def test_no_fit(offer_fields, need_fields, why):
    assert fit(offer(**offer_fields), need(**need_fields), today=TODAY) is None, why


def test_areas_meet_by_region_nationwide_or_online_where_it_makes_sense():
    assert fit(offer(city="Wieliczka"), need(), today=TODAY).reasons["area"] == "region"
    assert fit(offer(city="", region="nationwide"), need(), today=TODAY).reasons["area"] == "nationwide"
    online = dict(category="interpreting", online=True, city="", region="")
    assert fit(offer(**online), need(category="interpreting"), today=TODAY).reasons["area"] == "online"
    assert fit(offer(region="abroad", city="Lviv"), need(region="nationwide", city=""), today=TODAY) is None


def test_any_time_and_no_quantity_fit_everything():
    assert fit(offer(any_time=True, weekdays=frozenset({0})), need(), today=TODAY) is not None
    assert fit(offer(quantity=None), need(), today=TODAY) is not None
    assert fit(offer(), need(quantity=None, weekdays=frozenset()), today=TODAY) is not None


def test_short_shared_dates_need_a_shared_weekday_in_them():
    # 1–3 March 2027 is Monday to Wednesday: no Saturday in it.
    short = dict(available_from=date(2027, 3, 1), available_until=date(2027, 3, 3))
    assert fit(offer(**short), need(), today=TODAY) is None
    week = dict(available_from=date(2027, 3, 1), available_until=date(2027, 3, 7))
    assert fit(offer(**week), need(), today=TODAY).reasons["dates"] == {"from": "2027-03-01", "until": "2027-03-07"}


def test_a_closer_quantity_ranks_first():
    hall = offer(id=3, quantity=500)
    room = offer(id=4, quantity=35)
    fits = rank_for([need()], [hall, room], today=TODAY)
    assert [f.offer_id for f in fits] == [4, 3]


def test_match_all_equals_pairwise_fit():
    items = [offer(id=1), offer(id=3, city="Tarnów"), offer(id=5, region="pomorskie", city="Gdańsk"), need(id=2),
             need(id=4, organisation_id=10), offer(id=6, category="interpreting", online=True, region=""),
             need(id=7, category="interpreting", region="slaskie", city="Katowice")]  # fmt: skip
    expected = {
        (o.id, n.id)
        for o in items
        for n in items
        if o.direction == "offer" and n.direction == "need" and fit(o, n, today=TODAY)
    }
    assert {(f.offer_id, f.need_id) for f in match_all(items, today=TODAY)} == expected
    assert expected == {(1, 2), (3, 2), (6, 7)}


# -- properties -------------------------------------------------------------------------------

regions = st.sampled_from(["malopolskie", "slaskie", "nationwide", "abroad", ""])
cities = st.sampled_from(["Kraków", "krakow", "Katowice", ""])
days = st.frozensets(st.integers(0, 6), max_size=3)
langs = st.frozensets(st.sampled_from(["pl", "uk", "en", "vi"]), max_size=2)
dates = st.one_of(st.none(), st.dates(date(2027, 1, 1), date(2027, 6, 30)))


@st.composite
def items(draw, direction):
    start, end = draw(dates), draw(dates)
    if start and end and end < start:
        start, end = end, start
    return Item(
        id=draw(st.integers(1, 1000)),
        organisation_id=draw(st.integers(1, 4)),
        direction=direction,
        category=draw(st.sampled_from(["room", "interpreting"])),
        quantity=draw(st.one_of(st.none(), st.integers(1, 100))),
        available_from=start,
        available_until=end,
        weekdays=draw(days),
        any_time=draw(st.booleans()),
        languages=draw(langs),
        city=draw(cities),
        region=draw(regions),
        online=draw(st.booleans()),
    )


@given(items("offer"), items("need"))
def test_symmetric_in_reasons(o, n):
    assert fit(o, n, today=TODAY) == fit(n, o, today=TODAY)


@given(items("offer"), items("need"))
def test_never_the_same_organisation(o, n):
    found = fit(o, replace(n, organisation_id=o.organisation_id), today=TODAY)
    assert found is None


@given(items("offer"), items("need"), st.integers(1, 1000))
def test_more_quantity_never_stops_a_fit(o, n, more):
    if fit(o, n, today=TODAY) is not None and o.quantity is not None:
        assert fit(replace(o, quantity=o.quantity + more), n, today=TODAY) is not None


@given(items("offer"), items("need"))
def test_any_time_never_stops_a_fit(o, n):
    if fit(o, n, today=TODAY) is not None:
        assert fit(replace(o, any_time=True), n, today=TODAY) is not None


@given(st.lists(st.one_of(items("offer"), items("need")), max_size=12, unique_by=lambda i: i.id))
def test_match_all_finds_what_fit_finds(all_items):
    found = {(f.offer_id, f.need_id) for f in match_all(all_items, today=TODAY, per_need=1000)}
    expected = {
        (o.id, n.id)
        for o in all_items
        for n in all_items
        if o.direction == "offer" and n.direction == "need" and fit(o, n, today=TODAY)
    }
    assert found == expected


def test_place_key_ignores_case_and_diacritics():
    assert matching.place_key("Kraków") == matching.place_key(" KRAKOW ") == matching.place_key("krakow")
    assert matching.place_key("Łódź") == matching.place_key("lodz")
