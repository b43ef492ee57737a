from __future__ import annotations

import csv
import io
import re
import zipfile
import zoneinfo
from datetime import datetime
from urllib.parse import urlencode

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from civicmeet.events.services import questions_replace
from civicmeet.registrations.exports import Checked, neutralise, phone_text
from civicmeet.registrations.models import Dietary, Registration
from civicmeet.registrations.services import guest_add, registration_decide

from .factories import registration_data, submit

pytestmark = pytest.mark.django_db


def url(name: str, event, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"registrations:{name}", kwargs={"slug": event.slug})


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM so that Excel reads Cyrillic correctly
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    content = b"".join(response.streaming_content)
    response.close()  # a FileResponse: close the file as the server would
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    sheet = workbook.worksheets[0]
    return [["" if value is None else value for value in row] for row in sheet.iter_rows(values_only=True)]


def xlsx_export(client, event, language: str = "en", **filters):
    """What the organiser does: POST "Export XLSX" (the task runs inline with the test settings'
    ImmediateBackend), land on the status page, follow its download link."""
    query = "?" + urlencode(filters) if filters else ""
    response = client.post(url("export_xlsx", event, language) + query)
    assert response.status_code == 302
    status = client.get(response["Location"])
    assert status.status_code == 200
    download = re.search(r'id="export-download" href="([^"]+)"', status.content.decode())
    assert download, "the status page offers no download"
    return client.get(download.group(1))


def as_dicts(rows: list[list]) -> list[dict]:
    headers = rows[0]
    return [dict(zip(headers, row, strict=False)) for row in rows[1:]]


@pytest.fixture(autouse=True)
def _private_exports(settings, tmp_path):
    """XLSX exports go to VAR_DIR/exports: a directory of this test's own."""
    settings.VAR_DIR = tmp_path


@pytest.fixture
def org_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def questions(event):
    return questions_replace(
        event=event,
        questions=[
            {
                "key": "topics",
                "kind": "multiple_choice",
                "label": {"pl": "Tematy", "uk": "Теми", "en": "Topics"},
                "options": [
                    {"key": "grants", "label": {"pl": "Granty", "uk": "Гранти", "en": "Grants"}},
                    {"key": "media", "label": {"pl": "Media", "uk": "Медіа", "en": "Media"}},
                ],
            },
            {
                "key": "first_time",
                "kind": "yes_no",
                "label": {"pl": "Pierwszy raz?", "uk": "Вперше?", "en": "First time?"},
            },
            {"key": "idea", "kind": "short_text", "label": {"en": "An idea"}},
        ],
    )


@pytest.fixture
def people(organiser, event, questions):
    olena = submit(
        event,
        first_name="Олена",
        last_name="Ковальчук",
        email="olena@zustricz.example",
        phone="+48600123456",
        organisation_name="Fundacja Zustricz",
        organisation_type="migrant",
        organisation_role="Координаторка",
        language="uk",
        dietary=Dietary.KOSHER,
        accessibility_needs="Wheelchair access",
        interpreting_needs="Ukrainian",
        consent_listing=True,
        answers={"topics": ["grants", "media"], "first_time": True, "idea": '=HYPERLINK("http://evil")'},
    )
    registration_decide(registration=olena, decision="accept", actor=organiser)
    jan = submit(
        event,
        first_name="@Jan",
        last_name="-Nowak",
        email="jan@czulent.example",
        organisation_name="+Czulent",
        language="pl",
        dietary=Dietary.OTHER,
        dietary_details="\tno nuts",
        answers={"first_time": False},
    )
    guest = guest_add(
        event=event, data=registration_data(email="city@krakow.example", first_name="Maria"), actor=organiser
    )
    return olena, jan, guest


EN_HEADERS = [
    "First name",
    "Last name",
    "Email",
    "Phone",
    "Organisation",
    "Organisation type",
    "Role in the organisation",
    "Preferred language",
    "Diet",
    "Other diet and allergies",
    "Accessibility needs",
    "Interpreting needs",
    "State",
    "Role",
    "Appears on the participant list",
    "Submitted at (Europe/Warsaw)",
    "Topics",
    "First time?",
    "An idea",
]


def test_csv_has_a_column_per_field_and_question(org_client, event, people):
    olena, _jan, _guest = people
    response = org_client.get(url("export_csv", event))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-registrations.csv"'
    rows = csv_rows(response)
    assert rows[0] == EN_HEADERS
    assert len(rows) == 4
    row = as_dicts(rows)[0]
    submitted = timezone.localtime(olena.created_at, zoneinfo.ZoneInfo("Europe/Warsaw")).strftime("%Y-%m-%d %H:%M")
    assert row == {
        "First name": "Олена",
        "Last name": "Ковальчук",
        "Email": "olena@zustricz.example",
        "Phone": "+48 600 123 456",
        "Organisation": "Fundacja Zustricz",
        "Organisation type": "Migrant organisation",
        "Role in the organisation": "Координаторка",
        "Preferred language": "Ukrainian",
        "Diet": "Kosher",
        "Other diet and allergies": "",
        "Accessibility needs": "Wheelchair access",
        "Interpreting needs": "Ukrainian",
        "State": "Accepted",
        "Role": "Participant",
        "Appears on the participant list": "Yes",
        "Submitted at (Europe/Warsaw)": submitted,
        "Topics": "Grants; Media",
        "First time?": "Yes",
        "An idea": '\'=HYPERLINK("http://evil")',
    }


def test_csv_neutralises_formula_injection_everywhere(org_client, event, people):
    rows = as_dicts(csv_rows(org_client.get(url("export_csv", event))))
    jan = rows[1]
    assert jan["First name"] == "'@Jan"
    assert jan["Last name"] == "'-Nowak"
    assert jan["Organisation"] == "'+Czulent"
    assert jan["Other diet and allergies"] == "'\tno nuts"
    assert jan["First time?"] == "No"
    assert jan["Topics"] == ""
    guest = rows[2]
    assert (guest["Role"], guest["State"]) == ("Guest", "Accepted")


def test_csv_headers_and_labels_in_the_organisers_language(org_client, event, people):
    rows = csv_rows(org_client.get(url("export_csv", event, language="uk")))
    assert "Теми" in rows[0]
    assert "Вперше?" in rows[0]
    assert as_dicts(rows)[0]["Теми"] == "Гранти; Медіа"


def test_csv_applies_the_dashboard_filters(org_client, event, people):
    rows = as_dicts(csv_rows(org_client.get(url("export_csv", event), {"dietary": "other"})))
    assert [row["Email"] for row in rows] == ["jan@czulent.example"]
    rows = as_dicts(csv_rows(org_client.get(url("export_csv", event), {"q": "Олена"})))
    assert [row["Email"] for row in rows] == ["olena@zustricz.example"]


def test_xlsx_has_the_same_columns_and_inert_formulas(org_client, event, people):
    olena, _jan, _guest = people
    response = xlsx_export(org_client, event)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-registrations.xlsx"'
    rows = xlsx_rows(response)
    assert list(rows[0]) == EN_HEADERS
    olena_row, jan_row, _guest_row = as_dicts(rows)
    assert olena_row["First name"] == "Олена"
    assert olena_row["Topics"] == "Grants; Media"
    assert olena_row["An idea"] == '=HYPERLINK("http://evil")'
    assert olena_row["Phone"] == "+48 600 123 456"
    submitted = timezone.localtime(olena.created_at, zoneinfo.ZoneInfo("Europe/Warsaw"))
    assert isinstance(olena_row["Submitted at (Europe/Warsaw)"], datetime)
    assert olena_row["Submitted at (Europe/Warsaw)"] == submitted.replace(tzinfo=None, microsecond=0)
    assert jan_row["Last name"] == "-Nowak"
    assert jan_row["First time?"] == "No"


def xlsx_content(response) -> bytes:
    content = b"".join(response.streaming_content)
    response.close()
    return content


def test_xlsx_writes_every_text_as_a_typed_string_never_a_formula(org_client, event, people):
    """Texts that start like a formula (=, +, -, @) are string cells holding exactly what was typed."""
    content = xlsx_content(xlsx_export(org_client, event))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]  # not read-only: cell types and styles
    cells = {(cell.row, sheet.cell(1, cell.column).value): cell for row in sheet.iter_rows() for cell in row}
    for expected, key in [
        ('=HYPERLINK("http://evil")', (2, "An idea")),
        ("+48 600 123 456", (2, "Phone")),
        ("@Jan", (3, "First name")),
        ("-Nowak", (3, "Last name")),
        ("+Czulent", (3, "Organisation")),
    ]:
        assert (cells[key].value, cells[key].data_type) == (expected, "s"), key
    assert all(cell.data_type in ("s", "d", "n") for cell in cells.values() if cell.value is not None)
    assert all(cell.data_type == "s" for cell in cells.values() if isinstance(cell.value, str))
    # Free texts that look like formulas stay text if the organiser edits the cell; a phone is not marked.
    assert cells[(2, "An idea")].quotePrefix and cells[(3, "Last name")].quotePrefix
    assert not cells[(2, "Phone")].quotePrefix
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert "'" not in "".join(str(cell.value) for cell in cells.values() if cell.value is not None)


def test_xlsx_header_that_starts_like_a_formula_is_text(org_client, event):
    questions_replace(event=event, questions=[{"key": "why", "kind": "short_text", "label": {"en": "=Why?"}}])
    submit(event, answers={"why": "+1"})
    content = xlsx_content(xlsx_export(org_client, event))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    header, answer = sheet.cell(1, sheet.max_column), sheet.cell(2, sheet.max_column)
    assert (header.value, header.data_type, answer.value, answer.data_type) == ("=Why?", "s", "+1", "s")


def test_csv_writes_validated_phone_numbers_as_people_read_them(org_client, event):
    """Stored as the form and the API store them (core.phones.normalise_phone: E.164)."""
    submit(event, email="a@example.org", phone="+380671234567")
    submit(event, email="b@example.org", phone="+48600100200")
    submit(event, email="c@example.org")
    rows = {row["Email"]: row["Phone"] for row in as_dicts(csv_rows(org_client.get(url("export_csv", event))))}
    assert rows == {"a@example.org": "+380 67 123 4567", "b@example.org": "+48 600 100 200", "c@example.org": ""}


def test_csv_neutralises_a_phone_that_was_not_validated(org_client, event):
    """A number written around the service (an old row, a hand edit) is free text again."""
    registration = submit(event, phone="+48600100200")
    Registration.objects.filter(pk=registration.pk).update(phone='=HYPERLINK("http://evil")')
    (row,) = as_dicts(csv_rows(org_client.get(url("export_csv", event))))
    assert row["Phone"] == '\'=HYPERLINK("http://evil")'


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("+48600100200", Checked("+48 600 100 200")),
        ("+12125550100", Checked("+1 212-555-0100")),
        ("+380671234567", Checked("+380 67 123 4567")),
        ("", ""),
        ("=1+1", "=1+1"),
        ("+48 600 100 200 =1", "+48 600 100 200 =1"),
        ("-1+1", "-1+1"),
    ],
)
def test_phone_text(stored, expected):
    assert phone_text(stored) == expected
    assert isinstance(phone_text(stored), Checked) == isinstance(expected, Checked)


def test_xlsx_survives_control_characters(org_client, event):
    submit(event, first_name="Ola\x0bla", accessibility_needs="line\x01break")
    rows = as_dicts(xlsx_rows(xlsx_export(org_client, event)))
    assert rows[0]["First name"] == "Olala"


def test_exports_keep_a_constant_number_of_queries(
    org_client, organiser, event, questions, django_assert_max_num_queries
):
    for n in range(35):
        registration = submit(event, organisation_name=f"Organisation {n % 6}", answers={"topics": ["grants"]})
        if n % 4 == 0:
            registration_decide(registration=registration, decision="accept", actor=organiser)
    with django_assert_max_num_queries(6):
        rows = csv_rows(org_client.get(url("export_csv", event)))
    assert len(rows) == 36
    # Three requests (each: session, user, event): the POST that starts the export and builds it
    # (inline here), the status page, the download. The task's own count: test_export_xlsx.py.
    with django_assert_max_num_queries(12):
        rows = xlsx_rows(xlsx_export(org_client, event))
    assert len(rows) == 36


def test_xlsx_headers_in_the_organisers_language_and_filters_applied(org_client, event, people):
    rows = xlsx_rows(xlsx_export(org_client, event, language="uk", dietary="other"))
    assert "Теми" in rows[0]
    assert [row[2] for row in rows[1:]] == ["jan@czulent.example"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+48", "'+48"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Kraków = city", "Kraków = city"),
        ("", ""),
        (3, 3),
        (Checked("+48 600 100 200"), "+48 600 100 200"),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected
