"""The same city in SQL as in Python: the prefilter compares the stored city_key (matching.place_key)
so a candidate Python's accent- and case-insensitive rule accepts is never lost to SQL's iexact
(on SQLite LIKE folds only ASCII: "KRAKÓW" is not "Kraków" there)."""

from __future__ import annotations

import pytest

from civicmeet.resources import matching, services
from civicmeet.resources.models import Resource
from civicmeet.resources.suggestions import fits_for_organisation, suggestions_compute_all

from . import factories as f

pytestmark = pytest.mark.django_db


def test_the_city_key_is_the_compared_form_of_the_city_and_follows_every_change():
    org = f.organisation("Fundacja Miasto")
    user = f.representative(org)
    room = f.resource(org, user, city="  KRAKÓW-Nowa   Huta ")
    assert Resource.objects.get(pk=room.pk).city_key == "krakow nowa huta" == matching.place_key(room.city)
    services.resource_update(resource=room, actor=user, data={"city": "Łódź"})
    assert Resource.objects.get(pk=room.pk).city_key == "lodz"
    room.city = "Gdańsk"
    room.save(update_fields=["city"])  # a partial save keeps the key with the city
    assert Resource.objects.get(pk=room.pk).city_key == "gdansk"


def test_a_candidate_in_the_same_city_written_otherwise_is_found_by_sql_as_by_the_rule():
    # Different regions, a room (must be at hand): only the city can bring them together.
    needer = f.organisation("Needs a room", city="Kraków", region="malopolskie")
    offerer = f.organisation("Has a room", city="KRAKÓW", region="slaskie")
    reader = f.representative(needer)
    need = f.resource(needer, reader, direction="need", category="room", city="Kraków", region="malopolskie")
    offer = f.resource(
        offerer, f.representative(offerer), direction="offer", category="room", city="KRAKÓW", region="slaskie"
    )
    elsewhere = f.resource(
        offerer, f.representative(offerer), direction="offer", category="room", city="Katowice", region="slaskie"
    )
    found = fits_for_organisation(organisation=needer, user=reader)
    assert [(fit.offer_id, fit.need_id, fit.reasons["area"]) for fit in found] == [(offer.pk, need.pk, "city")]
    assert elsewhere.pk not in {fit.offer_id for fit in found}
    # The nightly run (Python over the whole directory) agrees.
    suggestions_compute_all()
    assert list(need.suggestions_as_need.values_list("offer_id", flat=True)) == [offer.pk]


def test_the_migration_fills_the_key_of_existing_rows():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("civicmeet.resources.migrations.0005_city_key")
    org = f.organisation("Stare dane")
    user = f.representative(org)
    room = f.resource(org, user, city="Białystok")
    Resource.objects.filter(pk=room.pk).update(city_key="")  # as a row written before the column
    migration.fill_city_keys(apps, None)
    assert Resource.objects.get(pk=room.pk).city_key == "bialystok"
    assert migration.place_key("Zielona  Góra") == matching.place_key("Zielona  Góra")
