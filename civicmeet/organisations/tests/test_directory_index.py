"""The directory's search entries: rebuilt in full by reindex_directory, with other apps' indexers."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from civicmeet.core.visibility import Visibility
from civicmeet.organisations import search_documents
from civicmeet.organisations.models import OrganisationStatus
from civicmeet.search.models import SearchDocument
from civicmeet.search.services import search_document_save

from .profiles_setup import ZUSTRICZ_NAMES, add_names, make_organisation

pytestmark = pytest.mark.django_db


def test_reindex_all_indexes_published_and_forgets_the_rest(monkeypatch):
    monkeypatch.setattr(search_documents, "_REINDEXERS", [])
    published = [make_organisation(f"Fundacja {number}") for number in range(7)]
    add_names(published[0], *ZUSTRICZ_NAMES)
    draft = make_organisation("Szkic", status=OrganisationStatus.DRAFT)
    search_document_save(  # a stale entry of a draft
        kind="organisation", key=draft.pk, organisation_id=draft.pk, visibility=Visibility.PUBLIC,
        url_name="directory:list", url_kwargs={}, titles={"pl": "Szkic"}, texts=[], facets={},
    )  # fmt: skip
    counts = search_documents.organisations_reindex_all(batch_size=3)
    assert counts == {"organisation": 7}
    keys = set(SearchDocument.objects.filter(kind="organisation").values_list("key", flat=True))
    assert keys == {str(organisation.pk) for organisation in published}
    assert "Zustricz Foundation" in SearchDocument.objects.get(key=str(published[0].pk)).text


def test_the_command_runs_registered_reindexers(monkeypatch, capsys):
    monkeypatch.setattr(search_documents, "_REINDEXERS", [])
    zustricz = make_organisation("Fundacja Zustricz")
    search_documents.register_reindexer(lambda: {"resource": 3})
    call_command("reindex_directory")
    assert capsys.readouterr().out.splitlines() == ["organisation: 1", "resource: 3"]
    assert SearchDocument.objects.get(kind="organisation").key == str(zustricz.pk)
