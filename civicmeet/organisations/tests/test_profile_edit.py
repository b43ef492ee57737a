"""Editing the profile in the browser's way: who may, bad input in Polish and Ukrainian kept with
its errors next to the fields, names, logo, "still correct", and the moderators' review."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from civicmeet.core.visibility import Visibility
from civicmeet.organisations.models import (
    NameKind,
    Organisation,
    OrganisationAction,
    OrganisationLogEntry,
    OrganisationStatus,
)

from .profiles_setup import make_moderator, make_organisation, make_representative, page_url, profile_url

pytestmark = pytest.mark.django_db


def edit_url(organisation, language: str = "en") -> str:
    return page_url("directory:organisation_edit", language, pk=organisation.pk)


@pytest.fixture
def zustricz():
    return make_organisation("Fundacja Zustricz", city="Kraków", working_languages=["uk"])


@pytest.fixture
def rep(zustricz):
    return make_representative(zustricz, "olena@zustricz.example.org")


def form_data(**changes) -> dict:
    data = {
        "name": "Fundacja Zustricz",
        "short_name": "",
        "type": "migrant",
        "communities": ["ukrainian"],
        "working_languages": ["uk", "pl"],
        "description_pl": "Wspieramy migrantów z Ukrainy.",
        "description_uk": "",
        "description_en": "",
        "founded_year": "2013",
        "parent": "",
        "city": "Kraków",
        "region": "malopolskie",
        "area_served": "Kraków i okolice",
        "website": "zustricz.example.org",
        "contact_email": "biuro@zustricz.example.org",
        "contact_phone": "+48 600 123 456",
        "contact_other": "",
        "contact_visibility": Visibility.MEMBERS,
        "nip": "123-456-32-18",
        "regon": "",
        "krs": "",
        "visibility": Visibility.PUBLIC,
        "names-TOTAL_FORMS": "2",
        "names-INITIAL_FORMS": "0",
        "names-MIN_NUM_FORMS": "0",
        "names-MAX_NUM_FORMS": "20",
        "names-0-name": "Фонд «Зустріч»",
        "names-0-kind": NameKind.TRANSLATION,
        "names-0-language": "uk",
        "names-1-name": "",
        "names-1-kind": NameKind.TRANSLATION,
        "names-1-language": "",
    }
    data.update(changes)
    return data


def test_anonymous_is_sent_to_sign_in(client, zustricz):
    response = client.get(edit_url(zustricz))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_representative_of_another_organisation_is_refused(client, zustricz):
    client.force_login(make_representative(make_organisation("Stowarzyszenie Czulent"), "rep@czulent.example.org"))
    assert client.get(edit_url(zustricz)).status_code == 403
    assert client.post(edit_url(zustricz), form_data(city="Tarnów")).status_code == 403
    zustricz.refresh_from_db()
    assert zustricz.city == "Kraków"


def test_a_private_or_draft_profile_of_another_is_not_found(client):
    private = make_organisation("Prywatna", visibility=Visibility.PRIVATE)
    draft = make_organisation("Szkic", status=OrganisationStatus.DRAFT)
    client.force_login(make_representative(make_organisation("Inna"), "rep@inna.example.org"))
    assert client.get(edit_url(private)).status_code == 404
    assert client.get(edit_url(draft)).status_code == 404


def test_a_representative_saves_the_profile(client, zustricz, rep):
    client.force_login(rep)
    form = client.get(edit_url(zustricz)).content.decode()
    assert 'value="Fundacja Zustricz"' in form
    response = client.post(edit_url(zustricz), form_data())
    assert response.status_code == 302
    assert response["Location"] == profile_url(zustricz)
    zustricz.refresh_from_db()
    assert zustricz.nip == "1234563218"
    assert zustricz.website == "https://zustricz.example.org"
    assert zustricz.contact_phone == "+48600123456"
    assert zustricz.working_languages == ["pl", "uk"]
    assert zustricz.founded_year == 2013
    assert zustricz.last_checked_on == timezone.localdate()
    assert list(zustricz.names.values_list("name", "language")) == [("Фонд «Зустріч»", "uk")]
    assert OrganisationLogEntry.objects.get(organisation=zustricz).actor == rep


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("pl", "Ten NIP jest nieprawidłowy"),
        ("uk", "Цей NIP недійсний"),
    ],
)
def test_a_bad_nip_is_explained_next_to_the_field_and_everything_is_kept(client, zustricz, rep, language, message):
    client.force_login(rep)
    response = client.post(
        edit_url(zustricz, language), form_data(nip="123-456-32-19", city="Wieliczka", area_served="Powiat wielicki")
    )
    assert response.status_code == 200
    page = response.content.decode()
    error = page.index('id="id_nip_error"')
    assert message in page[error : error + 400]
    assert page.index('id="id_nip_error"') < page.index('name="nip"')
    assert 'value="123-456-32-19"' in page
    assert 'value="Wieliczka"' in page and 'value="Powiat wielicki"' in page
    assert 'value="Фонд «Зустріч»"' in page
    zustricz.refresh_from_db()
    assert zustricz.city == "Kraków" and zustricz.nip == ""


@pytest.mark.parametrize(
    ("changes", "field", "language", "message"),
    [
        ({"founded_year": "1799"}, "founded_year", "pl", "Podaj rok"),
        ({"founded_year": str(timezone.localdate().year + 1)}, "founded_year", "uk", "Вкажіть рік"),
        ({"working_languages": ["uk", "tlh"]}, "working_languages", "pl", "tlh"),
        ({"krs": "12ab"}, "krs", "uk", "KRS"),
        ({"regon": "123456789"}, "regon", "pl", "REGON"),
        ({"name": ""}, "name", "uk", ""),
    ],
)
def test_other_bad_input_is_refused_next_to_its_field(client, zustricz, rep, changes, field, language, message):
    client.force_login(rep)
    response = client.post(edit_url(zustricz, language), form_data(**changes))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    error = page.index(f'id="id_{field}_error"')
    assert message in page[error : error + 400]
    assert 'value="Kraków"' in page


def test_a_translated_name_needs_its_language_and_names_are_not_repeated(client, zustricz, rep):
    client.force_login(rep)
    page = client.post(edit_url(zustricz), form_data(**{"names-0-language": ""})).content.decode()
    error = page.index('id="id_names-0-language_error"')
    assert "Say which language this name is in." in page[error : error + 200]
    page = client.post(
        edit_url(zustricz), form_data(**{"names-1-name": "фонд «зустріч»", "names-1-language": "uk"})
    ).content.decode()
    error = page.index('id="id_names-1-name_error"')
    assert "This name is already in the list." in page[error : error + 200]
    assert zustricz.names.count() == 0


def test_the_parent_choices_leave_out_itself_its_members_and_drafts(client, zustricz, rep):
    member = make_organisation("Koło Członkowskie", parent=zustricz)
    make_organisation("Szkic", status=OrganisationStatus.DRAFT)
    federation = make_organisation("Federacja")
    client.force_login(rep)
    choices = client.get(edit_url(zustricz)).context["form"].fields["parent"].queryset
    assert list(choices) == [federation]
    response = client.post(edit_url(zustricz), form_data(parent=str(member.pk)))
    assert 'id="id_parent_error"' in response.content.decode()


def _png(width: int = 200, height: int = 100) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 90, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_a_logo_is_uploaded_and_removed(client, zustricz, rep):
    client.force_login(rep)
    client.post(edit_url(zustricz), {**form_data(), "logo": _png()})
    zustricz.refresh_from_db()
    assert zustricz.logo is not None and zustricz.logo.variants.count() >= 1
    entry = OrganisationLogEntry.objects.filter(organisation=zustricz).first()
    assert entry.changes["logo"] == [None, zustricz.logo_id]
    assert "<img" in client.get(profile_url(zustricz)).content.decode()
    client.post(edit_url(zustricz), form_data(remove_logo="on"))
    zustricz.refresh_from_db()
    assert zustricz.logo is None


def test_a_file_that_is_not_a_picture_is_refused_next_to_the_field(client, zustricz, rep):
    client.force_login(rep)
    upload = SimpleUploadedFile("logo.png", b"not a picture", content_type="image/png")
    page = client.post(edit_url(zustricz, "uk"), {**form_data(), "logo": upload}).content.decode()
    assert 'id="id_logo_error"' in page
    zustricz.refresh_from_db()
    assert zustricz.logo is None


def test_still_correct_button(client, zustricz, rep):
    url = page_url("directory:organisation_checked", pk=zustricz.pk)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302  # to sign in
    client.force_login(make_representative(make_organisation("Inna"), "rep@inna.example.org"))
    assert client.post(url).status_code == 403
    client.force_login(rep)
    response = client.post(url)
    assert response["Location"] == profile_url(zustricz)
    zustricz.refresh_from_db()
    assert zustricz.last_checked_on == timezone.localdate()
    assert OrganisationLogEntry.objects.get(organisation=zustricz).action == OrganisationAction.CHECKED


# -- The moderators' review -------------------------------------------------------------------------


def test_the_review_queue_is_for_moderators(client, rep):
    url = page_url("directory:review")
    assert client.get(url).status_code == 302
    client.force_login(rep)
    assert client.get(url).status_code == 404


def test_the_review_queue_lists_drafts_with_their_registrations(client, event, django_assert_max_num_queries):
    from civicmeet.registrations.tests.factories import submit

    submit(event, organisation_name="Fundacja Nowa", organisation_type="migrant", email="a@example.org")
    submit(event, organisation_name="fundacja nowa", organisation_type="migrant", email="b@example.org")
    make_organisation("Opublikowana")
    client.force_login(make_moderator())
    with django_assert_max_num_queries(12):
        response = client.get(page_url("directory:review", "pl"))
    drafts = response.context["drafts"]
    assert [(draft["name"], draft["registration_count"]) for draft in drafts] == [("Fundacja Nowa", 2)]
    page = response.content.decode()
    draft_pk = drafts[0]["organisation"].pk
    assert page_url("directory:organisation_publish", "pl", pk=draft_pk) in page
    assert f"{page_url('directory:duplicates', 'pl')}#dup-{draft_pk}" in page


def test_publish_and_unpublish_from_the_queue(client):
    draft = make_organisation("Fundacja Nowa", status=OrganisationStatus.DRAFT)
    publish = page_url("directory:organisation_publish", pk=draft.pk)
    unpublish = page_url("directory:organisation_unpublish", pk=draft.pk)
    assert client.get(publish).status_code == 405
    client.force_login(make_representative(draft, "founder@nowa.example.org"))
    assert client.post(publish).status_code == 404
    client.force_login(make_moderator())
    response = client.post(publish, {"next": page_url("directory:review")})
    assert response["Location"] == page_url("directory:review")
    assert Organisation.objects.get(pk=draft.pk).status == OrganisationStatus.PUBLISHED
    response = client.post(unpublish)
    assert response["Location"] == profile_url(draft)
    assert Organisation.objects.get(pk=draft.pk).status == OrganisationStatus.DRAFT
    response = client.post(unpublish, follow=True)
    assert "already a draft" in response.content.decode()
