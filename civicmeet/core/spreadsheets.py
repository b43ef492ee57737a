"""Cells of the CSV and XLSX exports without formulas (docs/decisions/0002-exports-without-formulas.md).

Every export (registrations, the directory, a project offer's sign-ups) writes its values through
these, so the rule stands once:
- XLSX: every text is a typed string cell, exactly as typed; a text that starts like a formula
  (=, +, -, @, tab, CR) gets a cell with its type fixed to string, and free texts of that kind are
  marked "quote prefix" (a style flag, not a character of the value). Times are date cells shown to the minute.
- CSV: a free text that starts like a formula gets a leading apostrophe.
- Phone numbers stored in E.164 are written as people read them (`+48 600 123 456`) and, holding
  no formula, without an apostrophe (`Checked`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from .phones import display_phone

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A number that went through core.phones.normalise_phone (E.164) and the same written for people
# ("+48 600 123 456", "+1 212-555-0100"): digits, spaces and hyphens after a "+" name no function
# and no cell, so no spreadsheet can make them do anything.
STORED_PHONE_RE = re.compile(r"\+[0-9]+")
SHOWN_PHONE_RE = re.compile(r"\+[0-9]+(?:[ -][0-9]+)*")


class Checked(str):
    """A text known to hold no formula (a validated phone number): written as it is, also in a CSV."""

    __slots__ = ()


def phone_text(value: str) -> str:
    """The stored number (E.164) as people write it; anything else is free text, neutralised as such.

    Every number is normalised when it is stored, so the fallback only guards rows written some
    other way (an old database, a hand edit).
    """
    if not value or not STORED_PHONE_RE.fullmatch(value):
        return value
    shown = display_phone(value)
    return Checked(shown if SHOWN_PHONE_RE.fullmatch(shown) else value)


def csv_value(value: Any) -> Any:
    """Make a CSV text cell inert in spreadsheets: `=HYPERLINK(...)` typed into a form stays text."""
    if isinstance(value, str) and not isinstance(value, Checked) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def xlsx_value(sheet: Any, value: Any) -> Any:
    """A value for a write-only sheet: every text a string cell, exactly as typed; times to the minute."""
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if not isinstance(value, str):
        return value
    # openpyxl refuses control characters that XML cannot hold; a pasted one must not break the export.
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    if not text.startswith(FORMULA_TRIGGERS):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if not isinstance(value, Checked):
        cell.quotePrefix = True
    return cell


def xlsx_headers(sheet: Any, headers: Iterable[str]) -> list[Any]:
    """The header row: bold string cells (a question's label may start with "=": never a formula)."""
    bold = Font(bold=True)
    cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(header)))
        cell.data_type = "s"
        cell.font = bold
        cells.append(cell)
    return cells
