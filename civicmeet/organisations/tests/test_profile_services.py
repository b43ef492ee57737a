"""The profile's services: editing with its history, "still correct", publishing and unpublishing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civicmeet.core.errors import ConflictError, PermissionDeniedError
from civicmeet.core.visibility import Visibility
from civicmeet.organisations.models import (
    NameKind,
    Organisation,
    OrganisationAction,
    OrganisationLogEntry,
    OrganisationStatus,
)
from civicmeet.organisations.services import organisation_get_or_create
from civicmeet.organisations.services_profile import (
    organisation_confirm_checked,
    organisation_profile_update,
    organisation_publish,
    organisation_unpublish,
)
from civicmeet.search.models import SearchDocument

from .profiles_setup import make_moderator, make_organisation, make_representative

pytestmark = pytest.mark.django_db

VALID_NIP = "PL 123-456-32-18"


@pytest.fixture
def zustricz():
    return make_organisation("Fundacja Zustricz", city="Kraków")


@pytest.fixture
def rep(zustricz):
    return make_representative(zustricz, "olena@zustricz.example.org")


def test_update_changes_fields_records_each_before_and_after_and_checks_today(zustricz, rep):
    updated = organisation_profile_update(
        organisation=zustricz,
        actor=rep,
        data={
            "city": "Kraków",  # unchanged: not in the history
            "area_served": "Kraków i okolice",
            "working_languages": ["uk", "pl", "ru"],
            "communities": ["ukrainian", "belarusian"],
            "nip": VALID_NIP,
            "founded_year": 2012,
            "names": [{"name": "Фонд «Зустріч»", "language": "uk", "kind": NameKind.TRANSLATION}],
        },
    )
    assert updated.area_served == "Kraków i okolice"
    assert updated.working_languages == ["pl", "uk", "ru"]  # the list's order
    assert updated.nip == "1234563218"
    assert updated.last_checked_on == timezone.localdate()
    assert sorted(updated.communities.values_list("slug", flat=True)) == ["belarusian", "ukrainian"]
    assert list(updated.names.values_list("name", "language")) == [("Фонд «Зустріч»", "uk")]
    entry = OrganisationLogEntry.objects.get(organisation=zustricz)
    assert entry.action == OrganisationAction.UPDATED
    assert entry.actor == rep
    assert entry.changes["area_served"] == ["", "Kraków i okolice"]
    assert entry.changes["nip"] == ["", "1234563218"]
    assert entry.changes["communities"] == [[], ["belarusian", "ukrainian"]]
    assert entry.changes["names"][0] == []
    assert entry.changes["last_checked_on"] == [None, timezone.localdate().isoformat()]
    assert "city" not in entry.changes


def test_update_reindexes_search_with_every_name(zustricz, rep):
    organisation_profile_update(
        organisation=zustricz,
        actor=rep,
        data={
            "communities": ["jewish"],
            "working_languages": ["yi"],
            "names": [
                {"name": "Zustricz Foundation", "language": "en", "kind": NameKind.TRANSLATION},
                {"name": "Зустріч", "language": "", "kind": NameKind.ALTERNATE},
            ],
        },
    )
    document = SearchDocument.objects.get(kind="organisation", key=str(zustricz.pk))
    assert document.titles == {"pl": "Fundacja Zustricz", "uk": "Fundacja Zustricz", "en": "Zustricz Foundation"}
    for text in ("Зустріч", "Zustricz Foundation", "żydowska", "єврейська", "Jewish", "jidysz", "їдиш", "Yiddish"):
        assert text in document.text
    assert document.facets == {"type": "migrant", "communities": ["jewish"], "languages": ["yi"], "region": ""}
    assert document.url_kwargs == {"pk": zustricz.pk, "slug": "fundacja-zustricz"}


def test_bad_values_are_refused_by_field_and_nothing_is_saved(zustricz, rep):
    with pytest.raises(ValidationError) as caught:
        organisation_profile_update(
            organisation=zustricz,
            actor=rep,
            data={
                "city": "Warszawa",
                "nip": "123-456-32-19",
                "krs": "12ab",
                "founded_year": timezone.localdate().year + 1,
                "working_languages": ["uk", "klingon"],
                "parent": zustricz.pk,
                "type": "company",
            },
        )
    errors = caught.value.message_dict
    assert set(errors) == {"nip", "krs", "founded_year", "working_languages", "parent", "type"}
    assert "check digit" in errors["nip"][0]
    assert "klingon" in errors["working_languages"][0]
    zustricz.refresh_from_db()
    assert zustricz.city == "Kraków"
    assert not OrganisationLogEntry.objects.exists()


def test_founded_before_1800_is_refused(zustricz, rep):
    with pytest.raises(ValidationError) as caught:
        organisation_profile_update(organisation=zustricz, actor=rep, data={"founded_year": 1799})
    assert "1800" in caught.value.message_dict["founded_year"][0]
    organisation_profile_update(organisation=zustricz, actor=rep, data={"founded_year": 1800})


def test_parent_cannot_be_one_of_its_own_members(zustricz, rep):
    member = make_organisation("Stowarzyszenie Członkowskie", parent=zustricz)
    grandchild = make_organisation("Koło Lokalne", parent=member)
    with pytest.raises(ValidationError) as caught:
        organisation_profile_update(organisation=zustricz, actor=rep, data={"parent": grandchild})
    assert "parent" in caught.value.message_dict
    draft = make_organisation("Szkic", status=OrganisationStatus.DRAFT)
    with pytest.raises(ValidationError):
        organisation_profile_update(organisation=zustricz, actor=rep, data={"parent": draft.pk})
    federation = make_organisation("Federacja Mniejszości")
    assert (
        organisation_profile_update(organisation=zustricz, actor=rep, data={"parent": federation}).parent == federation
    )


def test_name_taken_by_another_organisation_is_refused(zustricz, rep):
    make_organisation("Stowarzyszenie Czulent")
    with pytest.raises(ValidationError) as caught:
        organisation_profile_update(organisation=zustricz, actor=rep, data={"name": "stowarzyszenie  czulent"})
    assert "already has this name" in caught.value.message_dict["name"][0]


def test_name_variants_drop_blanks_repeats_and_the_main_name(zustricz, rep):
    organisation_profile_update(
        organisation=zustricz,
        actor=rep,
        data={
            "names": [
                {"name": " ", "language": "", "kind": NameKind.ALTERNATE},
                {"name": "fundacja zustricz", "language": "", "kind": NameKind.ALTERNATE},
                {"name": "Zustricz", "language": "", "kind": NameKind.ALTERNATE},
                {"name": "ZUSTRICZ", "language": "", "kind": NameKind.FORMER},
            ]
        },
    )
    assert list(zustricz.names.values_list("name", flat=True)) == ["Zustricz"]


def test_a_representative_of_another_organisation_may_not_edit(zustricz):
    other = make_organisation("Stowarzyszenie Czulent")
    stranger = make_representative(other, "someone@czulent.example.org")
    with pytest.raises(PermissionDeniedError):
        organisation_profile_update(organisation=zustricz, actor=stranger, data={"city": "Tarnów"})
    with pytest.raises(PermissionDeniedError):
        organisation_confirm_checked(organisation=zustricz, actor=stranger)
    zustricz.refresh_from_db()
    assert zustricz.city == "Kraków" and zustricz.last_checked_on is None


def test_a_moderator_may_edit_any_profile(zustricz):
    moderator = make_moderator()
    assert organisation_profile_update(organisation=zustricz, actor=moderator, data={"city": "Tarnów"}).city == "Tarnów"


def test_still_correct_sets_only_the_date_with_a_history_row(zustricz, rep):
    before = Organisation.objects.values().get(pk=zustricz.pk)
    checked = organisation_confirm_checked(organisation=zustricz, actor=rep)
    after = Organisation.objects.values().get(pk=zustricz.pk)
    assert checked.last_checked_on == timezone.localdate()
    assert {key for key in after if after[key] != before[key]} == {"last_checked_on", "updated_at"}
    entry = OrganisationLogEntry.objects.get(organisation=zustricz)
    assert entry.action == OrganisationAction.CHECKED
    assert entry.changes == {"last_checked_on": [None, timezone.localdate().isoformat()]}


def test_a_registration_creates_a_draft_that_is_not_indexed():
    organisation = organisation_get_or_create(name="Nowa  Fundacja", type="migrant")
    assert organisation.status == OrganisationStatus.DRAFT
    assert not SearchDocument.objects.filter(kind="organisation").exists()


def test_publish_and_unpublish_move_between_draft_and_directory_with_history():
    moderator = make_moderator()
    draft = make_organisation("Fundacja Nowa", status=OrganisationStatus.DRAFT)
    organisation_publish(organisation=draft, actor=moderator)
    draft.refresh_from_db()
    assert draft.status == OrganisationStatus.PUBLISHED
    assert SearchDocument.objects.filter(kind="organisation", key=str(draft.pk)).exists()
    with pytest.raises(ConflictError):
        organisation_publish(organisation=draft, actor=moderator)
    organisation_unpublish(organisation=draft, actor=moderator)
    draft.refresh_from_db()
    assert draft.status == OrganisationStatus.DRAFT
    assert not SearchDocument.objects.filter(kind="organisation", key=str(draft.pk)).exists()
    assert list(OrganisationLogEntry.objects.filter(organisation=draft).values_list("action", "changes")) == [
        (OrganisationAction.UNPUBLISHED, {"status": ["published", "draft"]}),
        (OrganisationAction.PUBLISHED, {"status": ["draft", "published"]}),
    ]


def test_only_moderators_publish(zustricz, rep):
    draft = make_organisation("Fundacja Nowa", status=OrganisationStatus.DRAFT)
    make_representative(draft, "founder@nowa.example.org")
    with pytest.raises(PermissionDeniedError):
        organisation_publish(organisation=draft, actor=rep)
    draft.refresh_from_db()
    assert draft.status == OrganisationStatus.DRAFT


def test_visibility_is_carried_to_the_search_entry(zustricz, rep):
    organisation_profile_update(organisation=zustricz, actor=rep, data={"visibility": Visibility.MEMBERS})
    assert SearchDocument.objects.get(kind="organisation", key=str(zustricz.pk)).visibility == Visibility.MEMBERS


def test_contacts_given_to_the_service_directly_are_checked(zustricz, rep):
    with pytest.raises(ValidationError) as caught:
        organisation_profile_update(
            organisation=zustricz,
            actor=rep,
            data={"contact_email": "not an address", "website": "nowhere", "contact_phone": "12"},
        )
    assert {"contact_email", "website", "contact_phone"} <= set(caught.value.message_dict)
    updated = organisation_profile_update(organisation=zustricz, actor=rep, data={"contact_phone": "+48 12 422 33 44"})
    assert updated.contact_phone == "+48124223344"
