from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (retrying)")
    GAVE_UP = "gave_up", _("Failed for good")


class OutgoingEmail(models.Model):
    """An email rendered at the moment something happened, then sent in the background.

    The row is the outbox: it is written in the same transaction as the change it reports, so no
    message is lost when a process dies, and organisers can see what is pending or failed.
    """

    kind = models.CharField(max_length=80)
    registration = models.ForeignKey(
        "registrations.Registration", null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    to = models.EmailField()
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
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"], name="outgoing_email_status")]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")

    def __str__(self) -> str:
        return f"{self.kind} → {self.to} ({self.status})"
