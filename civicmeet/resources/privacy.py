"""Data protection for contact requests between organisations (docs/data-protection.md, "The network").

- A request nobody answered within `CONTACT_REQUEST_EXPIRY_DAYS` expires: its status becomes
  EXPIRED, its answer links (ContactRecipient) are deleted, so they stop working, and both
  organisations' histories get a "contact request expired" row.
- `CONTACT_REQUEST_RETENTION_DAYS` after a request was answered (or expired), its message, its
  links, who answered it and the emails about it are erased. The row stays — the two
  organisations, the offer and the need, the status and its dates — so the organisations' history
  still shows that a contact happened, without the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from civicmeet.notifications.models import OutgoingEmail

from .models import ContactRecipient, ContactRequest, ContactStatus, ResourceAction, ResourceLogEntry


def _expiry() -> timedelta:
    return timedelta(days=settings.CONTACT_REQUEST_EXPIRY_DAYS)


def _retention() -> timedelta:
    return timedelta(days=settings.CONTACT_REQUEST_RETENTION_DAYS)


def contact_request_expires_at(request: ContactRequest) -> datetime:
    return request.created_at + _expiry()


def contact_request_due_at(request: ContactRequest) -> datetime | None:
    """When the request's message and links are erased (None while it waits for an answer)."""
    if request.status == ContactStatus.EXPIRED:
        return contact_request_expires_at(request) + _retention()
    if request.status in (ContactStatus.ACCEPTED, ContactStatus.DECLINED) and request.answered_at:
        return request.answered_at + _retention()
    return None


def contact_requests_expire(*, now: datetime | None = None) -> int:
    """Expire every pending request older than the expiry (its links stop working). Returns how many."""
    now = now or timezone.now()
    pks = list(
        ContactRequest.objects.filter(status=ContactStatus.PENDING, created_at__lte=now - _expiry())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    expired = 0
    for pk in pks:
        with transaction.atomic():
            # Locked, and checked again: an answer given a moment ago wins.
            request = ContactRequest.objects.select_for_update().filter(pk=pk, status=ContactStatus.PENDING).first()
            if request is None:
                continue
            request.status = ContactStatus.EXPIRED
            request.save(update_fields=["status"])
            ContactRecipient.objects.filter(request=request).delete()
            for organisation_id in (request.from_organisation_id, request.to_organisation_id):
                ResourceLogEntry.objects.create(
                    organisation_id=organisation_id,
                    item_kind="contact",
                    item_id=request.pk,
                    action=ResourceAction.CONTACT_EXPIRED,
                    changes={"offer": request.offer_id, "need": request.need_id},
                )
            expired += 1
    return expired


def contact_request_erase(request: ContactRequest) -> ContactRequest:
    """Erase the message, the links, who answered and the emails of one request (row locked by the caller)."""
    request.message = ""
    request.answered_by = None
    request.save(update_fields=["message", "answered_by"])
    ContactRecipient.objects.filter(request=request).delete()
    # The request's emails carry the message; the acceptance's carry both persons' names and addresses.
    OutgoingEmail.objects.filter(
        subject_type=ContentType.objects.get_for_model(ContactRequest), subject_id=request.pk
    ).delete()
    return request


@dataclass(frozen=True)
class ContactPurge:
    expired: int
    erased: int

    def as_dict(self) -> dict:
        return {"expired": self.expired, "erased": self.erased}


def contact_requests_purge(*, now: datetime | None = None) -> ContactPurge:
    """Expire what waited too long, then erase the requests whose retention has run out. Running it
    again changes nothing. Returns the counts."""
    now = now or timezone.now()
    expired = contact_requests_expire(now=now)
    answered = Q(status__in=(ContactStatus.ACCEPTED, ContactStatus.DECLINED), answered_at__lte=now - _retention())
    lapsed = Q(status=ContactStatus.EXPIRED, created_at__lte=now - _expiry() - _retention())
    has_personal = ~Q(message="") | Q(answered_by__isnull=False) | Q(recipients__isnull=False)
    pks = list(
        ContactRequest.objects.filter(answered | lapsed)
        .filter(has_personal)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    erased = 0
    for pk in pks:
        with transaction.atomic():
            request = ContactRequest.objects.select_for_update().filter(pk=pk).first()
            due = contact_request_due_at(request) if request else None
            if request is None or due is None or due > now:
                continue
            contact_request_erase(request)
            erased += 1
    return ContactPurge(expired=expired, erased=erased)
