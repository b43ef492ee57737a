"""Programmes → projects → offers, and the people who sign up for an offer.

A programme (the "Active Citizens – National Fund") funds projects; each project is run by an
organisation of the directory (with partner organisations) and has offers: trainings, workshops,
activities, consultations. People sign up for an offer (a seat while there are seats, the waiting
list after), or tick "I am interested" on an event's registration form, which reaches the project's
team as an interest (no seat).

Texts written by the project teams are per-language mappings (civicmeet.core.i18n), like events'.
programmes sits below events and registrations (civicmeet/layers.py): an interest keeps the ids of
the registration and event it came from as plain numbers, and the event's title as it was.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicmeet.core.i18n import local_text, localize
from civicmeet.core.visibility import Visibility
from civicmeet.organisations.models import Region


class Programme(models.Model):
    """A funding programme, e.g. "Aktywni Obywatele – Fundusz Krajowy" / "Active Citizens – National Fund"."""

    slug = models.SlugField(_("address (slug)"), max_length=80, unique=True)
    name = models.JSONField(_("name"), default=dict)
    funder = models.CharField(_("funded by"), max_length=200, blank=True)
    operator = models.CharField(_("operated by"), max_length=200, blank=True)
    description = models.JSONField(_("description"), default=dict, blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self, language: str | None = None) -> str:
        return localize(self.name, language) or self.slug

    @property
    def local_name(self):
        return local_text(self.name)

    @property
    def local_description(self):
        return local_text(self.description)


class Project(models.Model):
    """A project of a programme, run by an organisation (its approved representatives are the
    project's team, with the moderators), with partner organisations."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="projects")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("run by"),
        on_delete=models.PROTECT,
        related_name="programme_projects",
    )
    partners = models.ManyToManyField(
        "organisations.Organisation", verbose_name=_("partner organisations"), blank=True, related_name="+"
    )
    slug = models.SlugField(_("address (slug)"), max_length=80, unique=True)
    title = models.JSONField(_("title"), default=dict)
    short_name = models.CharField(_("short name"), max_length=40, blank=True, help_text=_("For example IDZ or KOMM."))
    description = models.JSONField(_("description"), default=dict, blank=True)
    website = models.URLField(_("website"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    visibility = models.CharField(
        _("who sees the project"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["programme", "short_name", "slug"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="project_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.display_title()

    def display_title(self, language: str | None = None) -> str:
        return localize(self.title, language) or self.short_name or self.slug

    @property
    def local_title(self):
        return local_text(self.title)

    @property
    def local_description(self):
        return local_text(self.description)


class OfferKind(models.TextChoices):
    TRAINING = "training", _("Training")
    WORKSHOP = "workshop", _("Workshop")
    ACTIVITY = "activity", _("Activity")
    CONSULTATION = "consultation", _("Consultation")
    OTHER = "other", _("Other")


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Open for sign-up")
    CLOSED = "closed", _("Sign-up closed")
    CANCELLED = "cancelled", _("Cancelled")


class ProjectOffer(models.Model):
    """What a project offers people: a training, workshop, activity or consultation.

    No `starts_at` means the dates are still to be agreed with those who sign up. No `seats` means
    no limit. Only OPEN offers before `signup_until` take sign-ups.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(_("kind"), max_length=16, choices=OfferKind.choices, default=OfferKind.TRAINING)
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True, help_text=_("Empty: dates to be agreed."))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    online = models.BooleanField(_("online"), default=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    # Language codes (ISO 639-1, like organisations' working languages) the offer is given in.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True, help_text=_("Leave empty for no limit."))
    signup_until = models.DateTimeField(_("sign-up open until"), null=True, blank=True)
    visibility = models.CharField(
        _("who sees the offer"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(_("status"), max_length=16, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "starts_at", "id"]
        verbose_name = _("project offer")
        verbose_name_plural = _("project offers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(starts_at__isnull=True)
                | models.Q(ends_at__gte=models.F("starts_at")),
                name="project_offer_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(seats__isnull=True) | models.Q(seats__gte=1), name="project_offer_seats_positive"
            ),
        ]
        indexes = [models.Index(fields=["project", "status"], name="project_offer_status")]

    def __str__(self) -> str:
        return self.display_title()

    def display_title(self, language: str | None = None) -> str:
        return localize(self.title, language) or f"#{self.pk}"

    @property
    def local_title(self):
        return local_text(self.title)

    @property
    def local_description(self):
        return local_text(self.description)


class SignUpStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    WAITLISTED = "waitlisted", _("On the waiting list")
    INTERESTED = "interested", _("Interested")
    CANCELLED = "cancelled", _("Cancelled")


class SignUpSource(models.TextChoices):
    DIRECT = "direct", _("Signed up on the offer's page")
    EVENT_INTEREST = "event_interest", _("Interest from an event registration")


# Only these hold one of the offer's seats.
SEAT_STATUSES = (SignUpStatus.SIGNED_UP,)


class OfferSignUp(models.Model):
    """A person's sign-up for an offer, or their interest ticked on an event's registration form.

    A direct sign-up holds a seat (SIGNED_UP) or waits for one (WAITLISTED); its person sees and
    cancels it through their own link (`token_hash`: the SHA-256 of the raw token in the email).
    An interest (INTERESTED, source EVENT_INTEREST) holds no seat: the project's team contacts the
    person. It keeps the registration's and event's ids (programmes may not point at those apps)
    so that erasing the registration erases it too.
    """

    offer = models.ForeignKey(ProjectOffer, on_delete=models.CASCADE, related_name="signups")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="pl")
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=SignUpStatus.choices)
    source = models.CharField(_("source"), max_length=16, choices=SignUpSource.choices, default=SignUpSource.DIRECT)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    registration_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    event_id = models.PositiveBigIntegerField(null=True, blank=True)
    event_title = models.JSONField(_("event"), default=dict, blank=True)
    created_at = models.DateTimeField(_("signed up at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["offer", "created_at", "id"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "registration_id"],
                condition=models.Q(registration_id__isnull=False),
                name="offer_signup_one_interest_per_registration",
            )
        ]
        indexes = [models.Index(fields=["offer", "status"], name="offer_signup_status")]

    def __str__(self) -> str:
        return f"{self.name} → {self.offer_id} ({self.status})"

    @property
    def event_display_title(self) -> str:
        return localize(self.event_title)


class ProgrammeAction(models.TextChoices):
    PROJECT_CREATED = "programmes.project.created", _("Project created")
    PROJECT_CHANGED = "programmes.project.changed", _("Project changed")
    OFFER_CREATED = "programmes.offer.created", _("Offer created")
    OFFER_CHANGED = "programmes.offer.changed", _("Offer changed")
    SIGNED_UP = "programmes.signup.signed_up", _("Signed up")
    WAITLISTED = "programmes.signup.waitlisted", _("Put on the waiting list")
    PROMOTED = "programmes.signup.promoted", _("Moved from the waiting list to a seat")
    INTERESTED = "programmes.signup.interested", _("Interest from an event registration")
    CANCELLED = "programmes.signup.cancelled", _("Sign-up cancelled")
    ERASED = "programmes.signup.erased", _("Interest erased with its registration")


class ProgrammeLogEntry(models.Model):
    """One change of a project, an offer or a sign-up: who, when, what (written by the services only).

    `changes` maps a field to `[before, after]`, or holds the details of the action. A sign-up's
    rows keep no personal data, so erasing a person leaves the history of the offer intact.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="log_entries")
    offer = models.ForeignKey(ProjectOffer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    signup = models.ForeignKey(OfferSignUp, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("action"), max_length=64, choices=ProgrammeAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "-created_at"], name="programme_log_recent")]
        verbose_name = _("project history entry")
        verbose_name_plural = _("project history")

    def __str__(self) -> str:
        return f"{self.action} @ {self.project_id}"
