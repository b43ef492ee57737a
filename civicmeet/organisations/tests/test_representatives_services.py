"""Representatives' services: who may invite, request, approve, refuse, remove; history and emails."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from civicmeet.accounts.models import SignInLink
from civicmeet.core.errors import ConflictError, PermissionDeniedError
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.organisations import services_representatives as reps
from civicmeet.organisations.models import (
    OrganisationAction,
    OrganisationLogEntry,
    OrganisationStatus,
    Representative,
    RepresentativeSource,
    RepresentativeStatus,
)
from civicmeet.organisations.permissions import may_edit_organisation

from .representatives_setup import moderator, person, published_organisation, representative_of

pytestmark = pytest.mark.django_db
S = RepresentativeStatus


@pytest.fixture
def org():
    return published_organisation()


@pytest.fixture
def other_org():
    return published_organisation("Stowarzyszenie Żydowskie Czulent")


@pytest.fixture
def mod():
    return moderator()


@pytest.fixture
def rep(org):
    user = person("olena@zustricz.example.org", name="Olena")
    representative_of(org, user)
    return get_user_model().objects.get(pk=user.pk)


def log_rows(org):
    return list(OrganisationLogEntry.objects.filter(organisation=org, action=OrganisationAction.REPRESENTATIVE))


# -- invite ----------------------------------------------------------------------------------------


def test_moderator_invites_a_new_person_approved_with_an_account_and_a_signin_link(org, mod, run_on_commit):
    with run_on_commit(execute=True):
        invited = reps.representative_invite(
            organisation=org, email="Mykola@Example.org", name="Mykola", language="uk", actor=mod
        )
    assert invited.status == S.APPROVED and invited.source == RepresentativeSource.INVITATION
    assert (invited.decided_by, invited.language) == (mod, "uk")
    user = invited.user
    assert user.username == "Mykola@example.org" and not user.has_usable_password()
    assert SignInLink.objects.filter(user=user, used_at__isnull=True).count() == 1
    email = OutgoingEmail.objects.get(kind="representative_invitation")
    assert email.to == "Mykola@example.org" and email.language == "uk"
    assert org.name in email.subject and "/uk/accounts/signin/" in email.body_text
    [row] = log_rows(org)
    assert row.actor == mod and row.changes["status"] == [None, S.APPROVED]
    assert may_edit_organisation(get_user_model().objects.get(pk=user.pk), org)


def test_representative_invites_a_colleague_who_waits_for_approval(org, rep):
    invited = reps.representative_invite(
        organisation=org, email="taras@example.org", name="Taras", language="pl", actor=rep
    )
    assert invited.status == S.PENDING
    assert not may_edit_organisation(invited.user, org)  # a pending one cannot edit
    assert OutgoingEmail.objects.filter(kind="representative_invitation", to="taras@example.org").exists()


def test_invite_reuses_an_existing_account_case_insensitively(org, mod):
    existing = person("anna@example.org")
    invited = reps.representative_invite(organisation=org, email="ANNA@example.org", name="", language="en", actor=mod)
    assert invited.user == existing
    assert get_user_model().objects.filter(email__iexact="anna@example.org").count() == 1


def test_representative_of_another_organisation_cannot_invite(org, other_org):
    stranger = person("stranger@example.org")
    representative_of(other_org, stranger)
    with pytest.raises(PermissionDeniedError):
        reps.representative_invite(organisation=org, email="x@example.org", name="", language="pl", actor=stranger)
    assert not Representative.objects.filter(organisation=org).exists()
    assert not OutgoingEmail.objects.exists()


def test_pending_representative_cannot_invite(org):
    waiting = person("waiting@example.org")
    representative_of(org, waiting, status=S.PENDING)
    with pytest.raises(PermissionDeniedError):
        reps.representative_invite(organisation=org, email="x@example.org", name="", language="pl", actor=waiting)


def test_inviting_someone_who_already_represents_is_refused(org, rep, mod):
    with pytest.raises(reps.RepresentativeError) as error:
        reps.representative_invite(organisation=org, email=rep.email, name="", language="pl", actor=mod)
    assert error.value.code == "already"


def test_invite_refuses_a_malformed_address(org, mod):
    with pytest.raises(reps.RepresentativeError) as error:
        reps.representative_invite(organisation=org, email="not an address", name="", language="pl", actor=mod)
    assert error.value.code == "email"
    assert not get_user_model().objects.filter(username="not an address").exists()


# -- request, approve, refuse ------------------------------------------------------------------------


def test_request_is_pending_and_asking_again_changes_nothing(org):
    user = person("ihor@example.org")
    first = reps.representative_request(organisation=org, user=user, role="prezes", language="uk")
    again = reps.representative_request(organisation=org, user=user, role="prezes", language="uk")
    assert first.pk == again.pk and again.status == S.PENDING
    assert len(log_rows(org)) == 1


def test_request_for_a_draft_is_refused_except_from_a_registration():
    draft = published_organisation("Nowa fundacja")
    type(draft).objects.filter(pk=draft.pk).update(status=OrganisationStatus.DRAFT)
    draft.refresh_from_db()
    user = person("new@example.org")
    with pytest.raises(reps.RepresentativeError):
        reps.representative_request(organisation=draft, user=user, language="pl")
    made = reps.representative_request(
        organisation=draft,
        user=user,
        language="pl",
        source=RepresentativeSource.REGISTRATION,
        details={"event": "Spotkanie"},
    )
    assert made.status == S.PENDING
    assert log_rows(draft)[0].changes["event"] == "Spotkanie"


def test_moderator_approves_and_the_person_is_told_in_their_language(org, mod, run_on_commit):
    user = person("ihor@example.org")
    request = reps.representative_request(organisation=org, user=user, language="uk")
    with run_on_commit(execute=True):
        approved = reps.representative_approve(representative=request, actor=mod)
    assert approved.status == S.APPROVED and approved.decided_by == mod
    email = OutgoingEmail.objects.get(kind="representative_approved")
    assert email.language == "uk" and email.to == "ihor@example.org"
    assert "Fundacja Zustricz" in email.subject
    assert log_rows(org)[0].changes["status"] == [S.PENDING, S.APPROVED]
    assert may_edit_organisation(get_user_model().objects.get(pk=user.pk), org)


def test_refuse_by_moderator_emails_and_keeps_the_person_out(org, mod):
    user = person("ihor@example.org")
    request = reps.representative_request(organisation=org, user=user, language="pl")
    refused = reps.representative_refuse(representative=request, actor=mod)
    assert refused.status == S.REFUSED
    assert OutgoingEmail.objects.get(kind="representative_refused").language == "pl"
    assert not may_edit_organisation(get_user_model().objects.get(pk=user.pk), org)
    with pytest.raises(reps.RepresentativeError):
        reps.representative_request(organisation=org, user=user, language="pl")


@pytest.mark.parametrize("decide", [reps.representative_approve, reps.representative_refuse])
def test_approve_or_refuse_by_a_non_moderator_is_refused(org, rep, decide):
    request = reps.representative_request(organisation=org, user=person("ihor@example.org"), language="pl")
    with pytest.raises(PermissionDeniedError):
        decide(representative=request, actor=rep)  # even an approved representative of the same organisation
    request.refresh_from_db()
    assert request.status == S.PENDING
    assert not OutgoingEmail.objects.filter(kind__startswith="representative_").exists()


def test_a_decided_request_cannot_be_decided_again(org, mod):
    request = reps.representative_request(organisation=org, user=person("ihor@example.org"), language="pl")
    reps.representative_approve(representative=request, actor=mod)
    with pytest.raises(ConflictError):
        reps.representative_refuse(representative=request, actor=mod)


# -- remove and consent -------------------------------------------------------------------------------


def test_remove_by_themselves_by_a_colleague_and_by_a_moderator(org, rep, mod):
    colleague = person("colleague@example.org")
    third = person("third@example.org")
    one = representative_of(org, colleague)
    two = representative_of(org, third)
    assert reps.representative_remove(representative=one, actor=colleague).status == S.REMOVED
    assert reps.representative_remove(representative=two, actor=rep).status == S.REMOVED
    mine = Representative.objects.get(organisation=org, user=rep)
    assert reps.representative_remove(representative=mine, actor=mod).status == S.REMOVED
    assert [row.changes["status"] for row in log_rows(org)] == [[S.APPROVED, S.REMOVED]] * 3


def test_representative_of_another_organisation_cannot_remove(org, other_org, rep):
    stranger = person("stranger@example.org")
    representative_of(other_org, stranger)
    mine = Representative.objects.get(organisation=org, user=rep)
    with pytest.raises(PermissionDeniedError):
        reps.representative_remove(representative=mine, actor=stranger)
    mine.refresh_from_db()
    assert mine.status == S.APPROVED


def test_pending_representative_cannot_remove_an_approved_one(org, rep):
    waiting = person("waiting@example.org")
    representative_of(org, waiting, status=S.PENDING)
    with pytest.raises(PermissionDeniedError):
        reps.representative_remove(representative=Representative.objects.get(user=rep), actor=waiting)


def test_removed_person_can_be_invited_again(org, rep, mod):
    mine = Representative.objects.get(organisation=org, user=rep)
    reps.representative_remove(representative=mine, actor=rep)
    again = reps.representative_invite(organisation=org, email=rep.email, name="", language="en", actor=mod)
    assert again.pk == mine.pk and again.status == S.APPROVED


def test_consent_only_by_the_person_and_recorded(org, rep, mod):
    mine = Representative.objects.get(organisation=org, user=rep)
    with pytest.raises(PermissionDeniedError):
        reps.representative_consent_set(representative=mine, actor=mod, contact_public=True)
    assert reps.representative_consent_set(representative=mine, actor=rep, contact_public=True).contact_public
    assert log_rows(org)[0].changes["contact_public"] == [False, True]
    # Removing a representative withdraws their public contact.
    assert reps.representative_remove(representative=mine, actor=rep).contact_public is False


# -- from a registration ------------------------------------------------------------------------------


def test_request_by_email_makes_the_account_and_sends_a_signin_link(org, run_on_commit):
    with run_on_commit(execute=True):
        request = reps.representative_request_by_email(
            organisation=org,
            email="oksana@example.org",
            name="Oksana",
            role="koordynatorka",
            language="uk",
            details={"event": "spotkanie-sieciujace", "registration": 7},
        )
    assert request.status == S.PENDING and request.source == RepresentativeSource.REGISTRATION
    assert request.user.first_name == "Oksana" and not request.user.has_usable_password()
    email = OutgoingEmail.objects.get(kind="representative_requested")
    assert email.language == "uk" and "/uk/accounts/signin/" in email.body_text
    link = SignInLink.objects.get(user=request.user)
    assert link.next_url == "/uk/network/mine/"


def test_signin_hooks_use_the_representatives_language_and_land_on_the_network_home(org, rep):
    from civicmeet.accounts import signin_links

    Representative.objects.filter(user=rep).update(language="uk")
    assert signin_links.user_language(rep, "en") == "uk"
    assert signin_links.landing_url(rep) == "/en/network/mine/"
