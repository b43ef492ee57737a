from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civicmeet.core.visibility import Visibility

from .registry_numbers import CLEANERS, registry_numbers_clean


class OrganisationType(models.TextChoices):
    NATIONAL_MINORITY = "national_minority", _("National minority organisation")
    ETHNIC_MINORITY = "ethnic_minority", _("Ethnic minority organisation")
    MIGRANT = "migrant", _("Migrant organisation")
    OTHER = "other", _("Other organisation")


class OrganisationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, waiting for review")
    PUBLISHED = "published", _("In the directory")


class Region(models.TextChoices):
    """Poland's voivodeships (and "abroad"), the regions a directory filters by."""

    DOLNOSLASKIE = "dolnoslaskie", "dolnośląskie"
    KUJAWSKO_POMORSKIE = "kujawsko-pomorskie", "kujawsko-pomorskie"
    LUBELSKIE = "lubelskie", "lubelskie"
    LUBUSKIE = "lubuskie", "lubuskie"
    LODZKIE = "lodzkie", "łódzkie"
    MALOPOLSKIE = "malopolskie", "małopolskie"
    MAZOWIECKIE = "mazowieckie", "mazowieckie"
    OPOLSKIE = "opolskie", "opolskie"
    PODKARPACKIE = "podkarpackie", "podkarpackie"
    PODLASKIE = "podlaskie", "podlaskie"
    POMORSKIE = "pomorskie", "pomorskie"
    SLASKIE = "slaskie", "śląskie"
    SWIETOKRZYSKIE = "swietokrzyskie", "świętokrzyskie"
    WARMINSKO_MAZURSKIE = "warminsko-mazurskie", "warmińsko-mazurskie"
    WIELKOPOLSKIE = "wielkopolskie", "wielkopolskie"
    ZACHODNIOPOMORSKIE = "zachodniopomorskie", "zachodniopomorskie"
    NATIONWIDE = "nationwide", _("the whole of Poland")
    ABROAD = "abroad", _("abroad")


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


class Community(models.Model):
    """A community an organisation serves (Ukrainian, Jewish, Roma, …): a list the moderators keep."""

    slug = models.SlugField(max_length=40, unique=True)
    name_pl = models.CharField(_("name in Polish"), max_length=100)
    name_uk = models.CharField(_("name in Ukrainian"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name_en"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (English when the language has none)."""
        return getattr(self, f"name_{get_language() or 'en'}", None) or self.name_en


class Organisation(models.Model):
    """A civil-society organisation: its profile in the directory of the network.

    `name` is its main name (usually the registered Polish one); names in other languages and
    alternate spellings are OrganisationName rows, all of them found by search and by the duplicate
    finder. Participants pick a known organisation or name a new one, which becomes a draft the
    moderators review (status DRAFT) before it shows in the directory.
    """

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    type = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=OrganisationStatus.choices, default=OrganisationStatus.DRAFT
    )
    visibility = models.CharField(
        _("who sees the profile"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    communities = models.ManyToManyField(
        Community, verbose_name=_("communities served"), blank=True, related_name="organisations"
    )
    # ISO 639-1 codes (ISO 639-3 where a language has no two-letter code), shown by name in the reader's language.
    working_languages = models.JSONField(_("working languages"), default=list, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    area_served = models.CharField(_("area served"), max_length=200, blank=True)
    description_pl = models.TextField(_("description in Polish"), blank=True)
    description_uk = models.TextField(_("description in Ukrainian"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_other = models.CharField(
        _("other ways to reach us"),
        max_length=300,
        blank=True,
        help_text=_("For example Facebook, Telegram or Signal."),
    )
    contact_visibility = models.CharField(
        _("who sees the contact details"), max_length=16, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    founded_year = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("member of (federation or coalition)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    logo = models.ForeignKey(
        StoredImage, verbose_name=_("logo"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Polish registry numbers, stored as digits only (registry_numbers.py checks and normalises them).
    nip = models.CharField(_("NIP"), max_length=10, blank=True, help_text=_("Tax identification number, 10 digits."))
    regon = models.CharField(_("REGON"), max_length=14, blank=True, help_text=_("9 digits, or 14 for a branch."))
    krs = models.CharField(
        _("KRS number"), max_length=10, blank=True, help_text=_("National Court Register, 10 digits.")
    )
    last_checked_on = models.DateField(_("information last checked"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci")]
        indexes = [
            models.Index(fields=["status", "type"], name="organisation_status_type"),
            # Matching's candidates (resources.suggestions) join each offer or need to its organisation
            # for the status and the name: PostgreSQL answers from this index alone (no table rows).
            models.Index(fields=["status", "id", "name", "visibility"], name="organisation_match_covering"),
        ]
        permissions = [("moderate_network", "Can moderate the directory of the network")]

    def __str__(self) -> str:
        return self.name

    def description(self, language: str | None = None) -> str:
        """The description in `language` (the active one by default), else in any language it has."""
        language = language or get_language() or "en"
        return (
            getattr(self, f"description_{language}", "")
            or self.description_pl
            or self.description_en
            or self.description_uk
        )

    def clean(self) -> None:
        for field, value in registry_numbers_clean({field: getattr(self, field) for field in CLEANERS}).items():
            setattr(self, field, value)


class NameKind(models.TextChoices):
    TRANSLATION = "translation", _("Name in another language")
    ALTERNATE = "alternate", _("Other name or spelling")
    FORMER = "former", _("Former name")


class OrganisationName(models.Model):
    """Another name of an organisation: its name in a language ("Зустріч", "Zustricz Foundation"),
    another spelling, or a former name. Search and the duplicate finder use all of them."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=200)
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)
    kind = models.CharField(_("kind"), max_length=16, choices=NameKind.choices, default=NameKind.TRANSLATION)

    class Meta:
        ordering = ["organisation", "kind", "language", "name"]
        constraints = [
            models.UniqueConstraint("organisation", Lower("name"), name="organisation_name_variant_unique_ci")
        ]
        verbose_name = _("name variant")
        verbose_name_plural = _("name variants")

    def __str__(self) -> str:
        return self.name


class RepresentativeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    REMOVED = "removed", _("No longer a representative")


class RepresentativeSource(models.TextChoices):
    REGISTRATION = "registration", _("Registered for a meeting")
    INVITATION = "invitation", _("Invited")
    REQUEST = "request", _("Asked to represent it")


class Representative(models.Model):
    """A person who speaks for an organisation in the network and keeps its profile, activities and
    offers up to date. They sign in with a one-time link sent to their email (accounts.signin_links).
    A moderator approves a new representative; only APPROVED ones may edit."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="representatives")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representations")
    status = models.CharField(
        _("status"), max_length=16, choices=RepresentativeStatus.choices, default=RepresentativeStatus.PENDING
    )
    source = models.CharField(_("how they came"), max_length=16, choices=RepresentativeSource.choices)
    role = models.CharField(_("role in the organisation"), max_length=200, blank=True)
    # The language their emails are written in.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="pl")
    # Public pages show a person's own contact data only with their consent.
    contact_public = models.BooleanField(_("show my name and email to members of the network"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="organisation_representative_unique")
        ]
        indexes = [models.Index(fields=["user", "status"], name="representative_user_status")]
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation_id} ({self.status})"


class OrganisationAction(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Profile changed")
    CHECKED = "checked", _("Information confirmed as still correct")
    PUBLISHED = "published", _("Published in the directory")
    UNPUBLISHED = "unpublished", _("Taken back to draft")
    MERGED = "merged", _("Merged with a duplicate")
    IMPORTED = "imported", _("Imported")
    REPRESENTATIVE = "representative", _("Representatives changed")


class OrganisationLogEntry(models.Model):
    """One change of an organisation's profile: who, when, each field before and after (services only)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="log_entries")
    action = models.CharField(_("action"), max_length=32, choices=OrganisationAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="organisation_log_recent")]
        verbose_name = _("organisation history entry")
        verbose_name_plural = _("organisation history")

    def __str__(self) -> str:
        return f"{self.action} @ {self.organisation_id}"


class OrganisationMerge(models.Model):
    """The record of a merge: a duplicate folded into `survivor`. The duplicate's row is gone; its
    names, its id and how many rows of each kind moved to the survivor are kept here."""

    survivor = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="merges")
    merged_id = models.PositiveBigIntegerField(_("id of the merged duplicate"))
    merged_name = models.CharField(_("name of the merged duplicate"), max_length=200)
    merged_data = models.JSONField(_("the duplicate's profile"), default=dict, encoder=DjangoJSONEncoder)
    moved = models.JSONField(_("rows moved"), default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("merge of duplicates")
        verbose_name_plural = _("merges of duplicates")

    def __str__(self) -> str:
        return f"{self.merged_name} → {self.survivor_id}"
