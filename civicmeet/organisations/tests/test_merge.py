"""Merging duplicate organisations: nothing linked to either record is lost."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from civicmeet.core.errors import PermissionDeniedError
from civicmeet.events.tests.factories import OrganisationFactory, UserFactory
from civicmeet.organisations.merge import MergeError, merge_counts, organisation_merge
from civicmeet.organisations.models import (
    Community,
    NameKind,
    Organisation,
    OrganisationAction,
    OrganisationLogEntry,
    OrganisationMerge,
    OrganisationName,
    Representative,
    RepresentativeStatus,
)
from civicmeet.search.models import SearchDocument
from civicmeet.search.services import search_document_save

from .data_fixtures import build, moderator

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in apps.get_models()}


def _link_rows(organisation: Organisation) -> list[tuple[str, object]]:
    """A row of every relation that can point at an organisation, pointing at `organisation`:
    found from the models, so a relation added later is in this test without a change here."""
    made: list[tuple[str, object]] = []
    for rel in Organisation._meta.related_objects:
        if rel.many_to_many:
            source = build(rel.related_model)
            getattr(source, rel.field.name).add(organisation)
            made.append(("m2m", (rel.field, source)))
        elif rel.related_model is Organisation:  # a member of a federation
            made.append(("fk", (rel.field, build(Organisation, parent=organisation))))
        elif rel.related_model is OrganisationName:
            made.append(
                (
                    "fk",
                    (
                        rel.field,
                        build(OrganisationName, organisation=organisation, name=f"Inna nazwa {organisation.pk}"),
                    ),
                )
            )
        else:
            made.append(("fk", (rel.field, build(rel.related_model, **{rel.field.name: organisation}))))
    content_type = ContentType.objects.get_for_model(Organisation)
    for model in apps.get_models():
        for private in model._meta.private_fields:
            if isinstance(private, GenericForeignKey):
                row = build(model, **{private.ct_field: content_type, private.fk_field: organisation.pk})
                made.append(("generic", (private, row)))
    return made


def test_a_merge_of_duplicates_loses_nothing_linked_to_either_record():
    actor = moderator()
    ukrainian, jewish = Community.objects.order_by("pk")[:2]
    survivor = OrganisationFactory(name="Fundacja Zustricz", city="Kraków")
    survivor.communities.add(ukrainian)
    duplicate = OrganisationFactory(
        name="Fundacja „Zustricz”", website="https://zustricz.example.org", founded_year=2016, city="Warszawa"
    )
    duplicate.communities.add(jewish)
    rows = _link_rows(survivor) + _link_rows(duplicate)
    before = _counts()

    organisation_merge(survivor=survivor, duplicate=duplicate, actor=actor)

    after = _counts()
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    # Only the duplicate is gone; the merge adds its record, a history row and the duplicate's name.
    expected = dict(before)
    expected["organisations.organisation"] -= 1
    expected["organisations.organisationmerge"] += 1
    expected["organisations.organisationlogentry"] += 1
    expected["organisations.organisationname"] += 1
    assert after == expected
    # Every row that pointed at either record now points at the survivor.
    for kind, (field, row) in rows:
        if kind == "fk":
            row.refresh_from_db()
            assert getattr(row, field.attname) == survivor.pk, f"{row._meta.label}.{field.name}"
        elif kind == "m2m":
            assert survivor in getattr(row, field.name).all(), f"{row._meta.label}.{field.name}"
            assert getattr(row, field.name).count() == 1
        else:
            row.refresh_from_db()
            assert int(getattr(row, field.fk_field)) == survivor.pk, f"{row._meta.label}.{field.name}"
    survivor.refresh_from_db()
    assert set(survivor.communities.all()) == {ukrainian, jewish}
    # Its empty fields filled, nothing it had overwritten.
    assert (survivor.website, survivor.founded_year, survivor.city) == ("https://zustricz.example.org", 2016, "Kraków")
    assert survivor.names.filter(name="Fundacja „Zustricz”", kind=NameKind.ALTERNATE).exists()
    record = OrganisationMerge.objects.get(survivor=survivor, merged_id=duplicate.pk)
    assert (record.merged_id, record.merged_name, record.merged_by) == (duplicate.pk, "Fundacja „Zustricz”", actor)
    assert record.merged_data["website"] == "https://zustricz.example.org"
    assert record.moved["registrations.registration.organisation"] == 1
    assert record.moved["organisations.organisation.communities"] == 1
    entry = OrganisationLogEntry.objects.filter(
        organisation=survivor, action=OrganisationAction.MERGED, actor=actor
    ).get()
    assert entry.changes["filled"]["website"] == ["", "https://zustricz.example.org"]


def test_merge_counts_show_what_would_move():
    duplicate = OrganisationFactory(name="Zustricz")
    OrganisationName.objects.create(organisation=duplicate, name="Зустріч", language="uk")
    Representative.objects.create(organisation=duplicate, user=UserFactory(), source="request")
    counts = {relation.key: count for relation, count in merge_counts(duplicate)}
    assert counts == {"organisations.organisationname.organisation": 1, "organisations.representative.organisation": 1}


def test_the_same_person_representing_both_keeps_one_row_with_the_better_status():
    person, other = UserFactory(email="olena@example.org"), UserFactory(email="ivan@example.org")
    survivor, duplicate = OrganisationFactory(name="Zustricz"), OrganisationFactory(name="Fundacja Zustricz")
    Representative.objects.create(organisation=survivor, user=person, source="registration", role="")
    Representative.objects.create(
        organisation=duplicate, user=person, source="invitation", status=RepresentativeStatus.APPROVED, role="prezeska"
    )
    Representative.objects.create(organisation=duplicate, user=other, source="request")
    organisation_merge(survivor=survivor, duplicate=duplicate, actor=moderator())
    kept = Representative.objects.get(user=person)
    assert (kept.organisation, kept.status, kept.role) == (survivor, RepresentativeStatus.APPROVED, "prezeska")
    assert Representative.objects.get(user=other).organisation == survivor


def test_a_name_variant_both_have_is_kept_once_and_translations_do_not_double_up():
    survivor, duplicate = OrganisationFactory(name="Fundacja Zustricz"), OrganisationFactory(name="Zustricz")
    OrganisationName.objects.create(organisation=survivor, name="Зустріч", language="uk")
    OrganisationName.objects.create(organisation=duplicate, name="зустріч", language="uk")
    OrganisationName.objects.create(organisation=duplicate, name="Фундація «Зустріч»", language="uk")
    OrganisationName.objects.create(organisation=duplicate, name="Zustricz Foundation", language="en")
    organisation_merge(survivor=survivor, duplicate=duplicate, actor=moderator())
    names = {(n.name, n.kind, n.language) for n in survivor.names.all()}
    assert names == {
        ("Зустріч", NameKind.TRANSLATION, "uk"),
        ("Фундація «Зустріч»", NameKind.ALTERNATE, "uk"),
        ("Zustricz Foundation", NameKind.TRANSLATION, "en"),
        ("Zustricz", NameKind.ALTERNATE, ""),
    }


def test_a_shared_community_and_a_shared_link_are_kept_once():
    community = Community.objects.first()
    survivor, duplicate = OrganisationFactory(name="A Zustricz"), OrganisationFactory(name="B Zustricz")
    survivor.communities.add(community)
    duplicate.communities.add(community)
    organisation_merge(survivor=survivor, duplicate=duplicate, actor=moderator())
    assert list(survivor.communities.all()) == [community]


def test_the_survivor_a_member_of_its_duplicate_does_not_become_its_own_member():
    federation = OrganisationFactory(name="Federacja")
    duplicate = OrganisationFactory(name="Związek Ukraińców", parent=federation)
    survivor = OrganisationFactory(name="Związek Ukraińców w Polsce", parent=duplicate)
    member = OrganisationFactory(name="Oddział", parent=duplicate)
    organisation_merge(survivor=survivor, duplicate=duplicate, actor=moderator())
    survivor.refresh_from_db()
    member.refresh_from_db()
    assert survivor.parent == federation
    assert member.parent == survivor


def test_refuses_a_merge_into_itself_and_of_one_already_merged():
    actor = moderator()
    survivor, duplicate = OrganisationFactory(name="Czulent"), OrganisationFactory(name="Stowarzyszenie Czulent")
    with pytest.raises(MergeError):
        organisation_merge(survivor=survivor, duplicate=survivor, actor=actor)
    organisation_merge(survivor=survivor, duplicate=duplicate, actor=actor)
    with pytest.raises(MergeError):
        organisation_merge(survivor=survivor, duplicate=duplicate, actor=actor)
    with pytest.raises(MergeError):
        organisation_merge(survivor=duplicate, duplicate=survivor, actor=actor)
    assert OrganisationMerge.objects.count() == 1


def test_only_moderators_merge():
    survivor, duplicate = OrganisationFactory(name="Czulent"), OrganisationFactory(name="Stowarzyszenie Czulent")
    with pytest.raises(PermissionDeniedError):
        organisation_merge(survivor=survivor, duplicate=duplicate, actor=UserFactory())
    assert Organisation.objects.filter(pk=duplicate.pk).exists()


def test_the_duplicates_search_entry_goes_and_its_items_follow_the_survivor():
    survivor, duplicate = OrganisationFactory(name="Czulent"), OrganisationFactory(name="Stowarzyszenie Czulent")
    common = {
        "visibility": "public",
        "url_name": "x",
        "url_kwargs": {},
        "titles": {"pl": "t"},
        "texts": [],
        "facets": {},
    }
    search_document_save(kind="organisation", key=duplicate.pk, organisation_id=duplicate.pk, **common)
    search_document_save(kind="offer", key=7, organisation_id=duplicate.pk, **common)
    organisation_merge(survivor=survivor, duplicate=duplicate, actor=moderator())
    assert not SearchDocument.objects.filter(kind="organisation", key=str(duplicate.pk)).exists()
    assert SearchDocument.objects.get(kind="offer").organisation_id == survivor.pk


def test_a_unique_clash_without_a_rule_refuses_the_merge_and_changes_nothing(monkeypatch):
    """A relation added later whose rows may exist once per organisation, and for which no rule
    says which row to keep, is never resolved by deleting one: the merge is refused."""
    from civicmeet.organisations import merge

    monkeypatch.setattr(merge, "CLASH_RESOLVERS", {})  # as if representatives had no rule yet
    person = UserFactory(email="olena@example.org")
    survivor, duplicate = OrganisationFactory(name="Zustricz"), OrganisationFactory(name="Fundacja Zustricz")
    Representative.objects.create(organisation=survivor, user=person, source="registration")
    Representative.objects.create(organisation=duplicate, user=person, source="invitation")
    with translation.override("en"), pytest.raises(MergeError) as refused:
        organisation_merge(survivor=survivor, duplicate=duplicate, actor=moderator())
    assert "representatives" in refused.value.message
    assert Organisation.objects.filter(pk=duplicate.pk).exists()
    assert Representative.objects.filter(organisation=duplicate).count() == 1
    assert not OrganisationMerge.objects.exists()


def test_handlers_run_after_the_merge_commits(django_capture_on_commit_callbacks):
    from civicmeet.organisations import merge

    seen = []
    merge.on_organisation_merged(seen.append)
    try:
        survivor, duplicate = OrganisationFactory(name="Czulent"), OrganisationFactory(name="Stowarzyszenie Czulent")
        with django_capture_on_commit_callbacks(execute=True):
            organisation_merge(survivor=survivor, duplicate=duplicate, actor=moderator())
        assert [organisation.pk for organisation in seen] == [survivor.pk]
    finally:
        merge._AFTER_MERGE.remove(seen.append)
