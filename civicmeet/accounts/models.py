from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
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
