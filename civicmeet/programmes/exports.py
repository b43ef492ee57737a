"""An offer's sign-ups as CSV and XLSX for its project's team.

The same rules as the registrations' exports (docs/decisions/0002-exports-without-formulas.md),
written here because programmes sits below registrations: in the XLSX every text is a typed string
cell, never a formula, exactly as typed (those that start like a formula also marked "quote
prefix"); in the CSV a free text that starts like a formula gets a leading apostrophe. Phone numbers
(stored in E.164 by core.phones) are written as people read them, without an apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from civicmeet.core.i18n import localize
from civicmeet.core.phones import display_phone

from .models import OfferSignUp, SignUpSource, SignUpStatus

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
STORED_PHONE_RE = re.compile(r"\+[0-9]+")
SHOWN_PHONE_RE = re.compile(r"\+[0-9]+(?:[ -][0-9]+)*")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Checked(str):
    """A text known to hold no formula (a validated phone number)."""

    __slots__ = ()


def phone_text(value: str) -> str:
    if not value or not STORED_PHONE_RE.fullmatch(value):
        return value
    shown = display_phone(value)
    return Checked(shown if SHOWN_PHONE_RE.fullmatch(shown) else value)


def source_text(signup: OfferSignUp) -> str:
    if signup.source == SignUpSource.EVENT_INTEREST:
        return _("Interested, from the registration for %(event)s") % {"event": localize(signup.event_title)}
    return str(SignUpSource(signup.source).label)


def export_rows(signups: Iterable[OfferSignUp]) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows in the active language; times in the site's time zone, without it."""
    languages = {code: str(name) for code, name in settings.LANGUAGES}
    statuses = {value: str(label) for value, label in SignUpStatus.choices}
    headers = [
        _("Name"),
        _("Email"),
        _("Phone"),
        _("Organisation"),
        _("Language"),
        _("Status"),
        _("Source"),
        _("Message"),
        _("Signed up at"),
    ]
    rows = [
        [
            signup.name,
            signup.email,
            phone_text(signup.phone),
            signup.organisation.name if signup.organisation else signup.organisation_name,
            languages.get(signup.language, signup.language),
            statuses.get(signup.status, signup.status),
            source_text(signup),
            signup.message,
            timezone.localtime(signup.created_at).replace(tzinfo=None, microsecond=0),
        ]
        for signup in signups
    ]
    return headers, rows


def _csv_value(value: Any) -> Any:
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str) and not isinstance(value, Checked) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_text(signups: Iterable[OfferSignUp]) -> str:
    headers, rows = export_rows(signups)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_value(header) for header in headers])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    # The BOM makes Excel read the file as UTF-8 (Polish and Ukrainian letters intact).
    return "\ufeff" + buffer.getvalue()


def _xlsx_value(sheet: Any, value: Any) -> Any:
    if not isinstance(value, str):
        if hasattr(value, "strftime"):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "yyyy-mm-dd hh:mm"
            return cell
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if not text.startswith(FORMULA_TRIGGERS):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if not isinstance(value, Checked):
        cell.quotePrefix = True
    return cell


def xlsx_bytes(signups: Iterable[OfferSignUp]) -> bytes:
    headers, rows = export_rows(signups)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Sign-ups")[:31])
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", header))
        cell.data_type = "s"
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_value(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(offer_id: int, extension: str) -> str:
    with translation.override("en"):
        return f"offer-{offer_id}-sign-ups.{extension}"
