"""Background sending of outgoing emails, with retries and a visible outbox."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models, transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from civicmeet.core.scheduling import has_queued_run, schedule_after_migrate, schedule_once

from .models import EmailStatus, OutgoingEmail

logger = logging.getLogger(__name__)


def sender_address(name: str) -> str:
    """DEFAULT_FROM_EMAIL with `name` as its display name ("Fundacja Zustricz <no-reply@…>"); the
    address is always the site's own, so the message passes the sending domain's SPF and DMARC."""
    if not name:
        return settings.DEFAULT_FROM_EMAIL
    _default_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    # One line, no control characters: it becomes a header.
    return formataddr((" ".join(name.split()), address))


def _build_message(email: OutgoingEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=sender_address(email.from_name),
        to=[email.to],
        headers={"Content-Language": email.language},
        reply_to=[email.reply_to] if email.reply_to else None,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        # Text attachments are stored as they are; binary ones (a QR code's PNG) in base64.
        if "content_base64" in attachment:
            content: str | bytes = base64.b64decode(attachment["content_base64"])
        else:
            content = attachment["content"]
        message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


# A claim older than this is assumed to belong to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=5)


def due_q(now) -> models.Q:
    """Messages whose moment has come: `not_before` unset or passed (the one home of this rule)."""
    return models.Q(not_before__isnull=True) | models.Q(not_before__lte=now)


def _claim(email_id: int) -> OutgoingEmail | None:
    """Take the message for sending in a short transaction, so no lock is held during SMTP."""
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status in (EmailStatus.SENT, EmailStatus.GAVE_UP, EmailStatus.WITHDRAWN):
            return None
        now = timezone.now()
        if email.not_before is not None and email.not_before > now:
            return None  # too early: its own run is queued for `not_before` (email_queue)
        if email.status == EmailStatus.SENDING and email.claimed_at and now - email.claimed_at < STALE_CLAIM:
            return None
        email.status = EmailStatus.SENDING
        email.claimed_at = now
        email.attempts += 1
        email.save(update_fields=["status", "claimed_at", "attempts"])
        return email


def _send(email: OutgoingEmail, connection=None) -> bool:
    """Send a claimed message and record the outcome (sent; failed and retried later; gave up)."""
    try:
        message = _build_message(email)
        message.connection = connection
        message.send()
    except Exception as exc:  # noqa: BLE001 - any transport failure is retried
        logger.warning("Sending email %s failed (attempt %s): %s", email.pk, email.attempts, exc)
        email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        email.status = EmailStatus.GAVE_UP if email.attempts >= settings.EMAIL_MAX_ATTEMPTS else EmailStatus.FAILED
        email.save(update_fields=["last_error", "status"])
        if email.status == EmailStatus.FAILED:
            schedule_retry(email)
        return False
    email.status = EmailStatus.SENT
    email.sent_at = timezone.now()
    email.last_error = ""
    email.save(update_fields=["status", "sent_at", "last_error"])
    return True


def deliver(email_id: int) -> bool:
    """Try to send one email now. Returns True when this call sent it.

    Safe to call twice for the same message: the claim makes sure only one caller sends it.
    """
    email = _claim(email_id)
    if email is None:
        return False
    return _send(email)


def _claim_pending(limit: int) -> list[OutgoingEmail]:
    """Take up to `limit` waiting messages, oldest first, in one short transaction."""
    with transaction.atomic():
        emails = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(due_q(timezone.now()), status=EmailStatus.PENDING)
            .order_by("id")[:limit]
        )
        if not emails:
            return []
        now = timezone.now()
        OutgoingEmail.objects.filter(pk__in=[email.pk for email in emails]).update(
            status=EmailStatus.SENDING, claimed_at=now, attempts=models.F("attempts") + 1
        )
    for email in emails:
        email.status, email.claimed_at, email.attempts = EmailStatus.SENDING, now, email.attempts + 1
    return emails


def _open(connection) -> None:
    """Open the mail connection for a batch; if the server is away, each message tries on its own
    (and fails, and is retried later) instead of the whole batch stopping here."""
    try:
        connection.open()
    except Exception as exc:  # noqa: BLE001 - reported by the messages' own attempts
        logger.warning("Opening the mail connection failed: %s", exc)
        connection.close()


def deliver_waiting(*, batch: int = 50, at_most: int = 1000) -> int:
    """Send the messages waiting in the outbox, a batch at a time over one mail connection.

    Stops after `at_most` (so other background work gets its turn) and returns how many were
    sent; whatever is still waiting then gets another run (`request_sending`)."""
    sent = handled = 0
    while handled < at_most:
        emails = _claim_pending(min(batch, at_most - handled))
        if not emails:
            return sent
        handled += len(emails)
        connection = get_connection()
        _open(connection)
        try:
            for email in emails:
                if _send(email, connection):
                    sent += 1
                else:
                    # The connection may be broken: start the next message on a new one.
                    connection.close()
                    _open(connection)
        finally:
            connection.close()
    request_sending()
    return sent


def deliver_pending(*, older_than: timedelta | None = None) -> tuple[int, int]:
    """Send every message still waiting or failed (a sweep for cron or after an outage).

    `older_than` leaves alone messages younger than that (a sending run is on its way for them).
    Returns (sent, still failing).
    """
    sent = failed = 0
    now = timezone.now()
    stale = now - STALE_CLAIM
    ids = OutgoingEmail.objects.filter(
        models.Q(status__in=[EmailStatus.PENDING, EmailStatus.FAILED])
        | models.Q(status=EmailStatus.SENDING, claimed_at__lt=stale)
    ).filter(due_q(now))
    if older_than is not None:
        ids = ids.filter(created_at__lt=now - older_than)
    for email_id in list(ids.values_list("pk", flat=True)):
        if deliver(email_id):
            sent += 1
        elif OutgoingEmail.objects.filter(pk=email_id, status__in=[EmailStatus.FAILED, EmailStatus.GAVE_UP]).exists():
            failed += 1
    return sent, failed


def schedule_retry(email: OutgoingEmail) -> None:
    """Enqueue the next attempt after an exponential back-off, where the backend can defer."""
    if not default_task_backend.supports_defer:
        return  # `manage.py send_pending_emails` picks it up.
    delay = settings.EMAIL_RETRY_DELAY_SECONDS * (2 ** max(email.attempts - 1, 0))
    send_email.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(email.pk)


@task()
def send_email(email_id: int) -> bool:
    """One message (a retry after its back-off)."""
    return deliver(email_id)


@task()
def send_waiting_emails() -> int:
    """Every message waiting in the outbox (what `request_sending` queues)."""
    return deliver_waiting()


def request_sending() -> None:
    """Make sure the outbox is sent soon: call it after committing new messages.

    One run of `send_waiting_emails` waiting in the queue is enough: it has not looked at the
    outbox yet, so it will find every message committed before this call. A burst of
    registrations thus costs one task run per batch, not one per email. Two runs queued by a
    race only mean the second finds less to do."""
    if has_queued_run(send_waiting_emails):
        return
    send_waiting_emails.enqueue()


def send_after_commit() -> None:
    """Have the outbox sent once the current transaction (if any) commits."""
    transaction.on_commit(request_sending)


def send_at_after_commit(email: OutgoingEmail) -> None:
    """Have a message that must wait (`not_before`) sent at its moment, once the transaction commits.

    Where the backend cannot defer, the outbox sweep (`send_pending_emails` from cron) sends it once
    it is due; the sender skips it until then in any case."""
    if not default_task_backend.supports_defer or email.not_before is None:
        return
    email_id, run_after = email.pk, email.not_before
    transaction.on_commit(lambda: send_email.using(run_after=run_after).enqueue(email_id))


# The outbox sweep: a message written just before a web worker was killed has no sending run
# (it is asked for after the commit), so every few minutes the worker sends what is left waiting.
SWEEP_EVERY = timedelta(minutes=5)
SWEEP_GRACE = timedelta(minutes=2)


@task()
def sweep_outbox_task() -> dict[str, int]:
    try:
        sent, failing = deliver_pending(older_than=SWEEP_GRACE)
        return {"sent": sent, "failing": failing}
    finally:
        schedule_once(sweep_outbox_task, timezone.now() + SWEEP_EVERY)


# post_migrate handler (connected in apps.py).
schedule_sweep_after_migrate = schedule_after_migrate(sweep_outbox_task, "the outbox sweep")
