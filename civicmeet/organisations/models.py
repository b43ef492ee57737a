from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    NATIONAL_MINORITY = "national_minority", _("National minority organisation")
    ETHNIC_MINORITY = "ethnic_minority", _("Ethnic minority organisation")
    MIGRANT = "migrant", _("Migrant organisation")
    OTHER = "other", _("Other organisation")


class Organisation(models.Model):
    """A civil-society organisation. Participants pick a known one or name a new one."""

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci")]

    def __str__(self) -> str:
        return self.name
