"""The attendance list (PDF and XLSX) and the caterer's sheet, read back as a reader sees them."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from civicmeet.checkin.documents import attendance, catering
from civicmeet.organisations.models import Organisation

from .documents_helpers import AVRAHAM, LUCJA, OLENA, in_order, pdf_text, requires_pdf
from .factories import accepted, checked_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def present(event, organiser):
    """Olena and Łucja came; Avraham was accepted but did not."""
    olena = checked_in(event, organiser, **OLENA).registration
    lucja = checked_in(event, organiser, **LUCJA).registration
    accepted(event, organiser, **AVRAHAM)
    return [olena, lucja]


@requires_pdf
def test_attendance_pdf_lists_the_people_present_in_surname_order(event, organiser, present):
    zustricz = Organisation.objects.get(name="Fundacja Zustricz")
    event.co_organisers.add(zustricz)
    text = pdf_text(attendance.attendance_pdf(event, language="pl"))
    assert "Spotkanie sieciujące organizacji mniejszości oraz migranckich" in text
    assert "Kraków" in text and "Fundacja Zustricz" in text
    # A row each, by surname (Latin, then Cyrillic), with the organisation beside the name.
    assert in_order(text, "Łucja Żółkiewska", "Stowarzyszenie Romów w Polsce", "Олена Коваль", "Fundacja Zustricz")
    assert "אברהם" not in text  # accepted, never checked in


@requires_pdf
def test_attendance_is_in_surname_order_without_regard_to_diacritics_on_every_database(event, organiser):
    for first, last in (("Ewa", "Żak"), ("Jan", "Zając"), ("Łucja", "Lis"), ("Anna", "Łada")):
        checked_in(event, organiser, first_name=first, last_name=last)
    checked_in(event, organiser, **AVRAHAM)
    checked_in(event, organiser, **OLENA)
    text = pdf_text(attendance.attendance_pdf(event, language="pl"))
    # Ł among the L's and Ż after Z (a byte-wise order would put both after every other letter).
    assert in_order(text, "Anna Łada", "Łucja Lis", "Jan Zając", "Ewa Żak", "Олена Коваль", "אברהם כהן")


def test_attendance_xlsx_has_the_facts_and_a_row_per_person_with_a_signature_column(event, organiser, present):
    target = io.BytesIO()
    assert attendance.attendance_xlsx(event, target, language="en") == 2
    sheet = load_workbook(io.BytesIO(target.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Attendance list", "Networking meeting of minority and migrant organisations")
    assert rows[2][1] == "Kraków"
    header = rows[5]
    assert header == ("No.", "Full name", "Organisation", "Role", "Arrived", "Signature")
    names = [row[1] for row in rows[6:]]
    assert sorted(names) == sorted(["Олена Коваль", "Łucja Żółkiewska"])
    assert all(row[5] is None for row in rows[6:])  # the signature cell is left empty


def test_attendance_xlsx_never_writes_a_formula(event, organiser):
    checked_in(event, organiser, first_name='=HYPERLINK("http://x")', last_name="Nowak")
    target = io.BytesIO()
    attendance.attendance_xlsx(event, target, language="en")
    sheet = load_workbook(io.BytesIO(target.getvalue())).active
    cell = next(row[1] for row in sheet.iter_rows() if row[1].value and str(row[1].value).startswith("="))
    assert cell.data_type == "s"


def test_attendance_rows_cost_one_query_whatever_the_number(event, organiser, django_assert_max_num_queries):
    for number in range(6):
        checked_in(event, organiser, first_name="Anna", last_name=f"Nowak{number}")
    with django_assert_max_num_queries(1):
        rows = attendance.attendance_rows(event)
    assert len(rows) == 6


@requires_pdf
def test_catering_sheet_counts_diets_and_lists_allergies_without_names(event, organiser):
    accepted(event, organiser, first_name="Sara", last_name="Goldberg", dietary="kosher")
    accepted(event, organiser, first_name="Amir", last_name="Haddad", dietary="halal")
    accepted(event, organiser, first_name="Ola", last_name="Wiśniewska", dietary="vegan")
    accepted(
        event,
        organiser,
        first_name="Iwan",
        last_name="Petrenko",
        dietary="other",
        dietary_details="Uczulenie na orzechy",
    )
    sheet = catering.catering_sheet(event)
    counts = {diet["value"]: diet["count"] for diet in sheet["diets"]}
    assert counts["kosher"] == 1 and counts["halal"] == 1 and counts["vegan"] == 1 and counts["other"] == 1
    assert sheet["meals"] == 4
    assert sheet["notes"] == [("Uczulenie na orzechy", 1)]
    text = pdf_text(catering.catering_pdf(event, language="pl"))
    assert "Uczulenie na orzechy" in text
    for name in ("Goldberg", "Haddad", "Wiśniewska", "Petrenko", "Sara", "Iwan"):
        assert name not in text
    assert in_order(text, "Koszerna 1", "Halal 1")
