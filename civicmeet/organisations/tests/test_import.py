"""Import from CSV/XLSX: the dry run row by row, applying exactly what it showed, bad files."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from civicmeet.events.tests.factories import OrganisationFactory, UserFactory
from civicmeet.organisations.imports import (
    MAX_ROWS,
    Action,
    ImportFileError,
    PlanChanged,
    import_plan,
    organisations_import,
    plan_sign,
    spreadsheet_read,
)
from civicmeet.organisations.models import (
    NameKind,
    Organisation,
    OrganisationAction,
    OrganisationLogEntry,
    OrganisationStatus,
    OrganisationType,
)

from .data_fixtures import moderator

pytestmark = pytest.mark.django_db

HEADER = "Nazwa;Typ;Miasto;Województwo;NIP;E-mail;Strona internetowa;Telefon;Społeczności;Języki;Inne nazwy"
GOOD = [
    "Fundacja Nowy Dom;migrancka;Kraków;małopolskie;;biuro@nowydom.example.org;nowydom.example.org;600 123 456;ukraińska;pl, uk;Новий дім",
    "Stowarzyszenie Łemków;mniejszość etniczna;Gorlice;malopolskie;;;;;Łemkowska;polski;",
]
BAD = [
    ";migrancka;Kraków;;;;;;;;",
    "Fundacja Zła;nieznany;Kraków;mazurskie;123-456-32-19;nie-email;;12;;;",
]


def _csv(lines: list[str], *, encoding: str = "utf-8-sig") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _plan(data: bytes, filename: str = "lista.csv"):
    sheet = spreadsheet_read(data=data, filename=filename)
    return sheet, import_plan(sheet)


def test_dry_run_lists_each_row_with_what_would_happen_and_why():
    _sheet, plans = _plan(_csv([HEADER, *GOOD, *BAD]))
    assert [(p.line, p.action) for p in plans] == [(2, "create"), (3, "create"), (4, "refuse"), (5, "refuse")]
    assert plans[0].values["contact_phone"] == "+48600123456"
    assert plans[0].values["website"] == "https://nowydom.example.org"
    assert plans[0].values["working_languages"] == ["pl", "uk"]
    with translation.override("en"):
        _sheet, plans = _plan(_csv([HEADER, *BAD]))
    assert plans[0].reasons == ["The name is missing."]
    reasons = " | ".join(plans[1].reasons)
    assert "Unknown type “nieznany”" in reasons
    assert "Unknown region “mazurskie”" in reasons
    assert "NIP “123-456-32-19”: This NIP is not valid: its check digit does not match" in reasons
    assert "“nie-email” is not an email address." in reasons
    assert "Phone “12”" in reasons
    assert Organisation.objects.count() == 0  # a dry run changes nothing


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("pl", "Brakuje nazwy."),
        ("uk", "Бракує назви."),
    ],
)
def test_refusals_are_explained_in_the_readers_language(language, expected):
    with translation.override(language):
        _sheet, plans = _plan(_csv([HEADER, BAD[0]]))
    assert plans[0].reasons == [expected]


def test_rows_are_matched_by_nip_then_name_or_variant_and_only_filled_cells_are_written():
    by_nip = OrganisationFactory(name="Fundacja Inna Nazwa", nip="1234563218", city="Kraków")
    by_variant = OrganisationFactory(name="Fundacja Zustricz", city="Kraków")
    by_variant.names.create(name="Зустріч", language="uk")
    _sheet, plans = _plan(
        _csv(["Nazwa;NIP;Miasto;Rok założenia", "Fundacja Całkiem Nowa;1234563218;;2001", "зустріч;;Tarnów;"])
    )
    assert [(p.action, p.target) for p in plans] == [("update", by_nip), ("update", by_variant)]
    assert plans[0].values == {"nip": "1234563218", "founded_year": 2001}  # the empty city is not written


def test_a_likely_duplicate_and_a_repeat_within_the_file_are_refused():
    OrganisationFactory(name="Fundacja Zustricz")
    with translation.override("en"):
        _sheet, plans = _plan(_csv(["Name;Type", "Fundacja „Zustriczz”;migrant", "Nowa;migrant", "NOWA;migrant"]))
    assert plans[0].action == Action.REFUSE
    assert "Probably the same organisation as “Fundacja Zustricz”" in plans[0].reasons[0]
    assert [p.action for p in plans[1:]] == [Action.CREATE, Action.REFUSE]
    assert "row 3" in plans[2].reasons[0]


def test_import_applies_exactly_the_dry_run_with_history_rows():
    actor = moderator()
    existing = OrganisationFactory(name="Stowarzyszenie Łemków", city="")
    sheet, plans = _plan(_csv([HEADER, *GOOD, *BAD]))
    result = organisations_import(token=plan_sign(sheet, plans), actor=actor, status=OrganisationStatus.PUBLISHED)
    assert [o.name for o in result.created] == ["Fundacja Nowy Dom"]
    assert result.updated == [existing] and result.refused == 2
    created = Organisation.objects.get(name="Fundacja Nowy Dom")
    assert created.status == OrganisationStatus.PUBLISHED
    assert created.type == OrganisationType.MIGRANT
    assert [c.slug for c in created.communities.all()] == ["ukrainian"]
    assert created.names.get().kind == NameKind.ALTERNATE
    existing.refresh_from_db()
    assert existing.city == "Gorlice"
    log = OrganisationLogEntry.objects.filter(action=OrganisationAction.IMPORTED, actor=actor)
    assert log.count() == 2
    assert log.get(organisation=existing).changes["fields"]["city"] == ["", "Gorlice"]


def test_a_directory_changed_since_the_dry_run_applies_nothing_and_shows_the_new_plan():
    actor = moderator()
    sheet, plans = _plan(_csv(["Nazwa;Typ", "Fundacja Nowy Dom;migrancka"]))
    token = plan_sign(sheet, plans)
    OrganisationFactory(name="Fundacja Nowy Dom")  # someone added it meanwhile
    with pytest.raises(PlanChanged) as changed:
        organisations_import(token=token, actor=actor, status=OrganisationStatus.DRAFT)
    assert changed.value.plans[0].action == Action.UPDATE
    assert Organisation.objects.count() == 1


def test_a_tampered_plan_and_a_non_moderator_are_refused():
    sheet, plans = _plan(_csv(["Nazwa;Typ", "Nowa;migrancka"]))
    token = plan_sign(sheet, plans)
    with pytest.raises(ImportFileError):
        organisations_import(token=token[:-2] + "xx", actor=moderator(), status="draft")
    from civicmeet.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        organisations_import(token=token, actor=UserFactory(), status="draft")
    assert not Organisation.objects.exists()


def test_csv_as_excel_in_poland_writes_it_and_xlsx_are_read():
    cp1250 = _csv(["Nazwa;Typ;Miasto", "Związek Łemków;inna;Łódź"], encoding="cp1250")
    utf8_commas = _csv(["Name,Type,City", '"Związek Łemków, oddział",other,Łódź'], encoding="utf-8")
    workbook = Workbook()
    workbook.active.append(["Name", "Type", "NIP", "Year founded"])
    workbook.active.append(["Związek Łemków", "Other organisation", 1234563218, 1990])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert spreadsheet_read(data=cp1250, filename="a.csv").rows == [
        (2, {"name": "Związek Łemków", "type": "inna", "city": "Łódź"})
    ]
    assert spreadsheet_read(data=utf8_commas, filename="a.csv").rows[0][1]["name"] == "Związek Łemków, oddział"
    sheet = spreadsheet_read(data=buffer.getvalue(), filename="a.xlsx")
    plans = import_plan(sheet)
    assert plans[0].action == Action.CREATE
    assert plans[0].values == {"type": "other", "nip": "1234563218", "founded_year": 1990}


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.csv", "The file is empty."),
        (b"\xd0\xcf\x11\xe0rest", "a.xls", "This is an old Excel file (XLS)"),
        (b"PK\x03\x04broken", "a.xlsx", "The XLSX file could not be read"),
        (b"%PDF-1.4", "a.pdf", "Upload a CSV or XLSX file."),
        (b"Miasto;Typ\r\nKrak\xc3\xb3w;inna\r\n", "a.csv", "No column is called “Nazwa” or “Name”"),
        (("Nazwa\r\n" + "x\r\n" * (MAX_ROWS + 1)).encode(), "a.csv", "more than 1000 rows"),
    ],
)
def test_bad_files_get_a_clear_error(data, filename, message):
    with translation.override("en"), pytest.raises(ImportFileError) as error:
        spreadsheet_read(data=data, filename=filename)
    assert message in error.value.message


# -- The pages ------------------------------------------------------------------------------------


@pytest.fixture
def moderator_client(client):
    client.force_login(moderator())
    return client


def _upload(client, data: bytes, filename: str = "lista.csv", language: str = "pl", status: str = "draft"):
    return client.post(
        f"/{language}/network/import/",
        {"file": SimpleUploadedFile(filename, data), "status": status},
    )


def test_upload_shows_the_dry_run_and_the_apply_button_imports_it(moderator_client):
    response = _upload(moderator_client, _csv([HEADER, *GOOD, *BAD]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('data-action="create"') == 2 and page.count('data-action="refuse"') == 2
    assert "Brakuje nazwy." in page
    assert Organisation.objects.count() == 0
    plan = re.search(r'name="plan" value="([^"]+)"', page).group(1)
    response = moderator_client.post("/pl/network/import/apply/", {"plan": plan, "status": "draft"})
    assert response.status_code == 200
    assert set(Organisation.objects.values_list("name", "status")) == {
        ("Fundacja Nowy Dom", "draft"),
        ("Stowarzyszenie Łemków", "draft"),
    }
    # The same dry run sent again does not import twice: it is a different plan now.
    again = moderator_client.post("/pl/network/import/apply/", {"plan": plan, "status": "draft"})
    assert again.status_code == 409
    assert Organisation.objects.count() == 2


def test_a_wrong_file_comes_back_with_the_error_next_to_the_field_in_ukrainian(moderator_client):
    response = _upload(moderator_client, b"%PDF-1.4 nothing", filename="scan.pdf", language="uk", status="published")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_file_error"' in page
    with translation.override("uk"):
        from django.utils.translation import gettext

        assert gettext("Upload a CSV or XLSX file.") in page
    assert re.search(r'value="published"[^>]*checked', page)  # the choice kept


def test_a_file_too_large_is_refused_by_its_size_with_the_form_kept(moderator_client):
    response = _upload(moderator_client, b"Nazwa\r\n" + b"x" * (2 * 1024 * 1024), status="published")
    page = response.content.decode()
    assert "Plik jest większy niż 2 MB. Podziel go na mniejsze pliki." in page
    assert re.search(r'value="published"[^>]*checked', page)  # the choice kept


def test_the_template_downloads_and_reads_back_as_a_plan(moderator_client):
    for language in ("pl", "en"):
        response = moderator_client.get(f"/{language}/network/import/template.xlsx")
        assert response.status_code == 200
        rows = list(load_workbook(io.BytesIO(response.content)).active.values)
        assert rows[0][0] == ("Nazwa" if language == "pl" else "Name")
        csv_response = moderator_client.get(f"/{language}/network/import/template.csv")
        sheet = spreadsheet_read(data=csv_response.content, filename="t.csv")
        plans = import_plan(sheet)
        assert plans[0].action == Action.CREATE, plans[0].reasons


def test_only_moderators_reach_the_import(client):
    assert client.get("/en/network/import/").status_code == 302
    client.force_login(UserFactory())
    assert client.get("/en/network/import/").status_code == 404
    assert client.post("/en/network/import/apply/", {"plan": "x", "status": "draft"}).status_code == 404


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300).map(lambda text: ("Nazwa;Typ;NIP;Województwo\n" + text).encode("utf-8")),
        st.binary(max_size=300).map(lambda tail: b"PK\x03\x04" + tail),
    ),
    filename=st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a"]),
)
def test_no_file_makes_the_upload_fail(moderator_client, data, filename):
    response = _upload(moderator_client, data, filename=filename, language="en")
    assert response.status_code == 200
