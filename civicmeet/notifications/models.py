from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (retrying)")
    GAVE_UP = "gave_up", _("Failed for good")
    WITHDRAWN = "withdrawn", _("Withdrawn before sending")


# The states an organiser may send again (the one home of this rule: outbox page, admin, services).
RETRYABLE_STATUSES = (EmailStatus.FAILED, EmailStatus.GAVE_UP)
# The states in which a message has not gone out and no sender holds it: it may still be withdrawn.
WITHDRAWABLE_STATUSES = (EmailStatus.PENDING, EmailStatus.FAILED, EmailStatus.GAVE_UP)


class OutgoingEmail(models.Model):
    """An email rendered at the moment something happened, then sent in the background.

    The row is the outbox: it is written in the same transaction as the change it reports, so no
    message is lost when a process dies, and organisers can see what is pending or failed.
    """

    kind = models.CharField(max_length=80)
    # What the message is about (a registration, say), for the pages that list an object's emails.
    # Generic, because this app knows no domain app; the app that owns the object declares a
    # GenericRelation to reach its emails (Registration.emails).
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject_object = GenericForeignKey("subject_type", "subject_id")
    to = models.EmailField()
    # Where the participant's answer goes (the organisers' contact); empty: no Reply-To header.
    reply_to = models.EmailField(blank=True)
    # The sender's name shown beside the site's own address (the co-organisers of an event, say):
    # people see who writes, while the address stays one the site may send from. Empty: the
    # DEFAULT_FROM_EMAIL as it is.
    from_name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # Attachments as [{"filename": ..., "mimetype": ..., "content": <text>}] (text only: .ics).
    attachments = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When a worker took the message for sending; a stale claim (a worker died) is taken over.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Not sent before this moment (null: at once). A decision's email waits out its undo window,
    # so that undoing the decision can withdraw the message before anyone reads it.
    not_before = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status"], name="outgoing_email_status"),
            models.Index(fields=["subject_type", "subject_id"], name="outgoing_email_subject"),
        ]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")

    def __str__(self) -> str:
        return f"{self.kind} → {self.to} ({self.status})"
