"""Changes to the outbox made by people (organisers); the sender itself lives in tasks.py."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from civicmeet.core.errors import ConflictError

from . import tasks
from .models import EmailStatus, OutgoingEmail

RETRYABLE_STATUSES = (EmailStatus.FAILED, EmailStatus.GAVE_UP)


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
