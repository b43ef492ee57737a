"""The outbox: what other apps hand in to be sent, and what organisers change; the sender itself
lives in tasks.py. This app knows no domain app: it sends what it is given."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicmeet.core.errors import ConflictError

from . import tasks
from .models import RETRYABLE_STATUSES, WITHDRAWABLE_STATUSES, EmailStatus, OutgoingEmail


def email_queue(
    email: OutgoingEmail, *, subject=None, reply_to: str = "", not_before: datetime | None = None
) -> OutgoingEmail:
    """Store a rendered message in the outbox and have it sent once the transaction commits.

    Call it inside the transaction of the change the message reports: no message is lost when a
    process dies, and none is sent for a change that was rolled back. `subject` is the object the
    message is about when it was saved only after the message was rendered (a new registration).
    `reply_to` becomes the message's Reply-To header; `not_before` holds the message until then
    (until a decision's undo window has passed, say), and `email_withdraw` can still stop it.
    """
    if subject is not None:
        email.subject_object = subject
    if reply_to:
        email.reply_to = reply_to
    if not_before is not None:
        email.not_before = not_before
    email.save(force_insert=True)
    if email.not_before is not None and email.not_before > timezone.now():
        tasks.send_at_after_commit(email)
    else:
        tasks.send_after_commit()
    return email


def email_withdraw(*, email: OutgoingEmail) -> OutgoingEmail:
    """Stop a message that has not gone out: it stays in the outbox as `withdrawn`, with its time
    (the app that withdraws it records why in its own history).

    Refused for a message that was sent or is being sent right now (a sender holds it): what the
    recipient may already have read cannot be taken back. The row lock makes withdrawing and a
    sender's claim exclusive, so a withdrawn message is never sent.
    """
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
        if email.status not in WITHDRAWABLE_STATUSES:
            if email.status == EmailStatus.WITHDRAWN:
                raise ConflictError(_("This email was already withdrawn."), code="email_withdrawn")
            raise ConflictError(_("This email has already been sent."), code="email_sent")
        email.status = EmailStatus.WITHDRAWN
        email.withdrawn_at = timezone.now()
        email.save(update_fields=["status", "withdrawn_at"])
    return email


def email_retry(*, email: OutgoingEmail) -> OutgoingEmail:
    """Send a failed email again now: back to `pending` and queued once the change is committed.

    Emails that gave up after their automatic retries can be retried too (after the SMTP settings
    were fixed, say); a sent or still pending email cannot.
    """
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().get(pk=email.pk)
        if email.status not in RETRYABLE_STATUSES:
            raise ConflictError(_("Only emails that failed can be sent again."), code="email_not_failed")
        email.status = EmailStatus.PENDING
        email.save(update_fields=["status"])
        tasks.send_after_commit()
    return email
