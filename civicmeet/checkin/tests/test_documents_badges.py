"""Badges: names in Cyrillic, Hebrew and Polish with their fonts embedded, one a page or 2 × 4 a sheet."""

from __future__ import annotations

import io

import pytest

from civicmeet.checkin.documents import badges
from civicmeet.registrations.services import registration_decide
from civicmeet.registrations.tests.factories import submit

from .documents_helpers import AVRAHAM, LUCJA, OLENA, in_order, pdf_fonts, pdf_pages, pdf_text, requires_pdf
from .factories import accepted

pytestmark = [pytest.mark.django_db, requires_pdf]


@pytest.fixture
def people(event, organiser):
    return [accepted(event, organiser, **person) for person in (OLENA, AVRAHAM, LUCJA)]


def test_badge_sheet_shows_every_script_with_fonts_embedded(event, people):
    data = badges.badges_pdf(event, layout=badges.SHEET, language="pl")
    text = pdf_text(data)
    assert "Олена Коваль" in text
    assert "אברהם כהן" in text  # logical order: the first name first, as typed
    assert "Łucja Żółkiewska" in text
    assert "Fundacja Zustricz" in text and "Żydowskie Stowarzyszenie Czulent" in text
    assert "Українська" in text  # Olena's language, by its own name
    fonts = pdf_fonts(data)
    names = " ".join(font["name"] for font in fonts)
    assert "Noto-Sans" in names and "Noto-Sans-Hebrew" in names
    assert all(font["embedded"] == "yes" for font in fonts)
    assert pdf_pages(data) == 1  # three badges on one A4 sheet


def test_one_badge_a_page(event, people):
    data = badges.badges_pdf(event, layout=badges.SINGLE, language="en")
    assert pdf_pages(data) == 3
    assert in_order(pdf_text(data), "Олена Коваль", "Łucja Żółkiewska") or in_order(
        pdf_text(data), "Łucja Żółkiewska", "Олена Коваль"
    )


def test_a_sheet_holds_eight_badges(event, organiser):
    for number in range(9):
        accepted(event, organiser, first_name="Anna", last_name=f"Nowak{number:02d}")
    data = badges.badges_pdf(event, layout=badges.SHEET, language="pl")
    assert pdf_pages(data) == 2
    text = pdf_text(data)
    # In surname order, across the two sheets.
    assert in_order(text, *[f"Anna Nowak{number:02d}" for number in range(9)])


def test_only_accepted_people_get_badges(event, organiser, people):
    waiting = submit(event, first_name="Iryna", last_name="Czekająca")
    registration_decide(registration=waiting, decision="waitlist", actor=organiser)
    submit(event, first_name="Taras", last_name="Nowy")
    text = pdf_text(badges.badges_pdf(event, language="pl"))
    assert "Czekająca" not in text and "Nowy" not in text
    assert "Олена Коваль" in text


def test_badges_carry_the_ticket_qr_code(event, people):
    items = badges.badge_items(event, list(badges.badge_registrations(event)))
    assert all("<svg" in str(item["qr"]) for item in items)
    hebrew = next(item for item in items if item["name"] == "אברהם כהן")
    assert hebrew["name_dir"] == "rtl"
    assert next(item for item in items if item["name"] == "Олена Коваль")["name_dir"] == "ltr"


def test_a_big_sheet_is_made_in_chunks_of_whole_sheets_with_progress(event, organiser, monkeypatch):
    monkeypatch.setattr(badges, "CHUNK", 12)  # rounded down to whole sheets: chunks of 8
    for number in range(18):
        accepted(event, organiser, first_name="Anna", last_name=f"Nowak{number:02d}")
    reports = []
    target = io.BytesIO()
    made = badges.badges_write(event, target, language="pl", progress=lambda done, total: reports.append((done, total)))
    assert made == 18
    assert reports == [(0, 18), (8, 18), (16, 18), (18, 18)]
    assert pdf_pages(target.getvalue()) == 3  # the chunks' pages joined: 8 + 8 + 2 badges
    assert in_order(pdf_text(target.getvalue()), *[f"Anna Nowak{number:02d}" for number in range(18)])
