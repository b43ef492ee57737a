from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicmeet.core.i18n import localize
from civicmeet.core.moments import moment_in_range
from civicmeet.core.phones import display_phone, normalise_phone

from .timezones import timezone_allowed

# "manage/events/new/" is the new-event page, so no event can have that address.
RESERVED_SLUGS = frozenset({"new"})


def default_health_retention_days() -> int:
    return settings.HEALTH_DATA_RETENTION_DAYS


def default_personal_retention_days() -> int:
    return settings.PERSONAL_DATA_RETENTION_DAYS


class Event(models.Model):
    """A meeting with its public page, registration window and admission limits.

    Texts written by organisers are per-language mappings (see civicmeet.core.i18n).
    """

    slug = models.SlugField(_("address (slug)"), max_length=80, unique=True)
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    # One agenda topic per line.
    agenda = models.JSONField(_("agenda topics"), default=dict, blank=True)
    venue = models.JSONField(_("venue"), default=dict, blank=True)
    conditions = models.JSONField(_("further conditions"), default=dict, blank=True)
    safety_rules = models.JSONField(_("safety rules"), default=dict, blank=True)
    processing_purpose = models.JSONField(_("purpose of processing personal data"), default=dict, blank=True)
    fallback_language = models.CharField(
        _("fallback language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    timezone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    registration_opens_at = models.DateTimeField(_("registration opens at"))
    registration_closes_at = models.DateTimeField(_("registration closes at"))

    capacity = models.PositiveIntegerField(_("capacity (seats)"), validators=[MinValueValidator(1)])
    seats_per_organisation = models.PositiveIntegerField(
        _("seats per organisation"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    # Before the day (registrations/reconfirmation.py, offers.py): None = no reconfirmation.
    reconfirm_days_before = models.PositiveSmallIntegerField(
        _("days before the event to ask “Are you still coming?”"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours a seat offered from the waiting list stays open"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(336)],
    )
    offers_automatic = models.BooleanField(_("offer freed seats to the waiting list automatically"), default=False)
    # No claim is made for the organisers: each is ticked on purpose.
    is_free = models.BooleanField(_("free of charge"), default=False)
    provides_materials = models.BooleanField(_("materials provided"), default=False)
    provides_catering = models.BooleanField(_("catering provided"), default=False)
    # The safety rule's parameters (civicmeet.eligibility.SafetyPolicy.to_data()); None means no rule.
    safety_policy = models.JSONField(_("safety policy"), null=True, blank=True)
    # Organisation types the meeting is meant for; registrations from others are flagged, not refused.
    audience_types = models.JSONField(_("intended audience"), default=list, blank=True)
    # Data protection: what is kept, and for how long after the event ends.
    privacy_notice = models.JSONField(_("privacy notice of the joint controllers"), default=dict, blank=True)
    health_data_retention_days = models.PositiveIntegerField(
        _("days to keep health declarations after the event"), default=default_health_retention_days
    )
    personal_data_retention_days = models.PositiveIntegerField(
        _("days to keep other personal data after the event"), default=default_personal_retention_days
    )

    # How participants reach the organisers: the event page, every email's signature and Reply-To.
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("Participants write here; the emails we send them name it as the address to reply to."),
    )
    contact_phone = models.CharField(
        _("contact phone"),
        max_length=32,
        blank=True,
        help_text=_("International format with the country code, e.g. +48 600 123 456."),
    )
    # Language codes from settings.LANGUAGES, in the organisers' order.
    contact_languages = models.JSONField(_("languages the organisers answer in"), default=list, blank=True)
    cover = models.ForeignKey(
        "organisations.StoredImage",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    co_organisers = models.ManyToManyField(
        "organisations.Organisation", verbose_name=_("co-organising organisations"), blank=True, related_name="+"
    )
    # Offers of the network's projects shown on the registration form with an "I am interested" tick.
    interest_offers = models.ManyToManyField(
        "programmes.ProjectOffer",
        verbose_name=_("project offers on the registration form"),
        blank=True,
        related_name="+",
    )
    # The grant programme the meeting is part of (its report compares the programme's events).
    # PROTECT: a programme that events report to is not deleted from under their reports
    # (as a programme's projects); SET_NULL would drop the link without a line in the event's history.
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    # Who runs the event (organisers) and who checks people in (desk): accounts.Team.
    team = models.OneToOneField("accounts.Team", on_delete=models.PROTECT, related_name="event")

    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="event_registration_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title()

    def display_title(self, language: str | None = None) -> str:
        return localize(self.title, language, self.fallback_language) or self.slug

    def text(self, field: str, language: str | None = None) -> str:
        return localize(getattr(self, field), language, self.fallback_language)

    @property
    def safety(self):
        """The safety rule as an eligibility.SafetyPolicy, or None when the event has none."""
        from civicmeet.eligibility import safety_policy_from_data

        return safety_policy_from_data(self.safety_policy)

    @property
    def audience(self):
        from civicmeet.eligibility import AudiencePolicy

        return (
            AudiencePolicy(organisation_types=tuple(sorted(set(self.audience_types)))) if self.audience_types else None
        )

    @property
    def contact_language_names(self) -> list[tuple[str, str]]:
        """(code, the language's own name) of the languages the organisers answer in, in the site's order."""
        chosen = set(self.contact_languages or ())
        return [(code, name) for code, name in settings.LANGUAGES if code in chosen]

    @property
    def contact_phone_display(self) -> str:
        return display_phone(self.contact_phone) if self.contact_phone else ""

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.contact_phone)

    def agenda_items(self, language: str | None = None) -> list[str]:
        return [line.strip(" •-\t") for line in self.text("agenda", language).splitlines() if line.strip(" •-\t")]

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local(self, moment: datetime) -> datetime:
        return timezone.localtime(moment, self.tz)

    def registration_status(self, now: datetime | None = None) -> str:
        """'not_yet', 'open' or 'closed' — the window is enforced on the server with this."""
        now = now or timezone.now()
        if now < self.registration_opens_at:
            return "not_yet"
        if now > self.registration_closes_at:
            return "closed"
        return "open"

    def is_registration_open(self, now: datetime | None = None) -> bool:
        return self.is_published and self.registration_status(now) == "open"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            moment = getattr(self, name)
            if moment is not None and not moment_in_range(moment):
                errors[name] = _("Enter a valid date/time.")
        if errors:
            raise ValidationError(errors)  # the comparisons below would fail on such moments
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This address is reserved. Choose another one.")
        if not timezone_allowed(self.timezone, event_pk=self.pk):
            errors["timezone"] = _("Unknown time zone.")
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event cannot end before it starts.")
        if self.registration_opens_at and self.registration_closes_at:
            if self.registration_closes_at <= self.registration_opens_at:
                errors["registration_closes_at"] = _("Registration must close after it opens.")
            elif self.ends_at and self.registration_closes_at > self.ends_at:
                errors["registration_closes_at"] = _("Registration must close before the event ends.")
        health, personal = self.health_data_retention_days, self.personal_data_retention_days
        if health is not None and personal is not None and health > personal:
            errors["health_data_retention_days"] = _(
                "Health declarations cannot be kept longer than the other personal data."
            )
        if not any((self.title or {}).values()):
            errors["title"] = _("Give the event a title in at least one language.")
        try:
            self.contact_phone = normalise_phone(self.contact_phone)
        except ValidationError as error:
            errors["contact_phone"] = error
        known = {code for code, _name in settings.LANGUAGES}
        if not isinstance(self.contact_languages, list) or not set(self.contact_languages) <= known:
            errors["contact_languages"] = _("Choose from the languages of this site.")
        if errors:
            raise ValidationError(errors)


class TeamAffiliation(models.Model):
    """On behalf of which organisation (usually a co-organiser) a team member works on the event."""

    member = models.OneToOneField("accounts.TeamMember", on_delete=models.CASCADE, related_name="affiliation")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("team member's organisation")
        verbose_name_plural = _("team members' organisations")

    def __str__(self) -> str:
        return f"{self.member} for {self.organisation}"


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    YES_NO = "yes_no", _("Yes / no")


class CustomQuestion(models.Model):
    """An event's own question on the registration form.

    `options` is a list of ``{"key": "...", "label": {"pl": ..., "uk": ..., "en": ...}}`` for
    choice questions. Answers are stored on the registration under the question's `key`.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=40)
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    label = models.JSONField(_("question"), default=dict)
    required = models.BooleanField(_("required"), default=False)
    options = models.JSONField(_("options"), default=list, blank=True)
    # A yes/no question such as "Will you take part in the working lunch?".
    counts_for_catering = models.BooleanField(
        _("counts for catering"),
        default=False,
        help_text=_("Catering counts only the people who answer yes."),
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "key"], name="question_key_unique")]
        verbose_name = _("custom question")
        verbose_name_plural = _("custom questions")

    def __str__(self) -> str:
        return self.display_label()

    def display_label(self, language: str | None = None) -> str:
        return localize(self.label, language, self.event.fallback_language if self.event_id else None) or self.key

    def option_choices(self, language: str | None = None) -> list[tuple[str, str]]:
        fallback = self.event.fallback_language if self.event_id else None
        return [(opt["key"], localize(opt.get("label"), language, fallback) or opt["key"]) for opt in self.options]

    @property
    def is_choice(self) -> bool:
        return self.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


class EventAction(models.TextChoices):
    """What happened to an event: the dotted codes of its history rows."""

    CREATED = "events.event.created", _("Event created")
    CHANGED = "events.event.changed", _("Event details changed")
    PUBLISHED = "events.event.published", _("Event published")
    UNPUBLISHED = "events.event.unpublished", _("Event unpublished")
    QUESTIONS_REPLACED = "events.questions.replaced", _("Questions changed")
    MEMBER_ADDED = "events.team.member_added", _("Added to the team")
    MEMBER_CHANGED = "events.team.member_changed", _("Changed on the team")
    MEMBER_REMOVED = "events.team.member_removed", _("Removed from the team")
    MEMBER_INVITED = "events.team.member_invited", _("Invited to the team")
    INVITATION_ACCEPTED = "events.team.invitation_accepted", _("Invitation to the team accepted")
    INVITATION_WITHDRAWN = "events.team.invitation_withdrawn", _("Invitation to the team withdrawn")
    GUEST_ADDED = "events.guest.added", _("Guest added")


class EventLogEntry(models.Model):
    """One change of an event, its questions, team or guests: who, when and what changed.

    `changes` maps a field to `[before, after]` (texts per language as they were), or holds the
    details of the action (the team member's email, a guest's name). Written by the services only.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="log_entries")
    action = models.CharField(_("action"), max_length=64, choices=EventAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "-created_at"], name="event_log_entry_recent")]
        verbose_name = _("event history entry")
        verbose_name_plural = _("event history")

    def __str__(self) -> str:
        return f"{self.action} @ {self.event_id}"
