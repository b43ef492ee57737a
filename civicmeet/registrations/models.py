from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    """An unguessable personal-link token: 32 random bytes (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted — waiting for the organisers")
    ACCEPTED = "accepted", _("Accepted")
    WAITLISTED = "waitlisted", _("On the waiting list")
    REJECTED = "rejected", _("Not admitted")
    CANCELLED = "cancelled", _("Cancelled")


# A registration with an address to write to: every message about a registration needs one (a
# walk-in registered at the desk may have none), and the one-per-email index covers only these.
HAS_EMAIL = ~models.Q(email="")


# The admission state machine, as data: each state and the states it may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    State.SUBMITTED: frozenset({State.ACCEPTED, State.WAITLISTED, State.REJECTED, State.CANCELLED}),
    State.WAITLISTED: frozenset({State.ACCEPTED, State.REJECTED, State.CANCELLED}),
    State.REJECTED: frozenset({State.ACCEPTED}),
    # An accepted person may be moved to the waiting list (their seat is freed) or cancelled.
    State.ACCEPTED: frozenset({State.WAITLISTED, State.CANCELLED}),
    State.CANCELLED: frozenset(),
}
ACTIVE_STATES = (State.SUBMITTED, State.ACCEPTED, State.WAITLISTED)


class Role(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    GUEST = "guest", _("Guest")
    ORGANISER = "organiser", _("Organiser")


class Dietary(models.TextChoices):
    NONE = "none", _("No special diet")
    VEGETARIAN = "vegetarian", _("Vegetarian")
    VEGAN = "vegan", _("Vegan")
    KOSHER = "kosher", _("Kosher")
    HALAL = "halal", _("Halal")
    OTHER = "other", _("Other (please describe)")


class SafetyVerdict(models.TextChoices):
    MEETS = "meets", _("Meets the safety rule")
    DOES_NOT_MEET = "does_not_meet", _("Does not meet the safety rule")
    TO_BE_CHECKED = "to_be_checked", _("To be checked at the door")


def holds_seat(state: str, role: str) -> bool:
    """A seat is an accepted participant; guests and organisers hold none. With `seat_filter`, the
    one home of this rule (capacity, per-organisation limits, seats left, catering)."""
    return state == State.ACCEPTED and role == Role.PARTICIPANT


def seat_filter(prefix: str = "") -> models.Q:
    """`holds_seat` as a filter, for registrations reached through `prefix` ("registrations__")."""
    return models.Q(**{f"{prefix}state": State.ACCEPTED, f"{prefix}role": Role.PARTICIPANT})


class Registration(models.Model):
    """One person's application to one event.

    `state` is the admission decision only; the person's `role` and (later) attendance are kept
    apart so that a guest or an organiser does not need states of their own.
    """

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="registrations")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.SUBMITTED)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.PARTICIPANT)

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # Empty only for a walk-in who gave none at the desk (checkin): they get no messages at all.
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    organisation_role = models.CharField(_("role in the organisation"), max_length=200, blank=True)
    language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES)
    dietary = models.CharField(_("diet"), max_length=16, choices=Dietary.choices, default=Dietary.NONE)
    dietary_details = models.CharField(_("other diet and allergies"), max_length=500, blank=True)
    accessibility_needs = models.TextField(_("accessibility needs"), max_length=1000, blank=True)
    interpreting_needs = models.CharField(_("interpreting needs"), max_length=500, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    consent_processing_at = models.DateTimeField(_("consent to processing given at"), null=True)
    consent_listing = models.BooleanField(_("appears on the participant list"), default=False)
    # Explicit consent to processing the health declaration (GDPR Art. 9), separate from the above.
    consent_health_at = models.DateTimeField(_("consent to processing health data given at"), null=True, blank=True)
    # The safety rule's verdict on the declaration at the event's start ('' = the event has no rule).
    safety_verdict = models.CharField(_("safety rule"), max_length=16, choices=SafetyVerdict.choices, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # The place on the waiting list set by organisers (None: after those placed, by registration time).
    waitlist_position = models.PositiveIntegerField(_("place on the waiting list"), null=True, blank=True)

    # The emails about this registration (the outbox knows no registrations: its link is generic).
    emails = GenericRelation(
        "notifications.OutgoingEmail",
        content_type_field="subject_type",
        object_id_field="subject_id",
        related_query_name="registration",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One registration per address and event; walk-ins without an address do not count
            # (queries that should use this index repeat its condition: HAS_EMAIL).
            models.UniqueConstraint("event", Lower("email"), condition=HAS_EMAIL, name="registration_one_per_email"),
            models.CheckConstraint(condition=models.Q(state__in=State.values), name="registration_state_valid"),
        ]
        indexes = [models.Index(fields=["event", "state"], name="registration_event_state")]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def display_name(self) -> str:
        """The name for organisers' lists and headings; says so when the person was anonymised."""
        if self.anonymised_at:
            return gettext("Anonymised registration no. %(number)d") % {"number": self.pk}
        return self.full_name

    @property
    def holds_seat(self) -> bool:
        return holds_seat(self.state, self.role)

    @property
    def diet_display(self) -> str:
        """The diet as the caterer reads it: its name, or "Other: <what they wrote>" (never the form's
        instruction "Other (please describe)")."""
        if self.dietary == Dietary.OTHER:
            details = " ".join(self.dietary_details.split())
            return gettext("Other: %(details)s") % {"details": details} if details else gettext("Other")
        return str(self.get_dietary_display())

    def can_move_to(self, state: str) -> bool:
        return state in TRANSITIONS[self.state]


class ActorKind(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    ORGANISER = "organiser", _("Organiser")
    SYSTEM = "system", _("System")


class LogEntry(models.Model):
    """One thing that happened to a registration: a state transition or an edit.

    `action` is a dotted code such as ``registrations.registration.accepted``. For edits
    `from_state` equals `to_state`. The history page and the notifications read these rows.
    """

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="log")
    action = models.CharField(max_length=80)
    from_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=State.choices)
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registration_log_entries",
    )
    message = models.TextField(blank=True)
    # The email that told the participant of this change: undoing a decision withdraws it.
    email = models.ForeignKey(
        "notifications.OutgoingEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")

    def __str__(self) -> str:
        return f"{self.action} ({self.from_state} → {self.to_state})"

    @property
    def before_the_day_label(self) -> str:
        """The organisers' words for a before-the-day entry (reconfirmation, offers); '' for others."""
        return str(BEFORE_THE_DAY_LABELS.get(self.action, ""))


# The history's before-the-day entries as organisers read them (registrations/reconfirmation.py, offers.py).
BEFORE_THE_DAY_LABELS = {
    "registrations.reconfirmation.asked": _("Asked whether they are still coming"),
    "registrations.reconfirmation.yes": _("Answered: still coming"),
    "registrations.reconfirmation.no": _("Answered: not coming"),
    "registrations.offer.made": _("Offered a freed seat"),
    "registrations.offer.declined": _("Seat offer declined"),
    "registrations.offer.expired": _("Seat offer expired"),
    "registrations.waitlist.moved": _("Place on the waiting list changed"),
}


class HealthDeclaration(models.Model):
    """The minimum a safety rule needs: the basis and its date or moment. Never a document,
    a certificate number or a scan. Deleted a few days after the event (see privacy.py)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="health_declaration")
    basis = models.CharField(
        _("basis"),
        max_length=16,
        choices=[
            ("vaccinated", _("Vaccinated")),
            ("recovered", _("Recovered")),
            ("tested", _("Tested")),
        ],
    )
    date = models.DateField(_("date"), null=True, blank=True)
    taken_at = models.DateTimeField(_("test taken at"), null=True, blank=True)
    test_kind = models.CharField(
        _("test kind"),
        max_length=16,
        blank=True,
        choices=[("pcr", _("PCR test")), ("antigen", _("Rapid antigen test"))],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("health declaration")
        verbose_name_plural = _("health declarations")

    def __str__(self) -> str:
        return f"{self.basis} ({self.registration_id})"


class DataPurge(models.Model):
    """A record of personal data removed on schedule or on request: what kind, how many, when.

    `stats` keeps the aggregate figures that remain (e.g. verdict counts) after the data is gone.
    """

    class Kind(models.TextChoices):
        HEALTH = "health_declarations", _("Health declarations")
        PERSONAL = "personal_data", _("Personal data (registrations anonymised)")
        ERASURE = "erasure", _("Erasure on request")

    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="purges")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    count = models.PositiveIntegerField()
    stats = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("data purge")
        verbose_name_plural = _("data purges")

    def __str__(self) -> str:
        return f"{self.kind}: {self.count}"


# -- Before the day: reconfirmation, waiting-list offers, the reminder (registrations/reconfirmation.py,
# offers.py, reminders.py) ------------------------------------------------------------------------


class ReconfirmAnswer(models.TextChoices):
    YES = "yes", _("Still coming")
    NO = "no", _("Not coming")


class Reconfirmation(models.Model):
    """The question "Are you still coming?" asked of one accepted participant, and their answer ('' = none yet).

    One per registration: the row is the proof the question was sent, so two workers (or a worker
    restarted halfway) never ask twice. The link's token is stored hashed."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="reconfirmation")
    token_hash = models.CharField(max_length=64, unique=True)
    answer = models.CharField(_("answer"), max_length=8, choices=ReconfirmAnswer.choices, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reconfirmation")
        verbose_name_plural = _("reconfirmations")

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.answer or '?'}"


class OfferState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class SeatOffer(models.Model):
    """A freed seat offered to someone on the waiting list, open until `expires_at`.

    While pending (and the person is still wait-listed) the offer holds its seat: the seat rule
    (`offer_holds_seat_filter`, counted in services._seat_counts) counts it like an acceptance."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="seat_offers")
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="seat_offers")
    state = models.CharField(_("state"), max_length=16, choices=OfferState.choices, default=OfferState.PENDING)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("open until"))
    # None: offered automatically when the seat was freed.
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("offered at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("seat offer")
        verbose_name_plural = _("seat offers")
        constraints = [
            models.UniqueConstraint(
                "registration", condition=models.Q(state="pending"), name="seat_offer_one_pending_per_registration"
            ),
        ]
        indexes = [models.Index(fields=["event", "state"], name="seat_offer_event_state")]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.state}"


def offer_holds_seat_filter(now, prefix: str = "") -> models.Q:
    """A pending offer, not expired, to someone still on the waiting list, holds a seat."""
    return models.Q(
        **{
            f"{prefix}state": OfferState.PENDING,
            f"{prefix}expires_at__gt": now,
            f"{prefix}registration__state": State.WAITLISTED,
            f"{prefix}registration__role": Role.PARTICIPANT,
        }
    )


class Reminder(models.Model):
    """The reminder the day before, sent once to one person (the row makes it once)."""

    registration = models.OneToOneField(Registration, on_delete=models.CASCADE, related_name="reminder")
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self) -> str:
        return str(self.registration_id)
