"""The representatives' pages: network home, an organisation's representatives, the review, and
"become its representative" from a participant's page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicmeet.notifications.models import OutgoingEmail
from civicmeet.organisations.models import (
    OrganisationName,
    OrganisationStatus,
    Representative,
    RepresentativeSource,
    RepresentativeStatus,
)
from civicmeet.organisations.services_representatives import representative_request
from civicmeet.organisations.views_directory import profile_url

from .representatives_setup import moderator, person, published_organisation, representative_of

pytestmark = pytest.mark.django_db
S = RepresentativeStatus
HOME = "/en/network/mine/"
REVIEW = "/en/network/representatives/review/"


@pytest.fixture
def org():
    return published_organisation()


@pytest.fixture
def rep(org):
    user = person("olena@zustricz.example.org", name="Olena")
    representative_of(org, user)
    return user


@pytest.fixture
def mod():
    return moderator()


def reps_url(org) -> str:
    return reverse("directory:representatives", kwargs={"organisation_pk": org.pk})


# -- network home ---------------------------------------------------------------------------------


def test_home_sends_anonymous_visitors_to_ask_for_a_link(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/signin/?next=")


def test_home_lists_the_persons_organisations_and_pending_requests(client, org, rep, django_assert_max_num_queries):
    other = published_organisation("Stowarzyszenie Czulent")
    representative_request(organisation=other, user=rep, language="en")
    for n in range(5):
        representative_of(published_organisation(f"Fundacja {n}"), rep)
    client.force_login(rep)
    with django_assert_max_num_queries(12):
        page = client.get(HOME)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Fundacja Zustricz" in html and "Fundacja 4" in html
    assert "Waiting for the moderators" in html and "Stowarzyszenie Czulent" in html
    # No list of the whole directory: the organisation is typed by name.
    assert 'name="organisation"' in html and "<option" not in html.split('id="represent-heading"')[1]


@pytest.mark.parametrize("typed", ["Stowarzyszenie Czulent", "  stowarzyszenie   CZULENT ", "Czulent Association"])
def test_asking_to_represent_a_published_organisation_by_any_of_its_names(client, rep, typed):
    other = published_organisation("Stowarzyszenie Czulent")
    OrganisationName.objects.create(organisation=other, name="Czulent Association", language="en")
    client.force_login(rep)
    response = client.post(
        reverse("directory:representative_request"), {"organisation": typed, "role": "wolontariuszka"}
    )
    assert response.status_code == 302
    made = Representative.objects.get(organisation=other, user=rep)
    assert (made.status, made.source, made.role) == (S.PENDING, RepresentativeSource.REQUEST, "wolontariuszka")


def test_asking_for_a_draft_or_nothing_keeps_the_form_with_an_error(client, rep):
    draft = published_organisation("Szkic")
    type(draft).objects.filter(pk=draft.pk).update(status=OrganisationStatus.DRAFT)
    client.force_login(rep)
    for value in ("Szkic", "", "nonsense"):
        response = client.post(reverse("directory:representative_request"), {"organisation": value, "role": "prezes"})
        assert response.status_code == 200
        html = response.content.decode()
        assert 'id="id_organisation_error"' in html and 'value="prezes"' in html
    assert not Representative.objects.filter(organisation=draft).exists()


def test_a_mistyped_name_is_answered_with_the_closest_names_in_the_users_language(client, rep):
    published_organisation("Stowarzyszenie Czulent")
    published_organisation("Fundacja Mezuza")
    client.force_login(rep)
    response = client.post(
        "/uk/network/mine/represent/",
        {"organisation": "Stowarzyszenie Czulnt", "role": ""},
    )
    html = response.content.decode()
    assert "У каталозі немає організації з такою назвою" in html
    assert "Stowarzyszenie Czulent" in html and "Fundacja Mezuza" not in html.split('id="id_organisation_error"')[1]
    assert 'value="Stowarzyszenie Czulnt"' in html
    assert (
        not Representative.objects.filter(user=rep, status=S.PENDING)
        .exclude(organisation__name="Fundacja Zustricz")
        .exists()
    )


def test_asking_again_for_an_own_organisation_is_refused(client, org, rep):
    client.force_login(rep)
    response = client.post(reverse("directory:representative_request"), {"organisation": org.name, "role": ""})
    assert response.status_code == 200
    assert "This organisation is already on your list in the network." in response.content.decode()


def test_the_profiles_link_brings_the_organisations_name_along(client, rep):
    other = published_organisation("Stowarzyszenie Czulent")
    client.force_login(rep)
    profile = client.get(profile_url(other)).content.decode()
    link = f"{HOME}?organisation={other.pk}#represent-heading"
    assert link in profile
    page = client.get(f"{HOME}?organisation={other.pk}").content.decode()
    assert 'value="Stowarzyszenie Czulent"' in page


def test_consent_is_set_by_the_person(client, org, rep):
    mine = Representative.objects.get(user=rep)
    client.force_login(rep)
    client.post(reverse("directory:representative_consent", kwargs={"pk": mine.pk}), {"contact_public": "on"})
    mine.refresh_from_db()
    assert mine.contact_public
    client.post(reverse("directory:representative_consent", kwargs={"pk": mine.pk}), {})
    mine.refresh_from_db()
    assert not mine.contact_public


def test_consent_of_someone_else_is_404(client, org, rep):
    mine = Representative.objects.get(user=rep)
    client.force_login(person("other@example.org"))
    response = client.post(
        reverse("directory:representative_consent", kwargs={"pk": mine.pk}), {"contact_public": "on"}
    )
    assert response.status_code == 404


# -- an organisation's representatives -------------------------------------------------------------


def test_representative_sees_and_invites(client, org, rep, django_assert_max_num_queries):
    for n in range(4):
        representative_of(org, person(f"colleague{n}@example.org"))
    client.force_login(rep)
    with django_assert_max_num_queries(10):
        page = client.get(reps_url(org))
    assert page.status_code == 200 and "colleague3@example.org" in page.content.decode()
    response = client.post(reps_url(org), {"email": "taras@example.org", "name": "Taras", "role": "", "language": "uk"})
    assert response.status_code == 302
    invited = Representative.objects.get(user__email="taras@example.org")
    assert invited.status == S.PENDING
    assert OutgoingEmail.objects.get(kind="representative_invitation").language == "uk"


def test_invite_with_a_bad_address_comes_back_filled_in(client, org, rep):
    client.force_login(rep)
    response = client.post(reps_url(org), {"email": "taras@", "name": "Taras", "language": "pl"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_email_error"' in html and 'value="Taras"' in html


def test_representative_of_another_organisation_gets_404(client, org):
    stranger = person("stranger@example.org")
    representative_of(published_organisation("Inna"), stranger)
    client.force_login(stranger)
    assert client.get(reps_url(org)).status_code == 404
    assert client.post(reps_url(org), {"email": "x@example.org", "language": "pl"}).status_code == 404
    assert not Representative.objects.filter(user__email="x@example.org").exists()


def test_pending_representative_gets_404(client, org):
    waiting = person("waiting@example.org")
    representative_of(org, waiting, status=S.PENDING)
    client.force_login(waiting)
    assert client.get(reps_url(org)).status_code == 404


def test_remove_a_colleague_and_oneself(client, org, rep):
    colleague = representative_of(org, person("colleague@example.org"))
    client.force_login(rep)
    response = client.post(reverse("directory:representative_remove", kwargs={"pk": colleague.pk}))
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.status == S.REMOVED
    mine = Representative.objects.get(user=rep)
    response = client.post(reverse("directory:representative_remove", kwargs={"pk": mine.pk}))
    assert response["Location"] == HOME
    mine.refresh_from_db()
    assert mine.status == S.REMOVED


def test_remove_by_a_stranger_is_404(client, org, rep):
    client.force_login(person("stranger@example.org"))
    mine = Representative.objects.get(user=rep)
    assert client.post(reverse("directory:representative_remove", kwargs={"pk": mine.pk})).status_code == 404
    mine.refresh_from_db()
    assert mine.status == S.APPROVED


# -- moderators' review ------------------------------------------------------------------------------


def test_review_lists_requests_with_their_event_and_approves(client, org, mod, django_assert_max_num_queries):
    for n in range(5):
        representative_request(
            organisation=org,
            user=person(f"p{n}@example.org", name=f"Person {n}"),
            role="prezes",
            language="uk",
            source=RepresentativeSource.REGISTRATION,
            details={"event": "spotkanie", "event_title": "Spotkanie sieciujące", "registration": n},
        )
    client.force_login(mod)
    with django_assert_max_num_queries(10):
        page = client.get(REVIEW)
    html = page.content.decode()
    assert page.status_code == 200
    assert "p4@example.org" in html and "Person 4" in html and "Spotkanie sieciujące" in html and "prezes" in html
    request = Representative.objects.get(user__email="p0@example.org")
    response = client.post(
        reverse("directory:representative_decide", kwargs={"pk": request.pk}), {"decision": "approve"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == S.APPROVED
    other = Representative.objects.get(user__email="p1@example.org")
    client.post(reverse("directory:representative_decide", kwargs={"pk": other.pk}), {"decision": "refuse"})
    other.refresh_from_db()
    assert other.status == S.REFUSED
    assert set(OutgoingEmail.objects.values_list("kind", flat=True)) == {
        "representative_approved",
        "representative_refused",
    }


def test_review_and_decide_are_404_for_representatives(client, org, rep):
    request = representative_request(organisation=org, user=person("p@example.org"), language="pl")
    client.force_login(rep)
    assert client.get(REVIEW).status_code == 404
    response = client.post(
        reverse("directory:representative_decide", kwargs={"pk": request.pk}), {"decision": "approve"}
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == S.PENDING


def test_decide_refuses_get(client, mod, org):
    request = representative_request(organisation=org, user=person("p@example.org"), language="pl")
    client.force_login(mod)
    assert client.get(reverse("directory:representative_decide", kwargs={"pk": request.pk})).status_code == 405


# -- from the participant's page ---------------------------------------------------------------------


def test_participant_becomes_a_pending_representative_from_their_page(client, event, run_on_commit):
    from civicmeet.registrations.tests.factories import submit

    registration = submit(event, email="Mariia@Example.org", language="uk", organisation_name="Fundacja Nowa")
    personal = reverse("registrations:personal", kwargs={"token": registration.token})
    page = client.get(personal)
    represent = reverse("registrations:represent", kwargs={"token": registration.token})
    assert represent in page.content.decode()
    with run_on_commit(execute=True):
        response = client.post(represent)
    assert response.status_code == 302 and response["Location"] == personal
    made = Representative.objects.get(user__email__iexact="mariia@example.org")
    assert (made.status, made.source, made.language) == (S.PENDING, RepresentativeSource.REGISTRATION, "uk")
    assert made.organisation == registration.organisation
    email = OutgoingEmail.objects.get(kind="representative_requested")
    assert email.language == "uk" and "/uk/accounts/signin/" in email.body_text
    # Asking twice makes no second request.
    client.post(represent)
    assert Representative.objects.filter(user__email__iexact="mariia@example.org").count() == 1


def test_represent_with_a_wrong_token_is_404(client):
    assert client.post("/en/r/not-a-token/represent/").status_code == 404
