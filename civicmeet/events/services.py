"""Creating and changing events. Views, the API and the demo loader all go through here."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civicmeet.accounts import services as team_services
from civicmeet.accounts.models import TeamMember, TeamRole
from civicmeet.core.errors import ConflictError, DomainError
from civicmeet.core.i18n import clean_localized

from .models import CustomQuestion, Event, TeamAffiliation

LOCALIZED_FIELDS = (
    "title",
    "description",
    "agenda",
    "venue",
    "conditions",
    "safety_rules",
    "processing_purpose",
    "privacy_notice",
)
PLAIN_FIELDS = (
    "slug",
    "fallback_language",
    "starts_at",
    "ends_at",
    "timezone",
    "registration_opens_at",
    "registration_closes_at",
    "capacity",
    "seats_per_organisation",
    "is_free",
    "provides_materials",
    "provides_catering",
    "safety_policy",
    "audience_types",
    "health_data_retention_days",
    "personal_data_retention_days",
)


def _apply(event: Event, data: dict[str, Any]) -> None:
    for name in LOCALIZED_FIELDS:
        if name in data:
            setattr(event, name, clean_localized(data[name]))
    for name in PLAIN_FIELDS:
        if name in data:
            setattr(event, name, data[name])


def event_create(*, creator, data: dict[str, Any], co_organisers=()) -> Event:
    """Create an (unpublished) event; its creator joins its team as an organiser.

    `data` holds model field values; multilingual fields as {language: text}. Raises Django's
    ValidationError (per field) when the event is inconsistent.
    """
    if Event.objects.filter(slug=data.get("slug")).exists():
        raise ConflictError(_("An event with this address already exists."), code="slug_taken")
    event = Event()
    _apply(event, data)
    event.full_clean(exclude=["team"])  # the team is made with the event, below
    try:
        with transaction.atomic():
            event.team = team_services.team_create()
            event.save()
            event.co_organisers.set(co_organisers)
            team_services.team_member_put(team=event.team, user=creator, role=TeamRole.ORGANISER)
    except IntegrityError:
        # Two organisers created the same address at the same moment.
        if Event.objects.filter(slug=event.slug).exists():
            raise ConflictError(_("An event with this address already exists."), code="slug_taken") from None
        raise
    return event


def event_update(*, event: Event, data: dict[str, Any], co_organisers=None, actor=None) -> Event:
    """Change an event. When its safety rule or its start changes, every verdict is recomputed
    (verdicts are evaluated at the event's start) and affected accepted participants are told;
    the registrations whose verdict changed are left in `event.changed_verdicts`."""
    from civicmeet.registrations.safety import safety_verdicts_recompute

    before = Event.objects.filter(pk=event.pk).values("safety_policy", "starts_at", "timezone").first()
    _apply(event, data)
    event.full_clean()
    with transaction.atomic():
        event.save()
        if co_organisers is not None:
            event.co_organisers.set(co_organisers)
        now = {"safety_policy": event.safety_policy, "starts_at": event.starts_at, "timezone": event.timezone}
        event.changed_verdicts = safety_verdicts_recompute(event=event) if before is not None and before != now else []
    return event


def event_publish(*, event: Event, actor=None) -> Event:
    if not any(event.title.values()):
        raise DomainError(_("Give the event a title before publishing it."))
    event.is_published = True
    event.save(update_fields=["is_published", "updated_at"])
    return event


def event_unpublish(*, event: Event, actor=None) -> Event:
    event.is_published = False
    event.save(update_fields=["is_published", "updated_at"])
    return event


def team_member_add(
    *, event: Event, email: str, role: str = TeamRole.ORGANISER, organisation=None, actor=None
) -> TeamMember:
    """Put an existing account on the event's team, on behalf of `organisation` (or none).
    Accounts are created by `create_organiser`."""
    user = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise DomainError(_("There is no account with this email address. Ask an administrator to create it."))
    with transaction.atomic():
        member, _before = team_services.team_member_put(team=event.team, user=user, role=role)
        if organisation is None:
            TeamAffiliation.objects.filter(member=member).delete()
        else:
            TeamAffiliation.objects.update_or_create(member=member, defaults={"organisation": organisation})
    member.organisation = organisation
    return member


def team_member_remove(*, event: Event, member: TeamMember, actor=None) -> None:
    team_services.team_member_remove(team=event.team, member=member)


def questions_replace(*, event: Event, questions: list[dict[str, Any]], actor=None) -> list[CustomQuestion]:
    """Replace the event's custom questions with the given list (in order).

    Each item: key, kind, label ({language: text}), required, options ([{key, label}]).
    Answers already given stay on registrations under their key. The event's version changes
    with its questions (the registration form is part of the event).
    """
    with transaction.atomic():
        event.save(update_fields=["updated_at"])
        event.questions.all().delete()
        created = [
            CustomQuestion.objects.create(
                event=event,
                position=position,
                key=item["key"],
                kind=item["kind"],
                label=clean_localized(item.get("label")),
                required=bool(item.get("required")),
                options=[
                    {"key": option["key"], "label": clean_localized(option.get("label"))}
                    for option in item.get("options") or []
                ],
            )
            for position, item in enumerate(questions)
        ]
    return created


def event_save(
    *,
    data: dict[str, Any],
    event: Event | None = None,
    creator=None,
    co_organisers=(),
    new_co_organisers: list[tuple[str, str]] | tuple = (),
) -> Event:
    """Create (no `event`) or update an event, naming new co-organising organisations on the way.

    `new_co_organisers` is a list of (name, organisation type); a name that matches a known
    organisation (case-insensitively) picks that one. Everything happens in one transaction, so an
    event that fails validation leaves no new organisations behind.
    """
    from civicmeet.organisations.services import organisation_get_or_create

    with transaction.atomic():
        organisations = list(co_organisers)
        for name, kind in new_co_organisers:
            organisation = organisation_get_or_create(name=name, type=kind)
            if organisation not in organisations:
                organisations.append(organisation)
        if event is None:
            return event_create(creator=creator, data=data, co_organisers=organisations)
        return event_update(event=event, data=data, co_organisers=organisations)
