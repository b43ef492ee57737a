"""Certificates of attendance: one A4 page for a person who was checked in, in their own language.

The participant downloads theirs from the personal page once the event is over (404 before, or for
someone who was not there). Organisers send them all by email after the event with one click:
`certificates_send` queues one email per person present, with the PDF attached, through the outbox
(not to a walk-in who gave no email: the organisers print or download theirs).
Clicking twice sends nothing twice: each person's registration row is locked while it is checked
whether their certificate email already exists, so two runs at the same moment queue one email.
The PDF is rendered before that short transaction, so no lock is held while WeasyPrint works.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_tasks import task

from civicmeet.core.errors import ConflictError
from civicmeet.events.models import Event
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.notifications.services import email_queue
from civicmeet.registrations.models import HAS_EMAIL, Registration
from civicmeet.registrations.personal_link import personal_url

from ..models import CheckIn
from . import pdf
from .common import document_filename, event_facts, text_direction

logger = logging.getLogger(__name__)

EMAIL_KIND = "certificate_of_attendance"


def event_is_over(event: Event, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= event.ends_at


def certificate_available(registration: Registration, now: datetime | None = None) -> bool:
    """A certificate exists for someone checked in, once the event is over (not for an anonymised one)."""
    if registration.anonymised_at is not None or not event_is_over(registration.event, now):
        return False
    return CheckIn.objects.filter(registration=registration).exists()


def certificate_filename(registration: Registration) -> str:
    return document_filename(registration.event, "certificate", "pdf")


def certificate_pdf(registration: Registration) -> bytes:
    """The certificate in the person's language (their registration's)."""
    event = registration.event
    language = registration.language
    organisation = registration.organisation.name if registration.organisation else ""
    return pdf.render_pdf(
        "checkin/documents/certificate.html",
        {
            "facts": event_facts(event, language),
            "name": registration.full_name,
            "name_dir": text_direction(registration.full_name),
            "organisation": organisation,
            "organisation_dir": text_direction(organisation),
        },
        language=language,
    )


def _organiser_names(event: Event) -> str:
    names = [organisation.name for organisation in event.co_organisers.all()]
    conjunction = pgettext("joins the last two items of a list: a, b and c", "and")
    return str(get_text_list(names, conjunction)) if names else ""


def certificate_email(registration: Registration, document: bytes) -> OutgoingEmail:
    """The email carrying the certificate, rendered in the participant's language (not yet queued)."""
    event = registration.event
    with translation.override(registration.language), timezone.override(event.tz):
        context = {
            "registration": registration,
            "event": event,
            "event_title": event.display_title(),
            "personal_url": personal_url(registration),
            "site_url": settings.SITE_URL,
            "organiser_names": _organiser_names(event),
            "contact_language_list": ", ".join(name for _code, name in event.contact_language_names),
        }
        subject = " ".join(render_to_string("checkin/documents/emails/certificate_subject.txt", context).split())
        body_text = render_to_string("checkin/documents/emails/certificate.txt", context)
        body_html = render_to_string("checkin/documents/emails/certificate.html", context)
        filename = certificate_filename(registration)
    return OutgoingEmail(
        kind=EMAIL_KIND,
        subject_object=registration,
        to=registration.email,
        language=registration.language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=[
            {
                "filename": filename,
                "mimetype": "application/pdf",
                "content_base64": base64.b64encode(document).decode("ascii"),
            }
        ],
        reply_to=event.contact_email,
        from_name=_organiser_names(event)[:200],
    )


def _already_sent_filter(event: Event):
    registration_type = ContentType.objects.get_for_model(Registration)
    return OutgoingEmail.objects.filter(
        kind=EMAIL_KIND,
        subject_type=registration_type,
        subject_id__in=CheckIn.objects.filter(event=event).values("registration_id"),
    )


@dataclass(frozen=True)
class CertificateCounts:
    present: int
    sent: int  # queued or sent: one email per person at most
    # Present without an email (walk-ins who gave none): no email; the organisers print theirs.
    without_email: int = 0

    @property
    def waiting(self) -> int:
        return max(self.present - self.sent - self.without_email, 0)


def certificate_counts(event: Event) -> CertificateCounts:
    """How many people present, how many of them have no email, and how many have their certificate
    email (two queries)."""
    row = CheckIn.objects.filter(event=event, registration__anonymised_at__isnull=True).aggregate(
        present=Count("id"), without_email=Count("id", filter=Q(registration__email=""))
    )
    sent = _already_sent_filter(event).values("subject_id").distinct().count()
    return CertificateCounts(present=row["present"], sent=sent, without_email=row["without_email"])


def _pending_registrations(event: Event):
    sent = _already_sent_filter(event).values("subject_id")
    return (
        # Those without an email get no certificate email (HAS_EMAIL): nothing undeliverable is queued.
        Registration.objects.filter(HAS_EMAIL, event=event, checkin__isnull=False, anonymised_at__isnull=True)
        .exclude(pk__in=sent)
        .select_related("event", "organisation")
        .order_by("id")
    )


def certificates_send(*, event: Event, actor, now: datetime | None = None) -> int:
    """Queue the certificate email of everyone present who has not had theirs; returns how many
    were queued now. Refused (ConflictError) before the event is over.

    `actor` is the organiser who clicked (the outbox records the emails; nothing else changes).
    """
    if not event_is_over(event, now):
        raise ConflictError(_("Certificates can be sent once the event is over."), code="event_not_over")
    queued = 0
    for registration in _pending_registrations(event).iterator(chunk_size=100):
        document = certificate_pdf(registration)
        email = certificate_email(registration, document)
        with transaction.atomic():
            locked = Registration.objects.select_for_update().filter(pk=registration.pk).first()
            if locked is None or locked.anonymised_at is not None:
                continue
            if OutgoingEmail.objects.filter(
                kind=EMAIL_KIND,
                subject_type=ContentType.objects.get_for_model(Registration),
                subject_id=registration.pk,
            ).exists():
                continue  # another run queued it meanwhile
            email_queue(email)
            queued += 1
    logger.info("certificates of event %s: %d queued by %s", event.pk, queued, getattr(actor, "pk", None))
    return queued


def certificates_send_start(*, event: Event, actor) -> CertificateCounts:
    """Check it may start (after the event), then have a background task queue the emails."""
    if not event_is_over(event):
        raise ConflictError(_("Certificates can be sent once the event is over."), code="event_not_over")
    counts = certificate_counts(event)
    if counts.waiting:
        send_certificates.enqueue(event_id=event.pk, actor_id=getattr(actor, "pk", None))
    return counts


@task()
def send_certificates(*, event_id: int, actor_id: int | None) -> int:
    from django.contrib.auth import get_user_model

    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return certificates_send(event=event, actor=actor)
