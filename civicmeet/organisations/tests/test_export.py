"""The directory's export: only what the reader may see, contacts as each organisation chose, no formulas."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.utils import translation
from django.utils.text import capfirst
from openpyxl import load_workbook

from civicmeet.core.visibility import Visibility
from civicmeet.events.tests.factories import OrganisationFactory, UserFactory
from civicmeet.organisations.exports import hsds_id
from civicmeet.organisations.models import Organisation, OrganisationStatus, Representative, RepresentativeStatus

from .data_fixtures import moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    public = OrganisationFactory(
        name="Fundacja Zustricz",
        status=OrganisationStatus.PUBLISHED,
        contact_email="kontakt@zustricz.example.org",
        contact_phone="+48600123456",
        contact_visibility=Visibility.PUBLIC,
        nip="1234563218",
        founded_year=2016,
        description_pl='=HYPERLINK("http://evil.example/")',
        working_languages=["pl", "uk"],
    )
    public.names.create(name="Зустріч", language="uk")
    members_contact = OrganisationFactory(
        name="Czulent",
        status=OrganisationStatus.PUBLISHED,
        contact_email="czulent@example.org",
        contact_visibility=Visibility.MEMBERS,
        parent=public,
    )
    OrganisationFactory(name="Szkic", status=OrganisationStatus.DRAFT)
    OrganisationFactory(name="Dla członków", status=OrganisationStatus.PUBLISHED, visibility=Visibility.MEMBERS)
    return public, members_contact


def _csv_rows(client, language="en"):
    response = client.get(f"/{language}/network/export/organisations.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_anonymous_export_holds_published_public_profiles_and_public_contacts_only(client, directory):
    rows = _csv_rows(client)
    header, body = rows[0], rows[1:]
    assert [row[0] for row in body] == ["Czulent", "Fundacja Zustricz"]
    email = header.index("Contact email")
    phone = header.index("Contact phone")
    by_name = {row[0]: row for row in body}
    assert by_name["Fundacja Zustricz"][email] == "kontakt@zustricz.example.org"
    assert by_name["Fundacja Zustricz"][phone] == "+48 600 123 456"  # written for people, no apostrophe
    assert by_name["Czulent"][email] == ""  # members only
    assert by_name["Czulent"][header.index("Member of (federation or coalition)")] == "Fundacja Zustricz"
    description = by_name["Fundacja Zustricz"][header.index("Description in Polish")]
    assert description.startswith("'=HYPERLINK")  # a formula stays text


def test_members_see_members_contacts_and_profiles(client, directory):
    public, members_contact = directory
    representative = UserFactory()
    Representative.objects.create(
        organisation=public, user=representative, status=RepresentativeStatus.APPROVED, source="invitation"
    )
    client.force_login(representative)
    by_name = {row[0]: row for row in _csv_rows(client)[1:]}
    assert set(by_name) == {"Czulent", "Fundacja Zustricz", "Dla członków"}
    assert "czulent@example.org" in by_name["Czulent"]


def test_xlsx_cells_are_strings_never_formulas(client, directory):
    response = client.get("/pl/network/export/organisations.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    assert header[0] == "Nazwa"
    zustricz = next(row for row in rows[1:] if row[0].value == "Fundacja Zustricz")
    with translation.override("pl"):
        label = capfirst(str(Organisation._meta.get_field("description_pl").verbose_name))
    cell = zustricz[header.index(label)]
    assert cell.value == '=HYPERLINK("http://evil.example/")' and cell.data_type == "s"


def test_json_follows_hsds_organization_fields(client, directory):
    public, members_contact = directory
    data = json.loads(client.get("/en/network/export/organisations.json").content)
    organisations = {item["name"]: item for item in data["organizations"]}
    zustricz = organisations["Fundacja Zustricz"]
    assert zustricz["id"] == hsds_id(public.pk)
    assert zustricz["tax_id"] == "1234563218"
    assert zustricz["year_incorporated"] == 2016
    assert zustricz["email"] == "kontakt@zustricz.example.org"
    assert zustricz["organization_identifiers"][0]["identifier_type"] == "NIP"
    assert zustricz["x-civicmeet"]["languages"] == ["pl", "uk"]
    assert zustricz["x-civicmeet"]["names"] == [{"name": "Зустріч", "language": "uk", "kind": "translation"}]
    assert organisations["Czulent"]["email"] is None
    assert organisations["Czulent"]["parent_organization_id"] == hsds_id(public.pk)


def test_export_costs_the_same_queries_for_any_size(client, directory, django_assert_max_num_queries):
    client.force_login(moderator())
    for number in range(30):
        organisation = OrganisationFactory(name=f"Organizacja {number}", status=OrganisationStatus.PUBLISHED)
        organisation.names.create(name=f"Організація {number}", language="uk")
    with django_assert_max_num_queries(12):
        rows = _csv_rows(client)
    assert len(rows) == 1 + 2 + 1 + 30
    with django_assert_max_num_queries(12):
        client.get("/en/network/export/organisations.json")


def test_the_export_page_and_files_answer_get_only(client, directory):
    assert client.get("/uk/network/export/").status_code == 200
    assert client.post("/en/network/export/organisations.csv").status_code == 405
