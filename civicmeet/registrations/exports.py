"""Registrations as CSV and XLSX: one column per field and per custom question.

Headers and labels are in the active language (the organiser's), times in the event's time zone.
Rows are read in chunks with their organisation joined, so an export costs the same few queries for
any size. The CSV streams from the request; the XLSX is built by a background task (export_tasks.py).

Formulas (docs/decisions/0002-exports-without-formulas.md): in the XLSX every text is a typed
string cell, never a formula, so it is written exactly as typed. A CSV has no types: a free text
that a spreadsheet would run as a formula gets a leading apostrophe there. Phone numbers are
validated and normalised at registration (core.phones), so they are digits after a "+" and are
written as people read them ("+48 600 123 456"), without an apostrophe.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from django.conf import settings
from django.db.models import Field, QuerySet
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from civicmeet.core.spreadsheets import (  # noqa: F401 (the names this module's users import)
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    Checked,
    phone_text,
    xlsx_headers,
    xlsx_value,
)
from civicmeet.core.spreadsheets import csv_value as neutralise
from civicmeet.events.models import CustomQuestion, Event, QuestionKind

from .models import Registration

CHUNK_SIZE = 500
SHEET_TITLE = gettext_lazy("Registrations")


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Registration], Any]


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _field(name: str) -> Field[Any, Any]:
    field = Registration._meta.get_field(name)
    assert isinstance(field, Field)  # the exported columns are concrete fields, not relations
    return field


def _label(model_field: str) -> str:
    return capfirst(str(_field(model_field).verbose_name))


def _language_name(code: str) -> str:
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code


def answer_text(question: CustomQuestion, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if question.kind == QuestionKind.YES_NO:
        return _yes_no(bool(value))
    if question.is_choice:
        labels = dict(question.option_choices())
        values = value if isinstance(value, list) else [value]
        return "; ".join(str(labels.get(item, item)) for item in values)
    return str(value)


def _choice_labels(model_field: str) -> dict[str, str]:
    """A field's choice labels as text, translated once per export instead of once per cell."""
    return {value: str(label) for value, label in _field(model_field).flatchoices}


def _answer_getter(question: CustomQuestion, yes: str, no: str) -> Callable[[Registration], str]:
    key = question.key
    if question.kind == QuestionKind.YES_NO:
        return lambda registration: _blank_or((registration.answers or {}).get(key), lambda v: yes if v else no)
    if question.is_choice:
        labels = {option_key: str(label) for option_key, label in question.option_choices()}

        def choices(value: Any) -> str:
            values = value if isinstance(value, list) else [value]
            return "; ".join(labels.get(item, str(item)) for item in values)

        return lambda registration: _blank_or((registration.answers or {}).get(key), choices)
    return lambda registration: _blank_or((registration.answers or {}).get(key), str)


def _blank_or(value: Any, text: Callable[[Any], str]) -> str:
    """Same rules as answer_text: nothing answered is an empty cell."""
    if value is None or value == "" or value == []:
        return ""
    return text(value)


def _outside_audience_getter(event: Event, yes: str, no: str) -> Callable[[Registration], str]:
    from civicmeet.eligibility import Outcome

    audience = event.audience
    by_type: dict[str, str] = {}

    def outside(registration: Registration) -> str:
        organisation = registration.organisation
        if organisation is None:
            return ""  # no organisation named: unknown, not outside
        if organisation.type not in by_type:
            outcome = audience.evaluate(organisation.type).outcome
            by_type[organisation.type] = yes if outcome == Outcome.DOES_NOT_MEET else no
        return by_type[organisation.type]

    return outside


def export_columns(event: Event, questions: Iterable[CustomQuestion]) -> list[Column]:
    """The export's columns, headers in the active language. Times are naive, in the event's zone.

    Of the safety rule only the verdict is exported, never the health declaration (its basis or
    dates): exports leave the system and outlive the purge of health data.

    Every label (choices, yes/no, languages, answer options) is translated once here, not per
    cell: for 10,000 rows the per-cell gettext and get_FOO_display calls cost more than writing
    the workbook.
    """
    from civicmeet.organisations.models import Organisation

    yes, no = _yes_no(True), _yes_no(False)
    languages = {code: _language_name(code) for code, _name in settings.LANGUAGES}
    organisation_types = {value: str(label) for value, label in Organisation._meta.get_field("type").flatchoices}
    diets = _choice_labels("dietary")
    states = _choice_labels("state")
    roles = _choice_labels("role")
    verdicts = _choice_labels("safety_verdict")
    tz = event.tz

    def submitted_at(registration: Registration) -> datetime:
        return registration.created_at.astimezone(tz).replace(tzinfo=None, microsecond=0)

    def organisation_type(registration: Registration) -> str:
        organisation = registration.organisation
        if organisation is None:
            return ""
        return organisation_types.get(organisation.type, organisation.type)

    columns = [
        Column(_label("first_name"), lambda r: r.first_name),
        Column(_label("last_name"), lambda r: r.last_name),
        Column(_label("email"), lambda r: r.email),
        Column(_label("phone"), lambda r: phone_text(r.phone)),
        Column(_label("organisation"), lambda r: r.organisation.name if r.organisation else ""),
        Column(_("Organisation type"), organisation_type),
        Column(_label("organisation_role"), lambda r: r.organisation_role),
        Column(_label("language"), lambda r: languages.get(r.language) or _language_name(r.language)),
        Column(_label("dietary"), lambda r: diets.get(r.dietary, r.dietary)),
        Column(_label("dietary_details"), lambda r: r.dietary_details),
        Column(_label("accessibility_needs"), lambda r: r.accessibility_needs),
        Column(_label("interpreting_needs"), lambda r: r.interpreting_needs),
        Column(_label("state"), lambda r: states.get(r.state, r.state)),
        Column(_label("role"), lambda r: roles.get(r.role, r.role)),
        Column(_label("consent_listing"), lambda r: yes if r.consent_listing else no),
        Column(_("Submitted at (%(timezone)s)") % {"timezone": event.timezone}, submitted_at),
    ]
    if event.safety_policy is not None:
        columns.append(Column(_("Safety rule"), lambda r: verdicts.get(r.safety_verdict, r.safety_verdict)))
    if event.audience_types:
        columns.append(Column(_("Outside the intended audience"), _outside_audience_getter(event, yes, no)))
    columns += [Column(question.display_label(), _answer_getter(question, yes, no)) for question in questions]
    return columns


def _plain(value: Any) -> Any:
    """Lazy translations become text now, in the language active while the rows are read."""
    return str(value) if isinstance(value, Promise) else value


def export_table(event: Event, registrations: QuerySet[Registration]) -> tuple[list[str], Iterator[list[Any]]]:
    """Headers and a lazy iterator of rows (values not yet neutralised)."""
    questions = list(event.questions.all())
    for question in questions:
        question.event = event  # display_label reads the fallback language without a query
    columns = export_columns(event, questions)
    headers = [column.header for column in columns]
    rows = (
        [_plain(column.value(registration)) for column in columns]
        for registration in registrations.select_related("organisation").iterator(chunk_size=CHUNK_SIZE)
    )
    return headers, rows


def export_filename(event: Event, extension: str) -> str:
    return f"{event.slug}-registrations.{extension}"


def _csv_text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return neutralise(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(headers: list[str], rows: Iterator[list[Any]], language: str) -> Iterator[str]:
    # Streaming runs after the view returned: keep the organiser's language for the labels.
    with translation.override(language):
        writer = csv.writer(_Echo())
        # The BOM makes Excel read the file as UTF-8 (Polish and Ukrainian letters intact).
        yield "\ufeff" + writer.writerow([_csv_text(h) for h in headers])
        for row in rows:
            yield writer.writerow([_csv_text(value) for value in row])


def csv_response(event: Event, registrations: QuerySet[Registration]) -> StreamingHttpResponse:
    headers, rows = export_table(event, registrations)
    language = translation.get_language()
    response = StreamingHttpResponse(_csv_lines(headers, rows, language), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(event, "csv")}"'
    return response


def xlsx_write(event: Event, registrations: QuerySet[Registration], target: str | os.PathLike | IO[bytes]) -> None:
    """Write the workbook to a path or a binary file, row by row (openpyxl's write-only mode keeps
    the rows in a temporary file, not in memory): memory stays flat for any number of rows."""
    headers, rows = export_table(event, registrations)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(SHEET_TITLE)[:31])
    sheet.append(xlsx_headers(sheet, headers))
    for row in rows:
        sheet.append([xlsx_value(sheet, value) for value in row])
    workbook.save(target)


def xlsx_bytes(event: Event, registrations: QuerySet[Registration]) -> bytes:
    buffer = io.BytesIO()
    xlsx_write(event, registrations, buffer)
    return buffer.getvalue()
