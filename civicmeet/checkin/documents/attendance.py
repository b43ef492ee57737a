"""The attendance list in the form grant programmes ask for: the event, its date and place, the
organisers, then one row per person checked in (name, organisation, signature); as PDF and XLSX.

Times are the event's; headers are in the organiser's language. The XLSX writes every text through
core.spreadsheets (no formulas, whatever a name or an organisation starts with).
"""

from __future__ import annotations

from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from civicmeet.core.spreadsheets import xlsx_headers, xlsx_value
from civicmeet.events.models import Event
from civicmeet.registrations.models import Role

from ..models import CheckIn
from . import pdf
from .common import event_facts, present_checkins, text_direction


def _role(checkin: CheckIn) -> str:
    role = checkin.registration.role
    return "" if role == Role.PARTICIPANT else str(checkin.registration.get_role_display())


def attendance_rows(event: Event) -> list[dict[str, Any]]:
    """One row per person present, by surname: number, name, organisation, role, time of arrival."""
    rows = []
    for number, checkin in enumerate(present_checkins(event), start=1):
        registration = checkin.registration
        organisation = registration.organisation.name if registration.organisation else ""
        rows.append(
            {
                "number": number,
                "name": registration.full_name,
                "name_dir": text_direction(registration.full_name),
                "organisation": organisation,
                "organisation_dir": text_direction(organisation),
                "role": _role(checkin),
                "arrived": timezone.localtime(checkin.checked_in_at, event.tz),
            }
        )
    return rows


def attendance_pdf(event: Event, *, language: str) -> bytes:
    return pdf.render_pdf(
        "checkin/documents/attendance.html",
        {"facts": event_facts(event, language), "rows": attendance_rows(event)},
        language=language,
    )


def attendance_write_pdf(event: Event, target: IO[bytes], *, language: str, progress=None) -> int:
    rows = attendance_rows(event)
    pdf.render_pdf_to(
        target,
        "checkin/documents/attendance.html",
        {"facts": event_facts(event, language), "rows": rows},
        language=language,
    )
    if progress is not None:
        progress(len(rows), len(rows))
    return len(rows)


def attendance_xlsx(event: Event, target: IO[bytes], *, language: str) -> int:
    """Write the list as a workbook to `target`; returns the number of people on it.

    The facts (event, date, place, organisers) come first, then the table, then a signature column
    left empty for printing.
    """
    from django.utils import translation

    facts = event_facts(event, language)
    rows = attendance_rows(event)
    with translation.override(language):
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Attendance list")[:31])
        bold = Font(bold=True)
        for label, value in (
            (_("Attendance list"), facts.title),
            (_("Date"), facts.date),
            (_("Place"), facts.venue),
            (_("Organisers"), facts.organisers),
        ):
            label_cell = xlsx_headers(sheet, [label])[0]
            label_cell.font = bold
            sheet.append([label_cell, xlsx_value(sheet, value)])
        sheet.append([])
        sheet.append(
            xlsx_headers(sheet, [_("No."), _("Full name"), _("Organisation"), _("Role"), _("Arrived"), _("Signature")])
        )
        for row in rows:
            sheet.append(
                [
                    row["number"],
                    xlsx_value(sheet, row["name"]),
                    xlsx_value(sheet, row["organisation"]),
                    xlsx_value(sheet, row["role"]),
                    xlsx_value(sheet, row["arrived"].replace(tzinfo=None)),
                    "",
                ]
            )
        workbook.save(target)
    return len(rows)
