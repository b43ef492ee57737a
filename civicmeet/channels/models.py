"""Channels to local government and good practice: what the network knows about reaching officials.

Representatives write drafts (a new channel, a proposed change of a published one, their
organisation's experience with an office, a good-practice note); they submit them; a moderator
publishes them or sends them back with a comment. Every edit and every change of status is a
Revision row (who, when, each field before and after, the moderator's comment): the history page
reads them. All writes go through services.py.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicmeet.core.visibility import Visibility
from civicmeet.organisations.models import Organisation, Region


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for a moderator")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


# Who may move an item from each state (the one home of the state machine; services._transition).
# "author": the author or a representative of the item's organisation; "moderator": a moderator.
TRANSITIONS: dict[str, dict[str, str]] = {
    ItemStatus.DRAFT: {ItemStatus.SUBMITTED: "author", ItemStatus.PUBLISHED: "moderator"},
    ItemStatus.SUBMITTED: {
        ItemStatus.PUBLISHED: "moderator",
        ItemStatus.DRAFT: "either",  # a moderator sends it back, or the author takes it back to change it
    },
    ItemStatus.PUBLISHED: {ItemStatus.ARCHIVED: "moderator"},
    ItemStatus.ARCHIVED: {ItemStatus.PUBLISHED: "moderator"},
}


class ChannelKind(models.TextChoices):
    CITY_OFFICE = "city_office", _("City or municipal office")
    VOIVODESHIP_OFFICE = "voivodeship_office", _("Voivodeship office")
    REGIONAL_GOVERNMENT = "regional_government", _("Regional government (marshal's office)")
    LABOUR_OFFICE = "labour_office", _("Labour office")
    SOCIAL_WELFARE = "social_welfare", _("Social welfare centre")
    POLICE = "police", _("Police or border guard")
    EDUCATION = "education", _("Schools and education office")
    HEALTH = "health", _("Health service")
    OMBUDSMAN = "ombudsman", _("Ombudsman or advisor")
    OTHER = "other", _("Other public body")


class Topic(models.TextChoices):
    """What one goes to a channel for: the list's purpose filter."""

    RESIDENCE = "residence", _("Residence and work permits")
    WORK = "work", _("Work and unemployment")
    SOCIAL = "social", _("Social help and benefits")
    EDUCATION = "education", _("Schools and education")
    HEALTH = "health", _("Health")
    HOUSING = "housing", _("Housing and registering an address")
    SAFETY = "safety", _("Safety and discrimination")
    NGO_COOPERATION = "ngo_cooperation", _("Cooperation with organisations")
    FUNDING = "funding", _("Grants and funding")
    CULTURE = "culture", _("Culture and minorities")
    OTHER = "other", _("Other matters")


class Helpfulness(models.TextChoices):
    HELPFUL = "helpful", _("It helped")
    PARTLY = "partly", _("It helped in part")
    NOT_HELPFUL = "not_helpful", _("It did not help")


class AuthoredItem(models.Model):
    """What channels, experiences, good practice and edit proposals share: who wrote it for which
    organisation, the language it is written in, its state and the moderator's last comment."""

    status = models.CharField(_("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    visibility = models.CharField(
        _("who sees it"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # The language the texts are written in (shown to readers of other languages).
    language = models.CharField(_("written in"), max_length=8, choices=settings.LANGUAGES, default="pl")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The moderator's comment when they last sent it back (or published it with a remark).
    moderator_comment = models.TextField(_("moderator's comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Channel(AuthoredItem):
    """An office or department of local government (or another public body) and how to reach it."""

    name = models.CharField(_("office or institution"), max_length=200)
    department = models.CharField(_("department or unit"), max_length=200, blank=True)
    kind = models.CharField(_("kind of office"), max_length=32, choices=ChannelKind.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    topics = models.JSONField(_("matters it deals with"), default=list, blank=True)
    purpose = models.TextField(_("what it is for"))
    address = models.TextField(_("address"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    booking = models.TextField(_("how to book a visit"), blank=True)
    # ISO 639 codes of the languages the office's staff speak with visitors.
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    interpreter_available = models.BooleanField(_("an interpreter can be arranged"), default=False)
    language_notes = models.TextField(_("notes on language help"), blank=True)

    class Meta:
        ordering = ["name", "department"]
        indexes = [models.Index(fields=["status", "region"], name="channel_status_region")]
        verbose_name = _("channel to local government")
        verbose_name_plural = _("channels to local government")

    def __str__(self) -> str:
        return f"{self.name} – {self.department}" if self.department else self.name

    @property
    def has_language_help(self) -> bool:
        return self.interpreter_available or any(code != "pl" for code in self.languages)


# The fields of a channel that an edit (or an edit proposal) may change, in the order shown.
CHANNEL_FIELDS = (
    "name",
    "department",
    "kind",
    "city",
    "region",
    "topics",
    "purpose",
    "address",
    "opening_hours",
    "phone",
    "email",
    "website",
    "booking",
    "languages",
    "interpreter_available",
    "language_notes",
    "language",
    "visibility",
)


class ChannelProposal(AuthoredItem):
    """A representative's proposed change of a published channel: applied when a moderator publishes it."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="proposals")
    # The proposed values of CHANNEL_FIELDS that differ from the channel's when it was proposed.
    changes = models.JSONField(_("proposed changes"), default=dict, encoder=DjangoJSONEncoder)
    note = models.TextField(_("why the change"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposed change of a channel")
        verbose_name_plural = _("proposed changes of channels")

    def __str__(self) -> str:
        return f"→ {self.channel_id} ({self.status})"


class ChannelExperience(AuthoredItem):
    """An organisation's experience with a channel: what happened, when, and whether it helped."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="experiences")
    text = models.TextField(_("what happened"))
    happened_on = models.DateField(_("when (approximately)"), null=True, blank=True)
    helpful = models.CharField(_("did it help?"), max_length=16, choices=Helpfulness.choices)

    class Meta:
        ordering = ["-happened_on", "-created_at"]
        indexes = [models.Index(fields=["channel", "status"], name="channel_experience_status")]
        verbose_name = _("experience with a channel")
        verbose_name_plural = _("experiences with channels")

    def __str__(self) -> str:
        return f"{self.organisation_id} @ {self.channel_id}"


class GoodPractice(AuthoredItem):
    """A good-practice note on cooperating with local government, optionally about some channels."""

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what worked"))
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    channels = models.ManyToManyField(
        Channel, verbose_name=_("offices it is about"), blank=True, related_name="good_practices"
    )

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("good practice")
        verbose_name_plural = _("good practice")

    def __str__(self) -> str:
        return self.title


class RevisionAction(models.TextChoices):
    CREATED = "created", _("Written")
    EDITED = "edited", _("Changed")
    SUBMITTED = "submitted", _("Submitted for review")
    WITHDRAWN = "withdrawn", _("Taken back to change")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Sent back with a comment")
    ARCHIVED = "archived", _("Archived")
    RESTORED = "restored", _("Published again")
    PROPOSED = "proposed", _("Change proposed")
    APPLIED = "applied", _("Proposed change published")


class Revision(models.Model):
    """One edit or change of status of a channel item: who, when, each field before and after, the
    moderator's comment. Exactly one of channel / proposal / experience / good_practice is set (an
    applied proposal also writes a row on its channel)."""

    channel = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    proposal = models.ForeignKey(
        ChannelProposal, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    experience = models.ForeignKey(
        ChannelExperience, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    good_practice = models.ForeignKey(
        GoodPractice, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions"
    )
    action = models.CharField(_("what happened"), max_length=16, choices=RevisionAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_before = models.CharField(max_length=16, choices=ItemStatus.choices, blank=True)
    status_after = models.CharField(max_length=16, choices=ItemStatus.choices, blank=True)
    # {field: [before, after]} for every field the change touched.
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(channel__isnull=False, proposal__isnull=True, experience__isnull=True)
                    & models.Q(good_practice__isnull=True)
                )
                | (
                    models.Q(channel__isnull=True, proposal__isnull=False, experience__isnull=True)
                    & models.Q(good_practice__isnull=True)
                )
                | (
                    models.Q(channel__isnull=True, proposal__isnull=True, experience__isnull=False)
                    & models.Q(good_practice__isnull=True)
                )
                | (
                    models.Q(channel__isnull=True, proposal__isnull=True, experience__isnull=True)
                    & models.Q(good_practice__isnull=False)
                ),
                name="channel_revision_one_item",
            )
        ]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.action} @ {self.created_at:%Y-%m-%d %H:%M}"
