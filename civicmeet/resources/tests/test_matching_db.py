"""Matching against the database (suggestions.py): the SQL prefilter and the rows read as tuples
give what the pure rule gives over every item; the nightly run stores each need's best offers by
upsert and keeps "not for us"; the page's matching takes a constant number of queries."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civicmeet.core.visibility import Visibility
from civicmeet.organisations.models import OrganisationStatus
from civicmeet.organisations.permissions import visible_filter
from civicmeet.resources import matching
from civicmeet.resources.models import Category, Resource, Suggestion
from civicmeet.resources.suggestions import (
    ITEM_FIELDS,
    as_items,
    fits_for_organisation,
    matchable,
    suggestion_dismiss,
    suggestions_compute_all,
    suggestions_for,
)

from . import factories as f

pytestmark = pytest.mark.django_db

# "KRAKÓW" with no region meets Kraków by the city alone (the stored city_key, not SQL's iexact).
PLACES = [("Kraków", "malopolskie"), ("kraków", "malopolskie"), ("Tarnów", "malopolskie"),
          ("Katowice", "slaskie"), ("", "nationwide"), ("Lwów", "abroad"), ("KRAKÓW", "")]  # fmt: skip


def random_directory(seed: int = 7, count: int = 240):
    """Organisations (one a draft, one private) and `count` offers and needs drawn at random:
    every category, places, days, dates (some over), any time, languages, quantities, online."""
    rng = random.Random(seed)
    today = timezone.localdate()
    orgs = [f.organisation(f"Org {n}") for n in range(6)]
    orgs.append(f.organisation("Draft org", status=OrganisationStatus.DRAFT))
    orgs.append(f.organisation("Private org", visibility=Visibility.PRIVATE))
    rows = []
    for n in range(count):
        city, region = rng.choice(PLACES)
        online = rng.random() < 0.25
        city = "" if online and rng.random() < 0.5 else city
        start = today + timedelta(days=rng.randint(-60, 30)) if rng.random() < 0.4 else None
        end = (start or today) + timedelta(days=rng.randint(-40, 60)) if rng.random() < 0.4 else None
        if start and end and end < start:
            start, end = end, start
        rows.append(
            Resource(
                organisation=rng.choice(orgs),
                direction=rng.choice(["offer", "need"]),
                category=rng.choice([Category.ROOM, Category.INTERPRETING, Category.VOLUNTEERS]),
                title=f"Item {n}",
                quantity=rng.choice([None, rng.randint(1, 60)]),
                weekdays=sorted(rng.sample(range(7), rng.randint(0, 3))),
                any_time=rng.random() < 0.2,
                available_from=start,
                available_until=end,
                languages=rng.sample(["pl", "uk", "en", "vi"], rng.randint(0, 2)),
                city=city,
                city_key=matching.place_key(city),  # bulk_create skips Resource.save()
                region="" if online and rng.random() < 0.5 else region,
                online=online,
                visibility=rng.choice([Visibility.PUBLIC, Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE]),
                active=rng.random() < 0.9,
                active_until=None if rng.random() < 0.8 else today + timedelta(days=rng.randint(-5, 5)),
            )
        )
    Resource.objects.bulk_create(rows)
    return orgs


def test_the_prefiltered_rows_give_what_the_rule_gives_over_every_item():
    orgs = random_directory()
    today = timezone.localdate()
    checked = 0
    for org in orgs[:6]:
        reader = f.representative(org)
        own = as_items(matchable(today).filter(organisation=org).values(*ITEM_FIELDS))
        every_other = as_items(
            matchable(today).exclude(organisation=org).filter(visible_filter(reader)).values(*ITEM_FIELDS)
        )
        expected = matching.rank_for(own, every_other, today=today)
        assert fits_for_organisation(organisation=org, user=reader) == expected
        assert fits_for_organisation(organisation=org, user=reader, limit=7) == expected[:7]
        checked += len(expected)
    assert checked > 50  # the directory is not so sparse that nothing is compared


def test_the_nightly_run_stores_each_needs_best_offers_of_the_shared_items():
    random_directory(seed=11)
    today = timezone.localdate()
    shared = matchable(today).exclude(visibility="private").exclude(organisation__visibility="private")
    expected = matching.match_all(as_items(shared.values(*ITEM_FIELDS)), today=today, per_need=3)
    assert expected
    assert suggestions_compute_all(per_need=3) == {"created": len(expected), "updated": 0, "removed": 0}
    stored = {(s.offer_id, s.need_id): (s.score, s.reasons) for s in Suggestion.objects.all()}
    assert stored == {(fit.offer_id, fit.need_id): (fit.score, fit.reasons) for fit in expected}
    # Again: the same rows, found and updated, nothing new.
    assert suggestions_compute_all(per_need=3) == {"created": 0, "updated": len(expected), "removed": 0}
    # Fewer per need: the others go.
    fewer = matching.match_all(as_items(shared.values(*ITEM_FIELDS)), today=today, per_need=1)
    assert suggestions_compute_all(per_need=1)["removed"] == len(expected) - len(fewer)
    assert set(Suggestion.objects.values_list("offer_id", "need_id")) == {(x.offer_id, x.need_id) for x in fewer}


def test_not_for_us_outlives_the_pair_dropping_out_of_the_best():
    a, b, c = f.organisation("A"), f.organisation("B"), f.organisation("C")
    rep_a, rep_b, rep_c = f.representative(a), f.representative(b), f.representative(c)
    need = f.resource(c, rep_c, direction="need", quantity=30, weekdays=[5])
    close = f.resource(a, rep_a, quantity=31, weekdays=[5])  # the best fit: the closest quantity
    hall = f.resource(b, rep_b, quantity=300, weekdays=[5])
    suggestion_dismiss(user=rep_c, offer=hall, need=need, by=c)
    suggestions_compute_all(per_need=1)
    stored = {(s.offer_id, s.need_id): s.dismissed_by_needer for s in Suggestion.objects.all()}
    assert stored == {(close.pk, need.pk): False, (hall.pk, need.pk): True}
    assert [x.offer_id for x in fits_for_organisation(organisation=c, user=rep_c)] == [close.pk]
    # Once it no longer fits, it goes.
    Resource.objects.filter(pk=hall.pk).update(weekdays=[1])
    suggestions_compute_all(per_need=1)
    assert set(Suggestion.objects.values_list("offer_id", "need_id")) == {(close.pk, need.pk)}


def test_items_whose_dates_are_over_are_left_out_unless_any_time():
    a, b = f.organisation("A"), f.organisation("B")
    rep_a, rep_b = f.representative(a), f.representative(b)
    today = timezone.localdate()
    f.resource(b, rep_b, direction="need", any_time=True, quantity=None)
    over = f.resource(a, rep_a, available_from=today - timedelta(days=9), available_until=today - timedelta(days=1))
    said_any_time = f.resource(a, rep_a, any_time=True, available_until=today - timedelta(days=1))
    found = {x.offer_id for x in fits_for_organisation(organisation=b, user=rep_b)}
    assert found == {said_any_time.pk}
    assert over.pk not in found


def _queries(org, user) -> int:
    with CaptureQueriesContext(connection) as captured:
        suggestions_for(organisation=org, user=user)
    return len(captured.captured_queries)


def test_the_pages_matching_takes_the_same_queries_for_one_item_or_many(django_assert_max_num_queries):
    small, big = f.organisation("Small"), f.organisation("Big")
    rep_small, rep_big = f.representative(small), f.representative(big)
    others = [f.organisation(f"Other {n}") for n in range(4)]
    rep_others = [f.representative(org) for org in others]
    f.resource(small, rep_small, direction="need", quantity=10)
    for category in ("room", "volunteers", "interpreting"):
        f.resource(big, rep_big, direction="need", category=category)
        f.resource(big, rep_big, direction="offer", category=category)
    for org, rep in zip(others, rep_others, strict=True):
        for category in ("room", "volunteers", "interpreting"):
            f.resource(org, rep, direction="offer", category=category, quantity=20)
            f.resource(org, rep, direction="need", category=category, online=category == "interpreting")
    few = _queries(small, f.representative(small))
    many = _queries(big, f.representative(big))
    assert len(suggestions_for(organisation=big, user=rep_big)) > 10
    assert len(suggestions_for(organisation=small, user=rep_small)) == 5  # four others and Big
    assert few == many
    fresh = f.representative(big)
    with django_assert_max_num_queries(7):
        suggestions_for(organisation=big, user=fresh)


def test_an_offer_fits_until_its_last_day():
    a, b = f.organisation("A"), f.organisation("B")
    rep_a, rep_b = f.representative(a), f.representative(b)
    today = timezone.localdate()
    f.resource(b, rep_b, direction="need", quantity=None)
    last_day = f.resource(a, rep_a, available_from=today - timedelta(days=30), available_until=today)
    assert [x.offer_id for x in fits_for_organisation(organisation=b, user=rep_b)] == [last_day.pk]
    assert fits_for_organisation(organisation=b, user=rep_b, today=today + timedelta(days=1)) == []
