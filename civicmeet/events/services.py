"""Creating and changing events, their questions and teams. Views, the API, the admin's actions
and the demo loader all go through here.

Every change locks the event row before it compares, writes one history row (EventLogEntry:
who, when, what changed) and runs what follows in the same transaction: the apps above events
register their reactions with `on_event_changed` (registrations recomputes the safety rule's
verdicts when the rule or the start changes), so that events knows nothing of them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from civicmeet.accounts import services as team_services
from civicmeet.accounts.models import TeamMember, TeamRole
from civicmeet.core.errors import ConflictError, DomainError
from civicmeet.core.i18n import clean_localized
from civicmeet.core.images import ProcessedImage
from civicmeet.organisations.services import (
    organisation_get_or_create,
    organisation_logo_set,
    stored_image_create,
    stored_image_delete,
)

from .models import CustomQuestion, Event, EventAction, EventLogEntry, TeamAffiliation

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
    # Before the day (registrations/reconfirmation.py, offers.py).
    "reconfirm_days_before",
    "offer_hours",
    "offers_automatic",
    # The grant programme the meeting is part of (programmes.Programme or None).
    "programme",
)
EVENT_FIELDS = (*LOCALIZED_FIELDS, *PLAIN_FIELDS)

# (event as saved, names of the fields that changed) -> notices for the organiser who changed it.
EventChangeHandler = Callable[[Event, frozenset[str]], list[str]]
_change_handlers: list[EventChangeHandler] = []


def on_event_changed(handler: EventChangeHandler) -> EventChangeHandler:
    """Run `handler` inside the transaction of every event change (apps register in `ready()`)."""
    if handler not in _change_handlers:
        _change_handlers.append(handler)
    return handler


def event_log(*, event: Event, action: str, actor=None, changes: dict[str, Any] | None = None) -> EventLogEntry:
    """Write one row of the event's history (also for the apps above: a guest added, say)."""
    return EventLogEntry.objects.create(event=event, action=action, actor=_user(actor), changes=changes or {})


def _user(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _json(value: Any) -> Any:
    if isinstance(value, models.Model):  # a relation (the programme): its name, as the history shows it
        return str(value)
    return value.isoformat() if isinstance(value, datetime) else value


def _attname(name: str) -> str:
    # Relations are compared by their ids: no query unless the relation changed.
    return Event._meta.get_field(name).attname  # type: ignore[union-attr]


def _lock(event: Event) -> Event:
    """The event's row, locked for the rest of the transaction (a fresh copy of its fields)."""
    return Event.objects.select_for_update().get(pk=event.pk)


def _apply(event: Event, data: dict[str, Any]) -> None:
    for name in LOCALIZED_FIELDS:
        if name in data:
            setattr(event, name, clean_localized(data[name]))
    for name in PLAIN_FIELDS:
        if name in data:
            setattr(event, name, data[name])


def event_check(*, data: dict[str, Any], event: Event | None = None, exclude: Iterable[str] = ()) -> None:
    """Raise the ValidationError (per field) that saving `data` would raise, without saving.

    Forms ask this before calling the services, so each rule of an event lives in one place
    (Event's field validators and `Event.clean`) and the form, the API and the admin can never
    disagree. `exclude`: fields the caller already found wrong.
    """
    candidate = copy.copy(event) if event is not None else Event()
    _apply(candidate, data)
    candidate.full_clean(exclude=["team", *exclude], validate_unique=False, validate_constraints=False)


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
            event_log(event=event, action=EventAction.CREATED, actor=creator)
    except IntegrityError:
        # Two organisers created the same address at the same moment.
        if Event.objects.filter(slug=event.slug).exists():
            raise ConflictError(_("An event with this address already exists."), code="slug_taken") from None
        raise
    return event


def event_update(*, event: Event, data: dict[str, Any], co_organisers=None, actor=None) -> Event:
    """Change an event's fields (those in `data`) and, if given, its co-organisers.

    What follows a change runs in the same transaction (`on_event_changed`): when the safety rule
    or the start changes, registrations recomputes every verdict and tells the accepted
    participants whose verdict changed. The organiser's notices about it are left in
    `event.change_notices`. The address (slug) cannot change: it is in invitations and links.
    """
    if "slug" in data and data["slug"] != event.slug:
        raise DomainError(_("The address of an event cannot be changed."), code="slug_fixed")
    with transaction.atomic():
        # The change is applied to the locked row, not to the caller's copy, so a field that
        # someone else changed meanwhile is not written back with its old value.
        current = _lock(event)
        before = copy.copy(current)
        organisers_before = sorted(current.co_organisers.values_list("name", flat=True))
        _apply(current, data)
        current.full_clean()
        current.save()
        for field in Event._meta.concrete_fields:
            setattr(event, field.attname, getattr(current, field.attname))
        if co_organisers is not None:
            event.co_organisers.set(co_organisers)
        changes = {
            name: [_json(getattr(before, name)), _json(getattr(event, name))]
            for name in EVENT_FIELDS
            if getattr(before, _attname(name)) != getattr(event, _attname(name))
        }
        if co_organisers is not None:
            organisers_after = sorted(organisation.name for organisation in co_organisers)
            if organisers_after != organisers_before:
                changes["co_organisers"] = [organisers_before, organisers_after]
        if changes:
            event_log(event=event, action=EventAction.CHANGED, actor=actor, changes=changes)
        event.change_notices = _after_change(event, frozenset(changes))  # type: ignore[attr-defined]  # for the caller
    return event


def _after_change(event: Event, changed: frozenset[str]) -> list[str]:
    if not changed:
        return []
    return [notice for handler in _change_handlers for notice in handler(event, changed)]


def event_publish(*, event: Event, actor=None) -> Event:
    """Publish the event's page and open its registration form (within its window)."""
    with transaction.atomic():
        current = _lock(event)
        if not any((current.title or {}).values()):
            raise DomainError(_("Give the event a title before publishing it."), code="untitled")
        if not current.is_published:
            current.is_published = True
            current.save(update_fields=["is_published", "updated_at"])
            event_log(event=current, action=EventAction.PUBLISHED, actor=actor)
    event.is_published, event.updated_at = True, current.updated_at
    return event


def event_unpublish(*, event: Event, actor=None) -> Event:
    """Take the event's page down: only its team sees it; registrations stay as they are."""
    with transaction.atomic():
        current = _lock(event)
        if current.is_published:
            current.is_published = False
            current.save(update_fields=["is_published", "updated_at"])
            event_log(event=current, action=EventAction.UNPUBLISHED, actor=actor)
    event.is_published, event.updated_at = False, current.updated_at
    return event


def team_member_add(
    *, event: Event, email: str, role: str = TeamRole.ORGANISER, organisation=None, actor=None
) -> TeamMember:
    """Put an existing account on the event's team (or change its role there), on behalf of
    `organisation` (or none). Accounts are created by `create_organiser`."""
    user = get_user_model().objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise DomainError(
            _("There is no account with this email address. Ask an administrator to create it."), code="no_account"
        )
    with transaction.atomic():
        _lock(event)
        member, before = team_services.team_member_put(team=event.team, user=user, role=role)
        affiliation = TeamAffiliation.objects.filter(member=member).select_related("organisation").first()
        organisation_before = affiliation.organisation.name if affiliation else None
        if organisation is None:
            TeamAffiliation.objects.filter(member=member).delete()
        else:
            TeamAffiliation.objects.update_or_create(member=member, defaults={"organisation": organisation})
        organisation_after = organisation.name if organisation is not None else None
        changes: dict[str, Any] = {"member": user.email}
        if before is None:
            changes |= {"role": [None, member.role], "organisation": [None, organisation_after]}
            event_log(event=event, action=EventAction.MEMBER_ADDED, actor=actor, changes=changes)
        elif before.role != member.role or organisation_before != organisation_after:
            if before.role != member.role:
                changes["role"] = [before.role, member.role]
            if organisation_before != organisation_after:
                changes["organisation"] = [organisation_before, organisation_after]
            event_log(event=event, action=EventAction.MEMBER_CHANGED, actor=actor, changes=changes)
    member.organisation = organisation  # type: ignore[attr-defined]  # as team_member_list sets it
    return member


def team_member_remove(*, event: Event, member: TeamMember, actor=None) -> None:
    """Take a member off the event's team; the team keeps at least one organiser."""
    with transaction.atomic():
        _lock(event)
        team_services.team_member_remove(team=event.team, member=member)
        event_log(
            event=event,
            action=EventAction.MEMBER_REMOVED,
            actor=actor,
            changes={"member": member.user.email, "role": [member.role, None]},
        )


def _question_data(question: CustomQuestion) -> dict[str, Any]:
    return {
        "key": question.key,
        "kind": question.kind,
        "label": question.label,
        "required": question.required,
        "options": question.options,
        "counts_for_catering": question.counts_for_catering,
    }


def questions_replace(*, event: Event, questions: list[dict[str, Any]], actor=None) -> list[CustomQuestion]:
    """Replace the event's custom questions with the given list (in order).

    Each item: key, kind, label ({language: text}), required, options ([{key, label}]),
    counts_for_catering (a yes/no question whose "no" leaves the person out of the catering counts).
    Answers already given stay on registrations under their key. The event's version changes
    with its questions (the registration form is part of the event).
    """
    with transaction.atomic():
        _lock(event)
        before = [_question_data(question) for question in event.questions.all()]
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
                counts_for_catering=bool(item.get("counts_for_catering")),
                options=[
                    {"key": option["key"], "label": clean_localized(option.get("label"))}
                    for option in item.get("options") or []
                ],
            )
            for position, item in enumerate(questions)
        ]
        after = [_question_data(question) for question in created]
        if after != before:
            keys_before, keys_after = [q["key"] for q in before], [q["key"] for q in after]
            by_key = {q["key"]: q for q in before}
            event_log(
                event=event,
                action=EventAction.QUESTIONS_REPLACED,
                actor=actor,
                changes={
                    "added": [key for key in keys_after if key not in by_key],
                    "removed": [key for key in keys_before if key not in keys_after],
                    "changed": [q["key"] for q in after if q["key"] in by_key and by_key[q["key"]] != q],
                    "order": [keys_before, keys_after],
                },
            )
    return created


def event_save(
    *,
    data: dict[str, Any],
    event: Event | None = None,
    creator=None,
    co_organisers=(),
    new_co_organisers: list[tuple[str, str]] | tuple = (),
    interest_offers=None,
    actor=None,
) -> Event:
    """Create (no `event`) or update an event, naming new co-organising organisations on the way.

    `new_co_organisers` is a list of (name, organisation type); a name that matches a known
    organisation (case-insensitively) picks that one. Everything happens in one transaction, so an
    event that fails validation leaves no new organisations behind.
    """
    with transaction.atomic():
        organisations = list(co_organisers)
        for name, kind in new_co_organisers:
            organisation = organisation_get_or_create(name=name, type=kind)
            if organisation not in organisations:
                organisations.append(organisation)
        if event is None:
            event = event_create(creator=creator, data=data, co_organisers=organisations)
            if interest_offers:
                event_interest_offers_set(event=event, offers=interest_offers, actor=creator)
            return event
        event = event_update(event=event, data=data, co_organisers=organisations, actor=actor)
        if interest_offers is not None:
            event_interest_offers_set(event=event, offers=interest_offers, actor=actor)
        return event


def _offer_label(offer) -> str:
    return " – ".join(part for part in (offer.project.short_name, offer.display_title()) if part)


def event_interest_offers_set(*, event: Event, offers, actor=None) -> Event:
    """Choose the project offers (programmes) the registration form shows with an "I am interested"
    tick; one history row names the offers before and after."""
    with transaction.atomic():
        current = _lock(event)
        before = list(current.interest_offers.select_related("project").order_by("pk"))
        after = sorted(offers, key=lambda offer: offer.pk)
        if [offer.pk for offer in before] == [offer.pk for offer in after]:
            return event
        current.interest_offers.set(after)
        current.save(update_fields=["updated_at"])  # the stored public page's version
        event_log(
            event=current,
            action=EventAction.CHANGED,
            actor=actor,
            changes={"interest_offers": [[_offer_label(o) for o in before], [_offer_label(o) for o in after]]},
        )
        event.updated_at = current.updated_at
    return event


# The organisers' contact, changed on the "Cover, logos and contact" page (event_identity_update).
CONTACT_FIELDS = ("contact_email", "contact_phone", "contact_languages")
# `cover=KEEP_COVER`: leave the cover as it is (None removes it).
KEEP_COVER: Any = object()


def _picture_label(image) -> str | None:
    return f"#{image.pk}, {image.width} × {image.height}" if image is not None else None


def event_identity_update(
    *,
    event: Event,
    contact: dict[str, Any] | None = None,
    cover: ProcessedImage | None | Any = KEEP_COVER,
    logos: dict[int, ProcessedImage | None] | None = None,
    actor=None,
) -> Event:
    """Change how the event shows who runs it: the organisers' contact, the cover, the co-organisers' logos.

    `contact`: some of CONTACT_FIELDS (the phone is normalised, the languages checked by
    `Event.clean`). `cover`: new variants (core.images.process_image), None to remove it, or
    KEEP_COVER. `logos`: {co-organiser's id: new variants or None to remove}; only the event's
    co-organisers. One history row names what changed. Raises ValidationError per field.
    """
    logos = logos or {}
    with transaction.atomic():
        current = _lock(event)
        organisations = {organisation.pk: organisation for organisation in current.co_organisers.all()}
        if set(logos) - set(organisations):
            raise DomainError(_("Only the co-organisers' logos can be changed here."), code="not_co_organiser")
        before = copy.copy(current)
        for name in CONTACT_FIELDS:
            if contact is not None and name in contact:
                setattr(current, name, contact[name])
        current.full_clean()
        changes: dict[str, Any] = {
            name: [getattr(before, name), getattr(current, name)]
            for name in CONTACT_FIELDS
            if getattr(before, name) != getattr(current, name)
        }
        old_cover = current.cover
        if cover is not KEEP_COVER and (old_cover is not None or cover is not None):
            current.cover = stored_image_create(processed=cover) if cover is not None else None
            changes["cover"] = [_picture_label(old_cover), _picture_label(current.cover)]
        logos_before, logos_after = [], []
        for organisation_id, processed in sorted(logos.items()):
            organisation = organisations[organisation_id]
            if organisation.logo_id is None and processed is None:
                continue
            if organisation.logo_id is not None:
                logos_before.append(organisation.name)
            saved = organisation_logo_set(organisation=organisation, processed=processed)
            if saved.logo is not None:
                logos_after.append(f"{organisation.name} ({_picture_label(saved.logo)})")
        if logos_before or logos_after:
            changes["logos"] = [logos_before, logos_after]
        if changes:
            # Saved also for a logo alone: the stored public page's version is the event's updated_at.
            current.save()
            if "cover" in changes:
                stored_image_delete(image=old_cover)
            event_log(event=current, action=EventAction.CHANGED, actor=actor, changes=changes)
        for field in Event._meta.concrete_fields:
            setattr(event, field.attname, getattr(current, field.attname))
    return event
