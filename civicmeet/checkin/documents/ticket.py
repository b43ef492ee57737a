"""The participant's ticket as a PDF: the QR code, their name, the event, when and where."""

from __future__ import annotations

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from civicmeet.registrations.models import Registration

from ..qr import qr_svg
from ..tickets import ticket_code
from . import pdf
from .common import document_filename, event_facts, text_direction


def ticket_filename(registration: Registration) -> str:
    return document_filename(registration.event, "ticket", "pdf")


def ticket_pdf(registration: Registration) -> bytes | None:
    """The ticket in the person's language; None unless they are accepted (no ticket)."""
    code = ticket_code(registration)
    if code is None:
        return None
    language = registration.language
    from django.utils import translation

    with translation.override(language):
        label = _("QR code of your ticket")
    organisation = registration.organisation.name if registration.organisation else ""
    return pdf.render_pdf(
        "checkin/documents/ticket.html",
        {
            "facts": event_facts(registration.event, language),
            "name": registration.full_name,
            "name_dir": text_direction(registration.full_name),
            "organisation": organisation,
            "organisation_dir": text_direction(organisation),
            # segno's SVG of our own code.
            "qr": mark_safe(qr_svg(code, label=label)),  # noqa: S308
            "code": code,
        },
        language=language,
    )
