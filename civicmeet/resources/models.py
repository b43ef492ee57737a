"""What organisations of the network do (activities) and what they can share or need (resources:
offers and needs), the suggestions that pair an offer with a need, and the requests for contact
between them. Every change goes through services.py; matching.py pairs offers with needs.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicmeet.core.visibility import Visibility
from civicmeet.organisations.models import Organisation, Region

from .matching import place_key


class ActivityTiming(models.TextChoices):
    """Derived from an activity's dates (never stored): where it stands today."""

    CURRENT = "current", _("Current")
    PLANNED = "planned", _("Planned")
    PAST = "past", _("Finished")


class Activity(models.Model):
    """Something an organisation does or plans (a language course, a festival, legal advice)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # The language the title and description are written in (readers of another language see a hint).
    language = models.CharField(_("written in"), max_length=8, choices=settings.LANGUAGES, default="pl")
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    # Empty: ongoing, with no end planned.
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # ISO 639 codes of the languages the activity is run in.
    languages = models.JSONField(_("languages of the activity"), default=list, blank=True)
    looking_for_partners = models.BooleanField(_("looking for partners"), default=False)
    visibility = models.CharField(
        _("who sees it"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organisation", "starts_on", "id"]
        indexes = [models.Index(fields=["organisation", "ends_on"], name="activity_org_ends")]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="activity_dates_in_order",
            )
        ]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title

    def timing(self, today: datetime.date | None = None) -> str:
        """current, planned or past, from the dates (open-ended: ongoing once started)."""
        today = today or timezone.localdate()
        if self.ends_on is not None and self.ends_on < today:
            return ActivityTiming.PAST
        if self.starts_on is not None and self.starts_on > today:
            return ActivityTiming.PLANNED
        return ActivityTiming.CURRENT

    @property
    def timing_label(self) -> str:
        return str(ActivityTiming(self.timing()).label)

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end cannot come before the start.")}, code="dates_order")


class Direction(models.TextChoices):
    OFFER = "offer", _("Offer")
    NEED = "need", _("Need")


class Category(models.TextChoices):
    ROOM = "room", _("Room or space")
    EQUIPMENT = "equipment", _("Equipment")
    INTERPRETING = "interpreting", _("Interpreting or translation")
    EXPERTISE = "expertise", _("Legal or other expertise")
    VOLUNTEERS = "volunteers", _("Volunteers")
    TRANSPORT = "transport", _("Transport")
    MATERIALS = "materials", _("Materials")
    FUNDING = "funding", _("Funding partnership")
    OTHER = "other", _("Other")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Resource(models.Model):
    """An offer or a need of an organisation: a room for 40 on Saturdays, two interpreters, a van.

    Availability is a date range (`available_from`/`available_until`, either open), and/or
    recurring `weekdays` (0 = Monday), or `any_time`. The area is a city and/or region, or `online`
    (online or anywhere). `quantity` is in the unit of the category (people for a room, pieces of
    equipment, hours of interpreting …; matching.UNITS). An offer stops being suggested when it is
    made inactive or its `active_until` day has passed.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="resources")
    direction = models.CharField(_("offer or need"), max_length=8, choices=Direction.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("written in"), max_length=8, choices=settings.LANGUAGES, default="pl")
    quantity = models.PositiveIntegerField(_("how many"), null=True, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    weekdays = models.JSONField(_("on these days of the week"), default=list, blank=True)
    any_time = models.BooleanField(_("any time"), default=False)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    # The city as matching compares it (matching.place_key: no case, diacritics or dashes), so that
    # the SQL prefilter finds the same-city candidates Python accepts; set by save() (and by the
    # generator's bulk_create).
    city_key = models.CharField(max_length=100, blank=True, default="", editable=False)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    online = models.BooleanField(_("online or anywhere"), default=False)
    visibility = models.CharField(
        _("who sees it"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    active = models.BooleanField(_("active"), default=True)
    active_until = models.DateField(_("show until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            # Matching's prefilter (suggestions.entry_rows): category and direction first, then every
            # column it filters on or reads, so SQLite answers from the index alone (a covering
            # index) and never visits the table's wide rows (titles, descriptions).
            models.Index(
                fields=[
                    "category",
                    "direction",
                    "active",
                    "region",
                    "online",
                    "city_key",
                    "city",
                    "quantity",
                    "active_until",
                    "available_until",
                    "any_time",
                    "visibility",
                    "organisation",
                    "available_from",
                    "weekdays",
                    "languages",
                ],
                name="resource_match_covering",
            ),
            models.Index(fields=["organisation", "direction"], name="resource_org_direction"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(available_from__isnull=True)
                | Q(available_until__isnull=True)
                | Q(available_until__gte=models.F("available_from")),
                name="resource_dates_in_order",
            )
        ]
        verbose_name = _("offer or need")
        verbose_name_plural = _("offers and needs")

    def __str__(self) -> str:
        return f"{self.direction}: {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.city_key = place_key(self.city)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "city" in update_fields and "city_key" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "city_key"]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if not self.online and not self.region:
            errors["region"] = _("Choose the region, or tick “online or anywhere”.")
        if self.available_from and self.available_until and self.available_until < self.available_from:
            errors["available_until"] = _("The end cannot come before the start.")
        if not isinstance(self.weekdays, list) or any(day not in Weekday.values for day in self.weekdays):
            errors["weekdays"] = _("Choose the days of the week from the list.")
        if errors:
            raise ValidationError(errors, code="invalid")

    @property
    def unit_quantity(self) -> str:
        """The quantity with its unit in the active language ("40 people", "6 hours"), or ""."""
        from .reasons import quantity_phrase

        return quantity_phrase(self.category, self.quantity) if self.quantity else ""

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.active and (self.active_until is None or self.active_until >= today)


class ResourceAction(models.TextChoices):
    CREATED = "created", _("Added")
    UPDATED = "updated", _("Changed")
    DELETED = "deleted", _("Deleted")
    CONTACT_REQUESTED = "contact_requested", _("Contact requested")
    CONTACT_ACCEPTED = "contact_accepted", _("Contact accepted")
    CONTACT_DECLINED = "contact_declined", _("Contact declined")
    CONTACT_EXPIRED = "contact_expired", _("Contact request expired without an answer")


class ResourceLogEntry(models.Model):
    """History of an organisation's activities, offers and needs and their contact requests:
    who, when, what (`item_kind` activity / resource / contact, `item_id`), each field before and after.
    The item's row may be gone (deleted); its title is kept in `changes`."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="resource_log_entries")
    item_kind = models.CharField(max_length=16)
    item_id = models.PositiveBigIntegerField()
    action = models.CharField(_("action"), max_length=32, choices=ResourceAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="resource_log_recent")]
        verbose_name = _("history of activities and resources")
        verbose_name_plural = _("history of activities and resources")

    def __str__(self) -> str:
        return f"{self.item_kind}:{self.item_id} {self.action}"


class Suggestion(models.Model):
    """An offer that fits a need, as the nightly matching found it: both sides see it.
    `reasons` is matching.Fit.reasons as data (rendered in the reader's language)."""

    offer = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="suggestions_as_offer")
    need = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="suggestions_as_need")
    score = models.FloatField()
    reasons = models.JSONField(default=dict)
    computed_at = models.DateTimeField()
    dismissed_by_offerer = models.BooleanField(default=False)
    dismissed_by_needer = models.BooleanField(default=False)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [models.UniqueConstraint(fields=["offer", "need"], name="suggestion_pair_unique")]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")

    def __str__(self) -> str:
        return f"{self.offer_id} ↔ {self.need_id} ({self.score:.2f})"


class ContactStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    # Nobody answered within settings.CONTACT_REQUEST_EXPIRY_DAYS (resources.privacy).
    EXPIRED = "expired", _("Expired without an answer")


class ContactRequest(models.Model):
    """'Contact them': one organisation asks another, about an offer and a need that fit.

    Each approved representative of the asked organisation gets an email in their own language with
    their own link (ContactRecipient) and no personal address of the asker; accepting sends the
    asker and the one who answered each other's name and email, declining tells the asker politely."""

    from_organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contact_requests_sent")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contact_requests_received"
    )
    offer = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="contact_requests_as_offer")
    need = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="contact_requests_as_need")
    message = models.TextField(_("message"))
    # The asker's language, for the answer's email to them.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="pl")
    status = models.CharField(max_length=16, choices=ContactStatus.choices, default=ContactStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "need"], condition=Q(status="pending"), name="contact_request_one_pending_per_pair"
            )
        ]
        indexes = [models.Index(fields=["from_user", "created_at"], name="contact_request_user_recent")]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")

    def __str__(self) -> str:
        return f"{self.from_organisation_id} → {self.to_organisation_id} ({self.status})"


class ContactRecipient(models.Model):
    """One representative asked by a ContactRequest, with their personal link to answer it (a
    random token of which only the SHA-256 is stored): whoever answers is known by name."""

    request = models.ForeignKey(ContactRequest, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="pl")
    token_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "user"], name="contact_recipient_unique")]
        verbose_name = _("asked representative")
        verbose_name_plural = _("asked representatives")

    def __str__(self) -> str:
        return f"{self.request_id} → {self.user_id}"
