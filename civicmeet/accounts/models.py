from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """An organiser's API token. Only its SHA-256 is stored; the raw token is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"API token of {self.user}"

    @classmethod
    def issue(cls, user) -> str:
        raw = "cm_" + secrets.token_urlsafe(32)
        cls.objects.create(user=user, key_hash=hash_token(raw))
        return raw


class TeamRole(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    DESK = "desk", _("Desk staff")


class Team(models.Model):
    """People who run something together, each with a role: an event's team (`Event.team`)."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return f"team {self.pk}"


class TeamMember(models.Model):
    """A person on a team with a role. Organisers run the event; desk staff check people in."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships")
    role = models.CharField(_("role"), max_length=16, choices=TeamRole.choices, default=TeamRole.ORGANISER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="accounts_team_member_unique")]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REPLACED = "replaced", _("Replaced by a new invitation")


class TeamInvitation(models.Model):
    """An invitation to join a team, sent to an email address with a one-time link.

    Only the SHA-256 of the link's token is stored (as with API tokens): the database alone
    cannot be used to accept an invitation. A pending invitation past `expires_at` is refused;
    inviting the same address again replaces the old link. The app above that owns the team
    names it (`team_name`, in the invitation's language) and says where the new member lands.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=16, choices=TeamRole.choices, default=TeamRole.ORGANISER)
    status = models.CharField(
        _("status"), max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    token_hash = models.CharField(max_length=64, unique=True)
    language = models.CharField(_("language"), max_length=8)
    team_name = models.CharField(_("team"), max_length=300, blank=True)
    landing_url = models.CharField(max_length=300, blank=True)
    # What the app that owns the team wants back when the invitation is accepted (events: on
    # behalf of which organisation the person works); accounts does not read it.
    details = models.JSONField(default=dict, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    # Who answered and when: accepted (the new member) or withdrawn (an organiser).
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "team",
                condition=models.Q(status="pending"),
                name="accounts_invitation_one_pending",
            )
        ]
        indexes = [models.Index(fields=["invited_by", "created_at"], name="accounts_invitation_sender")]
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")

    def __str__(self) -> str:
        return f"{self.email} → team {self.team_id} ({self.status})"


class SignInLink(models.Model):
    """A one-time link that signs a person in without a password (accounts.signin_links).

    Only the SHA-256 of the link's token is stored. A link works once (`used_at`), until
    `expires_at`, and asking for a new one replaces the older unused links (`replaced_at`). Opening
    the link shows a "Sign in" button; only that POST uses it up (mail scanners follow links).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signin_links")
    token_hash = models.CharField(max_length=64, unique=True)
    # The language the email was written in; the link opens the site in it.
    language = models.CharField(_("language"), max_length=8)
    # Where the person lands once signed in (a path on this site, checked when it was asked for).
    next_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "created_at"], name="accounts_signin_link_user"),
            models.Index(fields=["expires_at"], name="accounts_signin_link_expiry"),
        ]
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self) -> str:
        return f"sign-in link of {self.user_id} ({self.created_at:%Y-%m-%d %H:%M})"
