"""The participant's documents on their personal page (registrations.extensions.register_personal_links)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from civicmeet.registrations.models import Registration, State

from .certificates import certificate_available


def personal_document_links(registration: Registration) -> list[dict[str, str]]:
    """The ticket as a PDF while accepted; the certificate of attendance after the event, if present."""
    links = []
    if registration.state == State.ACCEPTED and registration.anonymised_at is None:
        links.append(
            {
                "label": _("Your ticket (PDF)"),
                "url": reverse("checkin:ticket_pdf", kwargs={"token": registration.token}),
            }
        )
    if certificate_available(registration):
        links.append(
            {
                "label": _("Your certificate of attendance (PDF)"),
                "url": reverse("checkin:certificate_pdf", kwargs={"token": registration.token}),
            }
        )
    return links
