"""Badges: name, organisation, the languages to speak to the person in, and the ticket's QR code.

Two layouts: one badge a page (105 × 74 mm, for a badge printer or cutting by hand) and A4 sheets of
2 × 4 with dashed cutting lines. Names keep their script and direction (text_direction).

Big documents are built in chunks (CHUNK badges, each its own WeasyPrint document, joined with
pypdf), so the memory a badge sheet needs does not grow with the number of people, and the
background job can report its progress after each chunk.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from civicmeet.events.models import Event
from civicmeet.registrations.models import Registration, Role

from ..qr import qr_svg
from ..tickets import code_for_ticket, current_tickets
from . import pdf
from .common import badge_ids, badge_registrations, event_facts, spoken_languages, text_direction

SINGLE = "single"
SHEET = "sheet"
LAYOUTS = (SINGLE, SHEET)
PER_SHEET = 8
CHUNK = 48  # six sheets: the unit of work between two progress reports

Progress = Callable[[int, int], None]


def _role_label(registration: Registration) -> str:
    if registration.role == Role.GUEST:
        return _("Guest")
    if registration.role == Role.ORGANISER:
        return _("Organiser")
    return ""


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def badge_items(event: Event, registrations: Sequence[Registration]) -> list[dict[str, Any]]:
    """What each badge shows; the tickets of all of them in a couple of queries."""
    tickets = current_tickets(registrations, event_id=event.pk)
    items = []
    for registration in registrations:
        ticket = tickets.get(registration.pk)
        organisation = registration.organisation.name if registration.organisation else ""
        items.append(
            {
                "name": registration.full_name,
                "name_dir": text_direction(registration.full_name),
                "organisation": organisation,
                "organisation_dir": text_direction(organisation),
                "role": _role_label(registration),
                "languages": " · ".join(_capitalised(name) for name in spoken_languages(registration)),
                # segno's SVG of our own code: markup we made, no user text in it.
                "qr": mark_safe(qr_svg(code_for_ticket(ticket))) if ticket else "",  # noqa: S308
            }
        )
    return items


def _chunks(event: Event) -> Iterator[list[Registration]]:
    """The people in surname order, CHUNK at a time (whole sheets: a chunk's last sheet is full
    unless it is the last), their ids first (small), then each chunk's rows, so no cursor stays
    open while a chunk's missing tickets are written."""
    size = max(PER_SHEET, CHUNK // PER_SHEET * PER_SHEET)
    ids = badge_ids(event)
    for start in range(0, len(ids), size):
        wanted = ids[start : start + size]
        rows = {registration.pk: registration for registration in badge_registrations(event).filter(pk__in=wanted)}
        yield [rows[pk] for pk in wanted if pk in rows]


def badges_count(event: Event) -> int:
    return badge_registrations(event).count()


def _chunk_pdf(event: Event, items: list[dict[str, Any]], *, layout: str, language: str) -> bytes:
    sheets = [items[start : start + PER_SHEET] for start in range(0, len(items), PER_SHEET)]
    return pdf.render_pdf(
        "checkin/documents/badges.html",
        {
            "event_title": event_facts(event, language).title,
            "layout": layout,
            "badges": items,
            "sheets": sheets,
        },
        language=language,
    )


def badges_write(
    event: Event, target: IO[bytes], *, layout: str = SHEET, language: str, progress: Progress | None = None
) -> int:
    """Write the badges of everyone accepted to `target` (a PDF); returns how many.

    `progress(done, total)` is called after each chunk.
    """
    from pypdf import PdfWriter

    if layout not in LAYOUTS:
        raise ValueError(f"unknown badge layout {layout!r}")
    total = badges_count(event)
    if total == 0:
        target.write(_chunk_pdf(event, [], layout=layout, language=language))
        return 0
    writer = PdfWriter()
    done = 0
    if progress is not None:
        progress(0, total)
    for registrations in _chunks(event):
        part = _chunk_pdf(event, badge_items(event, registrations), layout=layout, language=language)
        writer.append(io.BytesIO(part))
        done += len(registrations)
        if progress is not None:
            progress(done, total)
    writer.add_metadata({"/Title": _("Badges") + " · " + event_facts(event, language).title})
    writer.write(target)
    return done


def badges_pdf(event: Event, *, layout: str = SHEET, language: str) -> bytes:
    target = io.BytesIO()
    badges_write(event, target, layout=layout, language=language)
    return target.getvalue()
