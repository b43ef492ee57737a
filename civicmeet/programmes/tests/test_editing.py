"""The team's and the moderators' editing: services' refusals (seats already held, reopening a
cancelled offer), the cancellation emails, and the pages (who may, errors next to the field in
the reader's language with the form kept, history)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from civicmeet.events.tests.factories import OrganisationFactory, UserFactory
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.organisations.tests.profiles_setup import make_moderator
from civicmeet.programmes import services
from civicmeet.programmes.models import (
    OfferStatus,
    Programme,
    ProgrammeAction,
    ProgrammeLogEntry,
    Project,
    ProjectOffer,
    SignUpStatus,
)

from .factories import make_offer, make_project, person, representative

pytestmark = pytest.mark.django_db


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def team():
    """KOMM run by Czulent, whose approved representative writes in Ukrainian."""
    organisation = OrganisationFactory(name="Żydowskie Stowarzyszenie Czulent", city="Kraków")
    project = make_project(organisation=organisation)
    user = representative(organisation, email="rep@czulent.example.org", language="uk")
    return project, user


def offer_form(**overrides):
    starts = (timezone.localtime() + timedelta(days=30)).replace(second=0, microsecond=0)
    return {
        "kind": "workshop",
        "title_pl": "Warsztaty rzecznictwa",
        "title_uk": "Семінар з адвокації",
        "title_en": "",
        "description_pl": "",
        "description_uk": "",
        "description_en": "",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "signup_until": "",
        "address": "ul. Szeroka 1",
        "city": "Kraków",
        "region": "malopolskie",
        "languages": ["pl", "uk"],
        "seats": "12",
        "visibility": "public",
        "status": "open",
        **overrides,
    }


def offer_form_of(offer: ProjectOffer, **overrides):
    """The edit form as the page fills it for `offer`, with `overrides`."""
    local = timezone.localtime
    data = offer_form(
        kind=offer.kind,
        title_pl=offer.title.get("pl", ""),
        title_uk=offer.title.get("uk", ""),
        title_en=offer.title.get("en", ""),
        starts_at=local(offer.starts_at).strftime("%Y-%m-%dT%H:%M") if offer.starts_at else "",
        ends_at=local(offer.ends_at).strftime("%Y-%m-%dT%H:%M") if offer.ends_at else "",
        address=offer.address,
        city=offer.city,
        region=offer.region,
        languages=offer.languages,
        seats=str(offer.seats or ""),
        visibility=offer.visibility,
        status=offer.status,
    )
    data.update(overrides)
    return data


# -- Services ---------------------------------------------------------------------------------------


def test_lowering_the_seats_below_those_held_is_refused_and_changes_nothing():
    offer = make_offer(make_project(), seats=3)
    for number in range(2):
        services.offer_signup(offer=offer, data=person(email=f"p{number}@example.org"))
    with translation.override("pl"), pytest.raises(ValidationError) as refused:
        services.offer_save(offer=offer, data={"seats": 1})
    assert "2 osoby" in refused.value.message_dict["seats"][0]
    offer.refresh_from_db()
    assert offer.seats == 3
    assert not ProgrammeLogEntry.objects.filter(action=ProgrammeAction.OFFER_CHANGED).exists()
    # Down to exactly the seats held is fine.
    services.offer_save(offer=offer, data={"seats": 2})
    offer.refresh_from_db()
    assert offer.seats == 2


def test_cancelling_emails_everyone_signed_up_waiting_or_interested_in_their_language():
    offer = make_offer(make_project(), seats=1)
    services.offer_signup(offer=offer, data=person(name="Olena", email="olena@example.org", language="uk"))
    services.offer_signup(offer=offer, data=person(name="Anna", email="anna@example.org", language="pl"))
    gone, _token = services.offer_signup(offer=offer, data=person(name="Ben", email="ben@example.org", language="en"))
    services.signup_cancel(signup=gone)
    OutgoingEmail.objects.all().delete()
    services.offer_save(offer=offer, data={"status": OfferStatus.CANCELLED})
    emails = {email.to: email for email in OutgoingEmail.objects.filter(kind="programmes_offer_cancelled_to_person")}
    assert set(emails) == {"olena@example.org", "anna@example.org"}  # not the one who had cancelled
    assert "скасовано" in emails["olena@example.org"].body_text.lower()
    assert "odwołana" in emails["anna@example.org"].body_text.lower()
    assert "/uk/projects/komm/" in emails["olena@example.org"].body_text
    log = ProgrammeLogEntry.objects.get(action=ProgrammeAction.OFFER_CHANGED)
    assert log.changes["status"] == ["open", "cancelled"]
    # Saving the cancelled offer again tells nobody again; it cannot be reopened.
    OutgoingEmail.objects.all().delete()
    services.offer_save(offer=offer, data={"city": "Tarnów"})
    assert not OutgoingEmail.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.offer_save(offer=offer, data={"status": OfferStatus.OPEN})
    assert "status" in refused.value.message_dict


def test_a_new_offer_cannot_start_cancelled_and_a_taken_project_address_is_refused():
    project = make_project()
    with pytest.raises(ValidationError) as refused:
        make_offer(project, status=OfferStatus.CANCELLED)
    assert "status" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.project_save(
            programme=project.programme, organisation=project.organisation, slug="komm", data={"title": {"pl": "X"}}
        )
    assert "slug" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.programme_create(slug=project.programme.slug, data={"name": {"pl": "X"}})
    assert "slug" in refused.value.message_dict


# -- Pages: who may -----------------------------------------------------------------------------


def test_editing_pages_are_404_for_outsiders_and_partners_and_ask_anonymous_to_sign_in(client, team):
    project, _user = team
    offer = make_offer(project)
    partner = OrganisationFactory(name="Fundacja Partnerska")
    services.project_save(project=project, data={}, partners=[partner])
    pages = [
        url("programmes:project_edit", slug=project.slug),
        url("programmes:offer_new", slug=project.slug),
        url("programmes:offer_edit", pk=offer.pk),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 302 and "/accounts/signin/" in response["Location"]
    outsiders = [
        UserFactory(email="someone@example.org"),
        representative(partner, email="rep@partner.example.org"),
        representative(OrganisationFactory(name="Inna"), email="rep@inna.example.org"),
    ]
    for outsider in outsiders:
        client.force_login(outsider)
        for page in pages:
            assert client.get(page).status_code == 404
            assert client.post(page, offer_form()).status_code == 404
        for page in (url("programmes:programme_new"), url("programmes:project_new", slug=project.programme.slug)):
            assert client.get(page).status_code == 404
    assert ProjectOffer.objects.count() == 1
    offer.refresh_from_db()
    assert offer.title["pl"] == "Szkolenie: jak zbudować koalicję"


def test_the_project_and_offer_pages_link_the_team_to_editing(client, team):
    project, user = team
    offer = make_offer(project)
    page = client.get(url("programmes:project", slug=project.slug)).content.decode()
    assert url("programmes:offer_new", slug=project.slug) not in page
    client.force_login(user)
    page = client.get(url("programmes:project", slug=project.slug)).content.decode()
    assert url("programmes:offer_new", slug=project.slug) in page
    assert url("programmes:project_edit", slug=project.slug) in page
    assert url("programmes:offer_edit", pk=offer.pk) in page
    page = client.get(url("programmes:offer", pk=offer.pk)).content.decode()
    assert url("programmes:offer_edit", pk=offer.pk) in page


# -- Pages: the team adds and edits offers --------------------------------------------------------


def test_the_team_adds_an_offer(client, team):
    project, user = team
    client.force_login(user)
    assert client.get(url("programmes:offer_new", "uk", slug=project.slug)).status_code == 200
    data = offer_form()
    response = client.post(url("programmes:offer_new", "uk", slug=project.slug), data)
    offer = ProjectOffer.objects.get()
    assert response.status_code == 302 and response["Location"] == url("programmes:offer", "uk", pk=offer.pk)
    assert offer.title == {"pl": "Warsztaty rzecznictwa", "uk": "Семінар з адвокації"}
    assert offer.seats == 12 and offer.languages == ["pl", "uk"] and offer.kind == "workshop"
    # Typed as the wall-clock time in Poland (the site's zone).
    assert timezone.localtime(offer.starts_at).strftime("%Y-%m-%dT%H:%M") == data["starts_at"]
    entry = ProgrammeLogEntry.objects.get(action=ProgrammeAction.OFFER_CREATED)
    assert entry.actor == user and entry.offer_id == offer.pk
    page = client.get(response["Location"]).content.decode()
    assert "Семінар з адвокації" in page


def test_dates_to_be_agreed_and_online_without_a_place(client, team):
    project, user = team
    client.force_login(user)
    client.post(
        url("programmes:offer_new", slug=project.slug),
        offer_form(starts_at="", ends_at="", address="", city="", region="", online="on", seats=""),
    )
    offer = ProjectOffer.objects.get()
    assert offer.starts_at is None and offer.online and offer.seats is None
    page = client.get(url("programmes:offer", pk=offer.pk)).content.decode()
    assert "Dates to be agreed" in page and "No limit" in page


@pytest.mark.parametrize(
    ("language", "overrides", "field", "message"),
    [
        ("uk", {"title_pl": "", "title_uk": ""}, "title_uk", "Заповніть це поле хоча б однією мовою"),
        ("pl", {"city": "", "address": ""}, "city", "Podaj miasto lub adres"),
        ("uk", {"starts_at": "завтра"}, "starts_at", "Введіть дату й час"),
        ("en", {"seats": "0"}, "seats", "Ensure this value is greater than or equal to 1"),
        ("pl", {"languages": ["pl", "xx"]}, "languages", "xx"),
    ],
)
def test_bad_input_comes_back_next_to_the_field_in_the_readers_language_and_kept(
    client, team, language, overrides, field, message
):
    project, user = team
    client.force_login(user)
    data = offer_form(**overrides)
    response = client.post(url("programmes:offer_new", language, slug=project.slug), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page or f'id="id_{field}_0_error"' in page or "errorlist" in page
    assert 'value="ul. Szeroka 1"' in page or not data["address"]
    assert "Warsztaty rzecznictwa" in page or not data["title_pl"]
    assert not ProjectOffer.objects.exists()


def test_ends_before_start_is_refused_by_the_service_next_to_the_field(client, team):
    project, user = team
    client.force_login(user)
    data = offer_form()
    data["ends_at"], data["starts_at"] = data["starts_at"], data["ends_at"]
    response = client.post(url("programmes:offer_new", "pl", slug=project.slug), data)
    assert response.status_code == 400
    assert response.context["form"].errors["ends_at"] == ["Oferta nie może się skończyć, zanim się zacznie."]


def test_lowering_seats_below_those_held_on_the_page_is_explained_and_kept(client, team):
    project, user = team
    offer = make_offer(project, seats=3)
    for number in range(2):
        services.offer_signup(offer=offer, data=person(email=f"p{number}@example.org"))
    client.force_login(user)
    page = client.get(url("programmes:offer_edit", "uk", pk=offer.pk)).content.decode()
    assert "2 людини" in page or "2 особи" in page  # how many hold a seat now
    response = client.post(url("programmes:offer_edit", "uk", pk=offer.pk), offer_form_of(offer, seats="1"))
    assert response.status_code == 400
    assert "2" in response.context["form"].errors["seats"][0]
    assert 'name="seats" value="1"' in response.content.decode()
    offer.refresh_from_db()
    assert offer.seats == 3


def test_the_team_cancels_an_offer_and_the_people_are_told(client, team):
    project, user = team
    offer = make_offer(project, seats=5)
    signup, token = services.offer_signup(offer=offer, data=person(email="olena@example.org", language="uk"))
    client.force_login(user)
    response = client.post(url("programmes:offer_edit", pk=offer.pk), offer_form_of(offer, status="cancelled"))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == OfferStatus.CANCELLED
    email = OutgoingEmail.objects.get(kind="programmes_offer_cancelled_to_person")
    assert email.to == "olena@example.org" and email.language == "uk"
    personal = client.get(url("programmes:signup", "uk", token=token)).content.decode()
    assert "скасовано" in personal.lower()
    assert "Скасувати мою реєстрацію" not in personal
    # The offer leaves the project's page and the profile section.
    page = client.get(url("programmes:project", slug=project.slug)).content.decode()
    assert url("programmes:offer", pk=offer.pk) not in page


def test_the_team_edits_the_project_with_history(client, team):
    project, user = team
    partner = OrganisationFactory(name="Fundacja Partnerska")
    client.force_login(user)
    page = client.get(url("programmes:project_edit", slug=project.slug)).content.decode()
    assert 'value="Koalicja organizacji mniejszości"' in page
    data = {
        "title_pl": "Koalicja organizacji mniejszości",
        "title_uk": "Коаліція організацій меншин",
        "title_en": "Coalition of minority organisations",
        "description_pl": "",
        "description_uk": "",
        "description_en": "",
        "short_name": "KOMM",
        "website": "",
        "starts_on": "2025-01-01",
        "ends_on": "2024-12-31",
        "visibility": "public",
        "partners": "Fundacja Partnerska\nFundacja Nieznana",
    }
    response = client.post(url("programmes:project_edit", "pl", slug=project.slug), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Fundacja Nieznana" in errors["partners"][0] and "Nie znamy" in errors["partners"][0]
    data["partners"] = "fundacja  partnerska"
    response = client.post(url("programmes:project_edit", "pl", slug=project.slug), data)
    assert response.status_code == 400
    assert response.context["form"].errors["ends_on"] == ["Projekt nie może się skończyć, zanim się zacznie."]
    data["ends_on"] = "2026-12-31"
    response = client.post(url("programmes:project_edit", "pl", slug=project.slug), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title["en"] == "Coalition of minority organisations"
    assert list(project.partners.all()) == [partner]
    entry = ProgrammeLogEntry.objects.filter(action=ProgrammeAction.PROJECT_CHANGED).get()
    assert entry.actor == user
    assert entry.changes["partners"] == [[], ["Fundacja Partnerska"]]
    assert set(entry.changes) >= {"title", "starts_on", "ends_on", "partners"}
    page = client.get(url("programmes:project_edit", slug=project.slug)).content.decode()
    assert "Project changed" in page  # the history on the page


# -- Pages: moderators create programmes and projects ---------------------------------------------


def test_a_moderator_creates_a_programme_and_a_project_for_an_organisation(client):
    organisation = OrganisationFactory(name="Fundacja Zustricz")
    moderator = make_moderator()
    client.force_login(moderator)
    page = client.get(url("programmes:list")).content.decode()
    assert url("programmes:programme_new") in page
    data = {
        "slug": "fio",
        "name_pl": "",
        "name_uk": "",
        "name_en": "",
        "description_pl": "",
        "description_uk": "",
        "description_en": "",
        "funder": "",
        "operator": "NIW",
        "website": "",
    }
    response = client.post(url("programmes:programme_new", "uk"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["name_uk"] == ["Заповніть це поле хоча б однією мовою."]
    assert 'value="NIW"' in response.content.decode()
    data["name_pl"] = "Fundusz Inicjatyw Obywatelskich"
    response = client.post(url("programmes:programme_new"), data)
    assert response.status_code == 302
    programme = Programme.objects.get(slug="fio")
    assert programme.name == {"pl": "Fundusz Inicjatyw Obywatelskich"} and programme.operator == "NIW"
    assert client.post(url("programmes:programme_new"), data).status_code == 400  # the address is taken

    page = client.get(url("programmes:programme", slug="fio")).content.decode()
    assert url("programmes:project_new", slug="fio") in page
    project_data = {
        "slug": "razem",
        "organisation": "Fundacja Nieznana",
        "title_pl": "Razem",
        "title_uk": "",
        "title_en": "",
        "description_pl": "",
        "description_uk": "",
        "description_en": "",
        "short_name": "RAZEM",
        "website": "",
        "starts_on": "",
        "ends_on": "",
        "visibility": "members",
        "partners": "",
    }
    response = client.post(url("programmes:project_new", "pl", slug="fio"), project_data)
    assert response.status_code == 400
    assert "Nie znamy tej organizacji" in response.context["form"].errors["organisation"][0]
    project_data["organisation"] = "fundacja zustricz"
    response = client.post(url("programmes:project_new", slug="fio"), project_data)
    assert response.status_code == 302
    project = Project.objects.get(slug="razem")
    assert project.organisation == organisation and project.programme == programme
    assert project.visibility == "members"
    assert ProgrammeLogEntry.objects.get(project=project).action == ProgrammeAction.PROJECT_CREATED
    # The organisation's representatives are now its team.
    rep = representative(organisation, email="rep@zustricz.example.org")
    client.force_login(rep)
    assert client.get(url("programmes:offer_new", slug="razem")).status_code == 200


def test_seats_taken_count_and_signups_stay_after_an_edit(client, team):
    project, user = team
    offer = make_offer(project, seats=1)
    services.offer_signup(offer=offer, data=person(email="a@example.org"))
    waiting, _t = services.offer_signup(offer=offer, data=person(email="b@example.org"))
    client.force_login(user)
    response = client.post(url("programmes:offer_edit", pk=offer.pk), offer_form_of(offer, seats="2"))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == SignUpStatus.SIGNED_UP  # the new seat went to the person waiting
