"""The directory's personal data: ended representatives, idle accounts, contact data in the history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.organisations import privacy
from civicmeet.organisations.models import (
    OrganisationAction,
    OrganisationLogEntry,
    OrganisationMerge,
    Representative,
    RepresentativeStatus,
)
from civicmeet.organisations.privacy import ERASED
from civicmeet.organisations.services_profile import organisation_profile_update
from civicmeet.organisations.services_representatives import (
    representative_approve,
    representative_refuse,
    representative_remove,
    representative_request,
)
from civicmeet.registrations.tasks import accounts_with_registrations, purge_all
from civicmeet.registrations.tests.factories import submit

from .representatives_setup import moderator, person, published_organisation

pytestmark = pytest.mark.django_db

RETENTION = timedelta(days=365)
SECOND = timedelta(seconds=1)
User = get_user_model()


@pytest.fixture(autouse=True)
def _retention(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 365


def _represent(organisation, user, mod, *, then: str):
    representative = representative_request(organisation=organisation, user=user, language="uk")
    if then == "refuse":
        return representative_refuse(representative=representative, actor=mod)
    representative = representative_approve(representative=representative, actor=mod)
    if then == "remove":
        return representative_remove(representative=representative, actor=mod)
    return representative


def _emails_in_history(organisation) -> list:
    return sorted(
        OrganisationLogEntry.objects.filter(
            organisation=organisation, action=OrganisationAction.REPRESENTATIVE, changes__has_key="email"
        ).values_list("changes__email", flat=True)
    )


def test_ended_representatives_and_their_idle_accounts_go_after_the_retention():
    mod = moderator()
    organisation = published_organisation()
    refused_user = person("oksana@example.org", name="Oksana")
    removed_user = person("petro@example.org", name="Petro")
    current_user = person("olena@example.org", name="Olena")
    refused = _represent(organisation, refused_user, mod, then="refuse")
    removed = _represent(organisation, removed_user, mod, then="remove")
    _represent(organisation, current_user, mod, then="approve")
    ended = max(privacy.representative_ended_at(refused), privacy.representative_ended_at(removed))
    assert privacy.representative_ended_at(removed) >= removed.created_at

    # Accounts that are not the directory's to retire, all idle for years.
    registered = person("maria@example.org")
    submit(EventFactory(), email="Maria@example.org")
    organiser = UserFactory(email="anna@zustricz.example.org")
    EventFactory(organisers=[organiser])
    staff = UserFactory(email="staff@example.org", is_staff=True)

    before = privacy.directory_purge(in_use=accounts_with_registrations, now=ended + RETENTION - SECOND)
    # (History rows are scrubbed by their own age: a request written seconds before the refusal may
    # already be older than the retention here.)
    assert (before.representatives, before.accounts) == (0, 0)
    assert Representative.objects.filter(organisation=organisation).count() == 3

    result = privacy.directory_purge(in_use=accounts_with_registrations, now=ended + RETENTION)
    assert result.representatives == 2 and result.accounts == 2
    assert list(Representative.objects.values_list("user__email", flat=True)) == ["olena@example.org"]
    for user in (refused_user, removed_user):
        user.refresh_from_db()
        assert not user.is_active and not user.has_usable_password()
        assert user.email == f"erased-{user.pk}@invalid" and user.username == f"erased-{user.pk}"
        assert user.first_name == ""
    for kept in (current_user, registered, organiser, staff, mod):
        kept.refresh_from_db()
        assert kept.is_active and not kept.email.endswith("@invalid"), kept
    # The history keeps who came and went by number; only the one still representing keeps an address.
    emails = _emails_in_history(organisation)
    assert set(emails) == {ERASED, "olena@example.org"}
    assert emails.count(ERASED) == 5  # requested + refused; requested + approved + removed
    assert before.history_entries + result.history_entries == 5

    again = privacy.directory_purge(in_use=accounts_with_registrations, now=ended + RETENTION)
    assert again.as_dict() == {"representatives": 0, "accounts": 0, "history_entries": 0, "merges": 0}


def test_someone_who_asks_again_is_not_deleted():
    mod = moderator()
    organisation = published_organisation()
    user = person("petro@example.org")
    removed = _represent(organisation, user, mod, then="remove")
    representative_request(organisation=organisation, user=user, language="pl")  # pending again
    later = privacy.representative_ended_at(removed) + RETENTION * 2
    assert privacy.directory_purge(in_use=accounts_with_registrations, now=later).representatives == 0
    assert Representative.objects.get(user=user).status == RepresentativeStatus.PENDING
    user.refresh_from_db()
    assert user.is_active and user.email == "petro@example.org"
    assert _emails_in_history(organisation) == ["petro@example.org"] * 4


def test_an_account_that_signed_in_lately_is_kept():
    now = timezone.now() + RETENTION * 2
    recent = person("recent@example.org")
    User.objects.filter(pk=recent.pk).update(last_login=now - timedelta(days=10))
    idle = person("idle@example.org")
    assert privacy.accounts_retire_idle(in_use=accounts_with_registrations, now=now) == 1
    recent.refresh_from_db()
    idle.refresh_from_db()
    assert recent.is_active and not idle.is_active


def test_contact_values_leave_the_profile_history_and_merge_records_after_the_retention():
    mod = moderator()
    organisation = published_organisation(contact_email="biuro@zustricz.example.org")
    organisation_profile_update(
        organisation=organisation,
        actor=mod,
        data={"contact_email": "jan.kowalski@zustricz.example.org", "contact_phone": "+48 600 100 200"},
    )
    entry = OrganisationLogEntry.objects.get(organisation=organisation, action=OrganisationAction.UPDATED)
    assert entry.changes["contact_email"] == ["biuro@zustricz.example.org", "jan.kowalski@zustricz.example.org"]
    merge = OrganisationMerge.objects.create(
        survivor=organisation,
        merged_id=999,
        merged_name="Zustricz (duplikat)",
        merged_data={"name": "Zustricz (duplikat)", "contact_email": "stary@example.org", "contact_phone": ""},
    )
    other_fields = {key: value for key, value in entry.changes.items() if not key.startswith("contact_")}

    due = max(entry.created_at, merge.created_at) + RETENTION
    assert privacy.history_scrub(now=due - SECOND) == {"history_entries": 0, "merges": 0}
    assert privacy.history_scrub(now=due) == {"history_entries": 1, "merges": 1}
    entry.refresh_from_db()
    merge.refresh_from_db()
    assert entry.changes["contact_email"] == [ERASED, ERASED]
    assert entry.changes["contact_phone"] == ["", ERASED]  # an empty value names nobody
    assert {key: value for key, value in entry.changes.items() if not key.startswith("contact_")} == other_fields
    assert merge.merged_data == {"name": "Zustricz (duplikat)", "contact_email": ERASED, "contact_phone": ""}
    # The profile itself shows its current contact, as before.
    organisation.refresh_from_db()
    assert organisation.contact_email == "jan.kowalski@zustricz.example.org"
    assert privacy.history_scrub(now=due) == {"history_entries": 0, "merges": 0}


def test_the_nightly_purge_runs_the_network_purges_and_reports_their_counts(capsys):
    mod = moderator()
    organisation = published_organisation()
    refused = _represent(organisation, person("oksana@example.org"), mod, then="refuse")
    later = privacy.representative_ended_at(refused) + RETENTION
    network = purge_all(now=later)["network"]
    assert network["directory"]["representatives"] == 1 and network["directory"]["accounts"] == 1
    assert set(network) == {"signups", "contact_requests", "directory", "channels"}
    assert purge_all(now=later)["network"]["directory"] == {
        "representatives": 0,
        "accounts": 0,
        "history_entries": 0,
        "merges": 0,
    }
    call_command("purge_personal_data", "--no-schedule")
    assert "nothing to purge" in capsys.readouterr().out
