"""The outbox: what other apps hand in to be sent, and what organisers change; the sender itself
lives in tasks.py. This app knows no domain app: it sends what it is given."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from civicmeet.core.errors import ConflictError

from . import tasks
from .models import RETRYABLE_STATUSES, EmailStatus, OutgoingEmail


def email_queue(email: OutgoingEmail, *, subject=None) -> OutgoingEmail:
    """Store a rendered message in the outbox and have it sent once the transaction commits.

    Call it inside the transaction of the change the message reports: no message is lost when a
    process dies, and none is sent for a change that was rolled back. `subject` is the object the
    message is about when it was saved only after the message was rendered (a new registration).
    """
    if subject is not None:
        email.subject_object = subject
    email.save(force_insert=True)
    tasks.send_after_commit()
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
