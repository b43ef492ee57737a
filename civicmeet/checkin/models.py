"""Tickets and check-ins (issue 11).

A `Ticket` belongs to one acceptance of a registration (the history row that accepted it): when the
decision changes (moved to the waiting list and accepted again, cancelled), the acceptance the old
ticket named is no longer the current one, so the old ticket is refused ("replaced" / "not_accepted")
without anything having to be updated. A `CheckIn` is the fact that a person came: one per
registration, enforced by the database. A `CheckInRequest` is the idempotency record of every
request a desk sent (its client-made id), so a retried request records nothing new.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_nonce() -> str:
    """The random part of a ticket's code: 16 random bytes (128 bits), URL-safe."""
    return secrets.token_urlsafe(16)


class Basis(models.TextChoices):
    """Which basis of the safety rule the person showed at the desk. Never a document."""

    VACCINATED = "vaccinated", _("Vaccinated")
    RECOVERED = "recovered", _("Recovered")
    TESTED = "tested", _("Tested")


class Source(models.TextChoices):
    QR = "qr", _("QR code")
    NAME = "name", _("Name search")
    WALK_IN = "walk_in", _("Walk-in")
    API = "api", _("API")


class Ticket(models.Model):
    """The ticket of one acceptance: its code (see tickets.py) names `nonce`, never the person."""

    registration = models.ForeignKey(
        "registrations.Registration", on_delete=models.CASCADE, related_name="tickets", verbose_name=_("registration")
    )
    nonce = models.CharField(max_length=43, unique=True, default=new_nonce, editable=False)
    # The history row of the acceptance this ticket belongs to; a later acceptance gets a new ticket.
    accepted_entry = models.ForeignKey(
        "registrations.LogEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        constraints = [
            # One ticket per acceptance, even when two requests ask for it at the same moment.
            models.UniqueConstraint(fields=["accepted_entry"], name="ticket_one_per_acceptance"),
        ]

    def __str__(self) -> str:
        return f"ticket {self.pk} of registration {self.registration_id}"


class CheckIn(models.Model):
    """A participant was at the desk: once per registration (the one-to-one decides races)."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="checkins")
    registration = models.OneToOneField(
        "registrations.Registration", on_delete=models.CASCADE, related_name="checkin", verbose_name=_("registration")
    )
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The basis the person showed ("" = none asked or none shown); never a document or its number.
    basis = models.CharField(_("basis shown"), max_length=16, choices=Basis.choices, blank=True)
    # The admission-rules verdict recomputed at the desk (registrations.SafetyVerdict; "" = no rule).
    verdict = models.CharField(_("safety rule at the desk"), max_length=16, blank=True)
    source = models.CharField(_("how"), max_length=16, choices=Source.choices, default=Source.QR)
    client_id = models.CharField(max_length=100)

    class Meta:
        ordering = ["checked_in_at", "id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [models.Index(fields=["event", "checked_in_at"], name="checkin_event_time")]

    def __str__(self) -> str:
        return f"check-in of registration {self.registration_id}"


class CheckInRequest(models.Model):
    """One request a desk (or a script) sent, by its client-made id: the same id again is answered
    with `response`, the first answer, and records nothing new."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    client_id = models.CharField(max_length=100)
    checkin = models.ForeignKey(CheckIn, null=True, blank=True, on_delete=models.CASCADE, related_name="requests")
    # The person had been checked in before this request (another desk, an earlier scan).
    duplicate = models.BooleanField(default=False)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("check-in request")
        verbose_name_plural = _("check-in requests")
        constraints = [
            models.UniqueConstraint(fields=["event", "client_id"], name="checkinrequest_one_per_client_id"),
        ]

    def __str__(self) -> str:
        return f"request {self.client_id}"
