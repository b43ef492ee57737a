from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from civicmeet.events.services import event_interest_offers_set
from civicmeet.events.tests.factories import EventFactory, OrganisationFactory
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.programmes import services
from civicmeet.programmes.models import OfferSignUp, SignUpStatus
from civicmeet.registrations.models import Registration
from civicmeet.registrations.privacy import registration_erase

from .factories import make_offer, make_project, person, representative

pytestmark = pytest.mark.django_db


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def _form(**overrides):
    return {
        "name": "Olena Kovalenko",
        "email": "olena@example.org",
        "phone": "",
        "organisation_name": "Fundacja Zustricz",
        "language": "uk",
        "message": "",
        "consent": "on",
        **overrides,
    }


def test_programme_project_and_offer_pages(client, django_assert_max_num_queries):
    project = make_project()
    offer = make_offer(project, seats=2)
    make_offer(project, seats=None, title={"en": "Open consultations"})
    assert client.get(url("programmes:list")).status_code == 200
    page = client.get(url("programmes:programme", slug=project.programme.slug)).content.decode()
    assert "KOMM" in page
    with django_assert_max_num_queries(8):
        page = client.get(url("programmes:project", "uk", slug=project.slug)).content.decode()
    assert "Тренінг: як побудувати коаліцію" in page and "Open consultations" in page
    page = client.get(url("programmes:offer", "pl", pk=offer.pk)).content.decode()
    assert 'data-seats-left="2"' in page


def test_sign_up_on_the_page_redirects_to_the_personal_link_which_cancels(client):
    offer = make_offer(make_project(), seats=1)
    response = client.post(url("programmes:offer", "uk", pk=offer.pk), _form())
    assert response.status_code == 302
    signup = OfferSignUp.objects.get()
    assert signup.status == SignUpStatus.SIGNED_UP and signup.language == "uk"
    personal = client.get(response["Location"])
    assert personal.status_code == 200 and personal["Referrer-Policy"] == "strict-origin"
    client.post(response["Location"])
    signup.refresh_from_db()
    assert signup.status == SignUpStatus.CANCELLED
    assert client.get(url("programmes:signup", token="not-a-token")).status_code == 404


def test_when_full_the_page_says_so_and_the_sign_up_is_wait_listed(client):
    offer = make_offer(make_project(), seats=1)
    services.offer_signup(offer=offer, data=person(email="first@example.org"))
    page = client.get(url("programmes:offer", "en", pk=offer.pk)).content.decode()
    assert "All seats are taken" in page and "Join the waiting list" in page
    client.post(url("programmes:offer", "en", pk=offer.pk), _form())
    assert OfferSignUp.objects.get(email="olena@example.org").status == SignUpStatus.WAITLISTED


@pytest.mark.parametrize("language", ["pl", "uk"])
def test_bad_input_comes_back_with_errors_next_to_the_fields_and_kept(client, language):
    offer = make_offer(make_project())
    response = client.post(
        url("programmes:offer", language, pk=offer.pk), _form(email="olena@", phone="600", consent="")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_email_error"' in page and 'id="id_phone_error"' in page and 'id="id_consent_error"' in page
    assert 'value="Olena Kovalenko"' in page and 'value="olena@"' in page
    with translation.override(language):
        from django.utils.translation import gettext

        assert gettext("Enter a valid email address.") in page
    assert not OfferSignUp.objects.exists()


def test_the_team_sees_and_exports_sign_ups_another_organisation_does_not(client):
    project = make_project()
    member = representative(project.organisation, email="team@czulent.example.org")
    other = representative(OrganisationFactory(name="Fundacja Zustricz"), email="rep@zustricz.example.org")
    offer = make_offer(project)
    services.offer_signup(offer=offer, data=person(name='=HYPERLINK("http://evil")', phone="+48600123456"))
    for path in (
        url("programmes:signups", pk=offer.pk),
        url("programmes:signups_export", pk=offer.pk, fmt="csv"),
        url("programmes:signups_export", pk=offer.pk, fmt="xlsx"),
    ):
        assert client.get(path).status_code == 302  # anonymous: to the login
        client.force_login(other)
        assert client.get(path).status_code == 404
        client.force_login(member)
        assert client.get(path).status_code == 200
        client.logout()
    client.force_login(member)
    csv_text = client.get(url("programmes:signups_export", pk=offer.pk, fmt="csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "+48 600 123 456" in csv_text and "'+48" not in csv_text
    xlsx = client.get(url("programmes:signups_export", pk=offer.pk, fmt="xlsx")).content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    row = [cell.value for cell in sheet[2]]
    assert row[0] == '=HYPERLINK("http://evil")' and sheet["A2"].data_type == "s"
    assert row[2] == "+48 600 123 456" and row[5] == "Signed up"


def test_registration_interest_reaches_the_team_and_goes_with_the_erasure(client, organiser):
    project = make_project()
    member = representative(project.organisation, email="team@czulent.example.org", language="pl")
    offer = make_offer(project)
    event = EventFactory(organisers=[organiser], is_published=True)
    event_interest_offers_set(event=event, offers=[offer], actor=organiser)
    assert event.log_entries.filter(changes__has_key="interest_offers").exists()
    form_page = client.get(url("registrations:register", "uk", slug=event.slug)).content.decode()
    assert "Тренінг: як побудувати коаліцію" in form_page
    response = client.post(
        url("registrations:register", "uk", slug=event.slug),
        {
            "first_name": "Olena",
            "last_name": "Kovalenko",
            "email": "olena@example.org",
            "language": "uk",
            "organisation_name": "Fundacja Zustricz",
            "organisation_type": "migrant",
            "dietary": "none",
            "consent_processing": "on",
            "interest_offers": [str(offer.pk)],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    registration = Registration.objects.get()
    interest = OfferSignUp.objects.get(registration_id=registration.pk)
    assert interest.status == SignUpStatus.INTERESTED and interest.name == "Olena Kovalenko"
    assert OutgoingEmail.objects.filter(to="team@czulent.example.org", kind="programmes_signup_to_team").exists()
    client.force_login(member)
    listing = client.get(url("programmes:signups", pk=offer.pk)).content.decode()
    assert "Interested, from the registration for" in listing and "Olena Kovalenko" in listing
    client.logout()
    personal = client.get(url("registrations:personal", "uk", token=registration.token)).content.decode()
    assert url("programmes:offer", "uk", pk=offer.pk) in personal
    registration_erase(registration=registration, actor_kind="participant")
    assert not OfferSignUp.objects.filter(registration_id=registration.pk).exists()
    assert not OutgoingEmail.objects.filter(to="team@czulent.example.org").exists()
