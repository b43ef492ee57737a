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
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from civicmeet.core.i18n import localize
from civicmeet.core.spreadsheets import (  # noqa: F401 (the views read the content types here)
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_value,
    phone_text,
    xlsx_headers,
    xlsx_value,
)

from .models import OfferSignUp, SignUpSource, SignUpStatus


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
    return csv_value(value)


def csv_text(signups: Iterable[OfferSignUp]) -> str:
    headers, rows = export_rows(signups)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_value(header) for header in headers])
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    # The BOM makes Excel read the file as UTF-8 (Polish and Ukrainian letters intact).
    return "\ufeff" + buffer.getvalue()


def xlsx_bytes(signups: Iterable[OfferSignUp]) -> bytes:
    headers, rows = export_rows(signups)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Sign-ups")[:31])
    sheet.append(xlsx_headers(sheet, headers))
    for row in rows:
        sheet.append([xlsx_value(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(offer_id: int, extension: str) -> str:
    with translation.override("en"):
        return f"offer-{offer_id}-sign-ups.{extension}"
