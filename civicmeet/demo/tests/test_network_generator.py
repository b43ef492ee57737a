"""generate_network: a small run makes what it says, the same each time for a seed, and refuses a
database holding other data."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from civicmeet.demo.generator import generate_network, generated_organisations
from civicmeet.organisations.models import Organisation, OrganisationName, OrganisationStatus
from civicmeet.organisations.search_documents import organisations_reindex_all
from civicmeet.resources.models import Activity, Category, Resource
from civicmeet.resources.services import resource_reindex
from civicmeet.search.models import SearchDocument, SearchFacet, SearchTerm
from civicmeet.search.selectors import search
from civicmeet.search.services import search_document_delete, search_documents_in_bulk

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 1)


def directory() -> dict:
    """Everything a run writes, as comparable values (no ids, no timestamps)."""
    return {
        "organisations": sorted(
            Organisation.objects.values_list(
                "name", "type", "status", "visibility", "city", "region", "working_languages", "description_pl"
            )
        ),
        "names": sorted(OrganisationName.objects.values_list("organisation__name", "name", "language", "kind")),
        "communities": sorted(
            Organisation.communities.through.objects.values_list("organisation__name", "community__slug")
        ),
        "activities": sorted(Activity.objects.values_list("organisation__name", "title", "starts_on", "ends_on")),
        "resources": sorted(
            Resource.objects.values_list(
                "organisation__name", "direction", "category", "title", "quantity", "weekdays", "available_from"
            )
        ),
    }


def test_a_small_run_creates_what_it_says_in_three_languages_and_indexes_it():
    made = generate_network(organisations=50, resources=200, seed=7, today=TODAY)

    assert (made.organisations, made.activities, made.resources) == (50, 50, 200)
    assert Organisation.objects.count() == 50
    assert Resource.objects.count() == 200
    assert OrganisationName.objects.count() == made.names
    assert set(OrganisationName.objects.values_list("language", flat=True)) >= {"uk", "en"}
    assert any("«" in name for name in OrganisationName.objects.filter(language="uk").values_list("name", flat=True))
    # Offers and needs across the categories, with quantities and availability.
    assert {category for category in Resource.objects.values_list("category", flat=True)} == set(Category.values)
    assert set(Resource.objects.values_list("direction", flat=True)) == {"offer", "need"}
    assert Resource.objects.filter(quantity__isnull=False).exists()
    assert Resource.objects.filter(weekdays__icontains="5").exists() or Resource.objects.filter(any_time=True).exists()
    published = Organisation.objects.filter(status=OrganisationStatus.PUBLISHED).count()
    assert SearchDocument.objects.filter(kind="organisation").count() == published == made.indexed["organisation"]
    assert generated_organisations().count() == 50


def test_the_same_seed_gives_the_same_directory_and_another_seed_another():
    call_command("generate_network", organisations=30, resources=60, seed=3, stdout=StringIO())
    first = directory()

    call_command("generate_network", organisations=30, resources=60, seed=3, stdout=StringIO())
    assert directory() == first  # the earlier run was replaced, not added to

    call_command("generate_network", organisations=30, resources=60, seed=4, stdout=StringIO())
    assert directory() != first


def test_names_stay_unique_even_when_combinations_repeat():
    generate_network(organisations=200, resources=0, seed=1, today=TODAY)

    names = [name.lower() for name in Organisation.objects.values_list("name", flat=True)]
    assert len(names) == len(set(names)) == 200


def test_it_refuses_a_database_with_other_data_unless_forced():
    Organisation.objects.create(name="Fundacja Zustricz", type="migrant")

    with pytest.raises(CommandError, match="--force"):
        call_command("generate_network", organisations=5, resources=5, stdout=StringIO())
    assert Organisation.objects.count() == 1

    call_command("generate_network", organisations=5, resources=5, force=True, stdout=StringIO())
    assert Organisation.objects.count() == 6
    assert Organisation.objects.filter(name="Fundacja Zustricz").exists()


def test_it_refuses_negative_sizes():
    with pytest.raises(CommandError):
        call_command("generate_network", organisations=-1, resources=5, stdout=StringIO())


def _index() -> dict:
    return {
        "documents": sorted(
            SearchDocument.objects.values_list(
                "kind", "key", "organisation_id", "visibility", "title", "text", "folded_title", "folded_text"
            )
        ),
        "facets": sorted(SearchFacet.objects.values_list("document__kind", "document__key", "name", "value")),
        "terms": sorted(SearchTerm.objects.values_list("term", flat=True)),
    }


def test_indexing_in_bulk_writes_the_same_index_as_one_by_one_and_finds_the_same():
    generate_network(organisations=40, resources=120, seed=5, today=TODAY)  # indexed in bulk
    bulk = _index()
    found = [hit.key for hit in search("fundacja", visibilities=["public"], limit=50).hits]
    some_offer = Resource.objects.filter(direction="offer", active=True, active_until__isnull=True).first()
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()

    organisations_reindex_all()  # one by one

    assert _index() == bulk
    assert [hit.key for hit in search("fundacja", visibilities=["public"], limit=50).hits] == found
    assert found
    # Deleting inside the bulk block removes the entry, whether written before or in the same batch.
    with search_documents_in_bulk():
        resource_reindex(some_offer)
        search_document_delete(kind="offer", key=some_offer.pk)
    assert not SearchDocument.objects.filter(kind="offer", key=str(some_offer.pk)).exists()
    with search_documents_in_bulk():
        resource_reindex(some_offer)
    assert SearchDocument.objects.filter(kind="offer", key=str(some_offer.pk)).count() == 1
