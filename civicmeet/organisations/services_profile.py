"""Changes of an organisation's profile: editing, "still correct", publishing and unpublishing.

Each service locks the organisation's row, checks who acts, writes an OrganisationLogEntry (each
changed field before and after) and refreshes the organisation's search entry in the same
transaction. Views, the API, commands and tests call these; nothing else writes a profile.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicmeet.core.errors import ConflictError, PermissionDeniedError
from civicmeet.core.images import ProcessedImage
from civicmeet.core.phones import normalise_phone
from civicmeet.core.visibility import Visibility

from .languages import languages_clean
from .models import (
    Community,
    NameKind,
    Organisation,
    OrganisationAction,
    OrganisationLogEntry,
    OrganisationName,
    OrganisationStatus,
    OrganisationType,
    Region,
)
from .permissions import is_moderator, may_edit_organisation
from .registry_numbers import registry_numbers_clean
from .search_documents import organisation_reindex
from .selectors import organisation_descendant_ids
from .services import normalise_organisation_name, organisation_logo_set

FOUNDED_EARLIEST = 1800

# Plain fields of the profile a representative edits, as the service takes them.
TEXT_FIELDS = (
    "name",
    "short_name",
    "city",
    "area_served",
    "description_pl",
    "description_uk",
    "description_en",
    "website",
    "contact_email",
    "contact_phone",
    "contact_other",
)
CHOICE_FIELDS: dict[str, Any] = {
    "type": OrganisationType,
    "region": Region,
    "visibility": Visibility,
    "contact_visibility": Visibility,
}

# A sentinel for "leave the logo as it is".
KEEP_LOGO = object()

# Which status may follow which: the one map of the profile's states.
TRANSITIONS: dict[str, set[str]] = {
    OrganisationStatus.DRAFT: {OrganisationStatus.PUBLISHED},
    OrganisationStatus.PUBLISHED: {OrganisationStatus.DRAFT},
}


class ProfileError(ConflictError):
    code = "profile"


def _names_snapshot(organisation: Organisation) -> list[dict[str, str]]:
    return [
        {"name": variant.name, "language": variant.language, "kind": variant.kind}
        for variant in organisation.names.order_by("kind", "language", "name")
    ]


def _snapshot(organisation: Organisation) -> dict[str, Any]:
    """The profile as the history records it (JSON-friendly values)."""
    data: dict[str, Any] = {field: getattr(organisation, field) for field in TEXT_FIELDS}
    data.update({field: getattr(organisation, field) for field in CHOICE_FIELDS})
    data["working_languages"] = list(organisation.working_languages or [])
    data["founded_year"] = organisation.founded_year
    data["parent"] = organisation.parent_id
    data["nip"], data["regon"], data["krs"] = organisation.nip, organisation.regon, organisation.krs
    data["communities"] = sorted(organisation.communities.values_list("slug", flat=True))
    data["names"] = _names_snapshot(organisation)
    data["logo"] = organisation.logo_id
    data["last_checked_on"] = organisation.last_checked_on
    return data


def _clean_names(main_name: str, names: list[Mapping[str, str]]) -> list[dict[str, str]]:
    """Name variants without blanks, repeats or the main name itself (case-insensitive)."""
    seen = {main_name.casefold()}
    cleaned = []
    for entry in names:
        name = normalise_organisation_name(entry.get("name", ""))
        if not name or name.casefold() in seen:
            continue
        seen.add(name.casefold())
        kind = entry.get("kind") or NameKind.TRANSLATION
        if kind not in NameKind.values:
            raise ValidationError({"names": _("Choose what kind of name this is from the list.")})
        cleaned.append({"name": name, "language": entry.get("language") or "", "kind": kind})
    return cleaned


def _check(organisation: Organisation, data: Mapping[str, Any]) -> dict[str, Any]:
    """The values to store, or a ValidationError by field saying what is wrong."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field in TEXT_FIELDS:
        if field in data:
            text = str(data[field] or "")
            # Descriptions keep their paragraphs; one-line fields lose stray spaces.
            values[field] = text.strip() if field.startswith("description") else " ".join(text.split())
    for field, validator in (("contact_email", validate_email), ("website", URLValidator(schemes=["http", "https"]))):
        if values.get(field):
            try:
                validator(values[field])
            except ValidationError as error:
                errors.setdefault(field, []).extend(error.messages)
    if values.get("contact_phone"):
        try:
            values["contact_phone"] = normalise_phone(values["contact_phone"])
        except ValidationError as error:
            errors.setdefault("contact_phone", []).extend(error.messages)
    if "name" in values:
        values["name"] = normalise_organisation_name(values["name"])
        if not values["name"]:
            errors.setdefault("name", []).append(_("Give the organisation's name."))
        elif Organisation.objects.exclude(pk=organisation.pk).filter(name__iexact=values["name"]).exists():
            errors.setdefault("name", []).append(
                _(
                    "Another organisation in the directory already has this name. If it is the same one, tell the organisers."
                )
            )
    for field, choices in CHOICE_FIELDS.items():
        if field in data:
            value = data[field] or ""
            if value not in choices.values and not (field == "region" and value == ""):
                errors.setdefault(field, []).append(_("Choose one of the options in the list."))
            values[field] = value
    if "working_languages" in data:
        try:
            values["working_languages"] = languages_clean(data["working_languages"] or [])
        except ValidationError as error:
            errors.setdefault("working_languages", []).extend(error.messages)
    if "founded_year" in data:
        year = data["founded_year"]
        this_year = timezone.localdate().year
        if year is not None and not (FOUNDED_EARLIEST <= int(year) <= this_year):
            errors.setdefault("founded_year", []).append(
                _("Give a year between %(earliest)s and %(latest)s.")
                % {"earliest": FOUNDED_EARLIEST, "latest": this_year}
            )
        values["founded_year"] = int(year) if year is not None else None
    if "parent" in data:
        parent = data["parent"]
        parent_id = getattr(parent, "pk", parent)
        if parent_id is not None:
            if parent_id == organisation.pk:
                errors.setdefault("parent", []).append(_("An organisation cannot be a member of itself."))
            elif parent_id in organisation_descendant_ids(organisation):
                errors.setdefault("parent", []).append(
                    _("This organisation is itself a member of yours: choose a federation yours belongs to.")
                )
            elif not Organisation.objects.filter(pk=parent_id, status=OrganisationStatus.PUBLISHED).exists():
                errors.setdefault("parent", []).append(_("Choose an organisation of the directory."))
        values["parent_id"] = parent_id
    numbers = {field: data[field] for field in ("nip", "regon", "krs") if field in data}
    if numbers:
        try:
            values.update(registry_numbers_clean({field: value or "" for field, value in numbers.items()}))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if "communities" in data:
        slugs = [getattr(community, "slug", community) for community in data["communities"] or []]
        communities = list(Community.objects.filter(slug__in=slugs))
        if len(communities) != len(set(slugs)):
            errors.setdefault("communities", []).append(_("Choose the communities from the list."))
        values["communities"] = communities
    if "names" in data:
        try:
            values["names"] = _clean_names(values.get("name", organisation.name), list(data["names"] or []))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return values


def _log(*, organisation: Organisation, action: str, actor, changes: dict[str, Any]) -> OrganisationLogEntry:
    return OrganisationLogEntry.objects.create(
        organisation=organisation, action=action, actor=actor if getattr(actor, "pk", None) else None, changes=changes
    )


def _locked(organisation: Organisation) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _guard_editor(actor, organisation: Organisation) -> None:
    if not may_edit_organisation(actor, organisation):
        raise PermissionDeniedError(
            _("Only the organisation's approved representatives and the organisers may change it.")
        )


def organisation_profile_update(
    *, organisation: Organisation, actor, data: Mapping[str, Any], logo: ProcessedImage | None | object = KEEP_LOGO
) -> Organisation:
    """Change the profile: any of the fields in TEXT_FIELDS and CHOICE_FIELDS, "working_languages"
    (codes), "founded_year", "parent" (an organisation, its id or None), "nip"/"regon"/"krs" as
    typed, "communities" (Community rows or slugs), "names" (dicts of name, language, kind: they
    replace all the variants). `logo`: new variants, None to remove it, or KEEP_LOGO.

    Raises ValidationError by field (nothing saved) or PermissionDeniedError. Records each changed
    field before and after, sets "information last checked" to today and refreshes search."""
    with transaction.atomic():
        current = _locked(organisation)
        _guard_editor(actor, current)
        values = _check(current, data)
        before = _snapshot(current)
        communities = values.pop("communities", None)
        names = values.pop("names", None)
        for field, value in values.items():
            setattr(current, field, value)
        current.last_checked_on = timezone.localdate()
        # The model's own rules (lengths, email and web addresses) for callers other than the form.
        current.full_clean(exclude=["logo", "parent"], validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                current.save()
        except IntegrityError:
            raise ValidationError(
                {
                    "name": _(
                        "Another organisation in the directory already has this name. If it is the same one, tell the organisers."
                    )
                }
            ) from None
        if communities is not None:
            current.communities.set(communities)
        if names is not None:
            current.names.all().delete()
            OrganisationName.objects.bulk_create(OrganisationName(organisation=current, **entry) for entry in names)
        if logo is not KEEP_LOGO:
            current = organisation_logo_set(organisation=current, processed=logo)  # type: ignore[arg-type]
        after = _snapshot(current)
        changes = {field: [before[field], after[field]] for field in after if before[field] != after[field]}
        _log(organisation=current, action=OrganisationAction.UPDATED, actor=actor, changes=changes)
        organisation_reindex(current)
    return current


def organisation_confirm_checked(*, organisation: Organisation, actor) -> Organisation:
    """ "The information is still correct": only the date it was last checked changes (recorded)."""
    with transaction.atomic():
        current = _locked(organisation)
        _guard_editor(actor, current)
        before = current.last_checked_on
        current.last_checked_on = timezone.localdate()
        current.save(update_fields=["last_checked_on", "updated_at"])
        _log(
            organisation=current,
            action=OrganisationAction.CHECKED,
            actor=actor,
            changes={"last_checked_on": [before, current.last_checked_on]},
        )
    return current


def _transition(*, organisation: Organisation, actor, to: str, action: str) -> Organisation:
    with transaction.atomic():
        current = _locked(organisation)
        if not is_moderator(actor):
            raise PermissionDeniedError(_("Only the organisers of the network may publish or unpublish organisations."))
        if to not in TRANSITIONS[current.status]:
            message = (
                _("This organisation is already in the directory.")
                if to == OrganisationStatus.PUBLISHED
                else _("This organisation is already a draft.")
            )
            raise ProfileError(message)
        before = current.status
        current.status = to
        current.save(update_fields=["status", "updated_at"])
        _log(organisation=current, action=action, actor=actor, changes={"status": [before, to]})
        organisation_reindex(current)
    return current


def organisation_publish(*, organisation: Organisation, actor) -> Organisation:
    """A moderator puts a draft (typed in a registration, imported) into the directory."""
    return _transition(
        organisation=organisation, actor=actor, to=OrganisationStatus.PUBLISHED, action=OrganisationAction.PUBLISHED
    )


def organisation_unpublish(*, organisation: Organisation, actor) -> Organisation:
    """A moderator takes an organisation out of the directory, back to draft (its search entry goes)."""
    return _transition(
        organisation=organisation, actor=actor, to=OrganisationStatus.DRAFT, action=OrganisationAction.UNPUBLISHED
    )
