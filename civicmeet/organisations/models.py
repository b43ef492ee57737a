from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .registry_numbers import CLEANERS, registry_numbers_clean


class OrganisationType(models.TextChoices):
    NATIONAL_MINORITY = "national_minority", _("National minority organisation")
    ETHNIC_MINORITY = "ethnic_minority", _("Ethnic minority organisation")
    MIGRANT = "migrant", _("Migrant organisation")
    OTHER = "other", _("Other organisation")


class StoredImage(models.Model):
    """An uploaded picture (an event's cover, an organisation's logo) kept as the variants served.

    The upload itself is not kept: only its resized, re-encoded variants (no metadata), whose bytes
    live in the database so every web process can serve them (docs/decisions/0003-images-in-the-database.md).
    It lives here, the lowest app that has a picture (logos); events point their cover at it.
    """

    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def __str__(self) -> str:
        return f"{self.width}×{self.height} #{self.pk}"


class StoredImageVariant(models.Model):
    """One size of a StoredImage; `digest` (SHA-256 of `data`) is its address, so it never changes."""

    image = models.ForeignKey(StoredImage, on_delete=models.CASCADE, related_name="variants")
    digest = models.CharField(max_length=64, db_index=True)
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        ordering = ["width"]
        verbose_name = _("image size")
        verbose_name_plural = _("image sizes")

    def __str__(self) -> str:
        return f"{self.width}×{self.height} {self.digest[:12]}"


class Organisation(models.Model):
    """A civil-society organisation. Participants pick a known one or name a new one."""

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    logo = models.ForeignKey(
        StoredImage, verbose_name=_("logo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Polish registry numbers, stored as digits only (registry_numbers.py checks and normalises them).
    nip = models.CharField(_("NIP"), max_length=10, blank=True, help_text=_("Tax identification number, 10 digits."))
    regon = models.CharField(_("REGON"), max_length=14, blank=True, help_text=_("9 digits, or 14 for a branch."))
    krs = models.CharField(
        _("KRS number"), max_length=10, blank=True, help_text=_("National Court Register, 10 digits.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        for field, value in registry_numbers_clean({field: getattr(self, field) for field in CLEANERS}).items():
            setattr(self, field, value)
