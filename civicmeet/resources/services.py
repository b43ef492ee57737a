"""Every change of activities, offers and needs: the one write path (views, tests, the demo call these).

Who may: an approved representative of the organisation, or a moderator
(organisations.permissions.may_edit_organisation). Each change writes a ResourceLogEntry (who, when,
each field before and after) and describes the item for the one search box
(search.services.search_document_save) in the same transaction. Contact requests live in contact.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from civicmeet.core.errors import DomainError, PermissionDeniedError
from civicmeet.core.visibility import Visibility
from civicmeet.organisations.models import Organisation, OrganisationStatus
from civicmeet.organisations.permissions import may_edit_organisation
from civicmeet.search.services import search_document_delete, search_document_save

from .models import Activity, Resource, ResourceAction, ResourceLogEntry

ACTIVITY_FIELDS = (
    "title",
    "description",
    "language",
    "starts_on",
    "ends_on",
    "languages",
    "looking_for_partners",
    "visibility",
)
RESOURCE_FIELDS = (
    "direction",
    "category",
    "title",
    "description",
    "language",
    "quantity",
    "available_from",
    "available_until",
    "weekdays",
    "any_time",
    "languages",
    "city",
    "region",
    "online",
    "visibility",
    "active",
    "active_until",
)
# The strictest first: an item is seen by no more people than its organisation's profile.
_STRICTNESS: dict[str, int] = {Visibility.PUBLIC: 0, Visibility.MEMBERS: 1, Visibility.PRIVATE: 2}


def _require_editor(actor, organisation: Organisation | int) -> None:
    if not may_edit_organisation(actor, organisation):
        raise PermissionDeniedError(
            _("Only the organisation's approved representatives and the organisers may change this."),
            code="not_representative",
        )


def _log(*, organisation_id: int, kind: str, item_id: int, action: str, actor, changes: dict) -> None:
    ResourceLogEntry.objects.create(
        organisation_id=organisation_id,
        item_kind=kind,
        item_id=item_id,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        changes=changes,
    )


def _apply(instance, fields: tuple[str, ...], data: Mapping[str, Any]) -> dict[str, list[Any]]:
    unknown = set(data) - set(fields)
    if unknown:
        raise DomainError(f"Unknown fields: {', '.join(sorted(unknown))}")
    changes = {}
    for name, value in data.items():
        before = getattr(instance, name)
        if before != value:
            changes[name] = [before, value]
            setattr(instance, name, value)
    return changes


def effective_visibility(item_visibility: str, organisation: Organisation) -> str:
    """Who may find the item: the stricter of its own visibility and its organisation's profile;
    a draft organisation (not in the directory yet) keeps its items private."""
    if organisation.status != OrganisationStatus.PUBLISHED:
        return Visibility.PRIVATE
    return max(item_visibility, organisation.visibility, key=lambda value: _STRICTNESS.get(value, 2))


def _organisation_texts(organisation: Organisation) -> list[str]:
    return [organisation.name, organisation.short_name, *(variant.name for variant in organisation.names.all())]


def _organisation_facets(organisation: Organisation) -> dict[str, Any]:
    return {"type": organisation.type, "communities": [community.slug for community in organisation.communities.all()]}


def activity_reindex(activity: Activity) -> None:
    organisation = activity.organisation
    search_document_save(
        kind="activity",
        key=activity.pk,
        organisation_id=organisation.pk,
        visibility=effective_visibility(activity.visibility, organisation),
        url_name="resources:activity",
        url_kwargs={"pk": activity.pk},
        titles={activity.language: activity.title},
        texts=[activity.description, *_organisation_texts(organisation)],
        facets={
            **_organisation_facets(organisation),
            "languages": list(activity.languages or []),
            "region": organisation.region,
        },
    )


def resource_reindex(resource: Resource) -> None:
    """Describe the offer or need for search; one no longer current is taken out."""
    if not resource.is_current():
        search_document_delete(kind=resource.direction, key=resource.pk)
        return
    # Its direction may have changed: never leave it under both kinds.
    search_document_delete(kind="need" if resource.direction == "offer" else "offer", key=resource.pk)
    organisation = resource.organisation
    search_document_save(
        kind=resource.direction,
        key=resource.pk,
        organisation_id=organisation.pk,
        visibility=effective_visibility(resource.visibility, organisation),
        url_name="resources:detail",
        url_kwargs={"pk": resource.pk},
        titles={resource.language: resource.title},
        texts=[
            resource.description,
            resource.city,
            resource.get_category_display(),
            *_organisation_texts(organisation),
        ],
        facets={
            **_organisation_facets(organisation),
            "category": resource.category,
            "direction": resource.direction,
            "languages": list(resource.languages or []),
            "region": resource.region,
        },
    )


def organisation_items_reindex(organisation: Organisation | int) -> dict[str, int]:
    """Re-describe all of one organisation's activities and resources (after its profile changed,
    was published or merged: their visibility and facets follow it)."""
    pk = organisation.pk if isinstance(organisation, Organisation) else organisation
    activities = list(Activity.objects.filter(organisation_id=pk).select_related("organisation"))
    resources = list(Resource.objects.filter(organisation_id=pk).select_related("organisation"))
    for activity in activities:
        activity_reindex(activity)
    for resource in resources:
        resource_reindex(resource)
    return {"activity": len(activities), "resource": len(resources)}


def organisation_items_after_merge(survivor: Organisation) -> None:
    """After a merge the duplicate's items belong to the survivor: describe them under it."""
    organisation_items_reindex(survivor)


def resources_reindex_all() -> dict[str, int]:
    """Every activity and resource (organisations.search_documents' rebuild calls this)."""
    counts = {"activity": 0, "offer": 0, "need": 0}
    for activity in Activity.objects.select_related("organisation").prefetch_related(
        "organisation__names", "organisation__communities"
    ):
        activity_reindex(activity)
        counts["activity"] += 1
    for resource in Resource.objects.select_related("organisation").prefetch_related(
        "organisation__names", "organisation__communities"
    ):
        resource_reindex(resource)
        counts[resource.direction] += 1
    return counts


def _item_create(model, *, fields, kind: str, reindex, organisation: Organisation, actor, data: Mapping[str, Any]):
    """Create an activity or a resource of `organisation` from `data`, with its history row and
    search entry: the one write path both kinds share."""
    _require_editor(actor, organisation)
    with transaction.atomic():
        item = model(organisation=organisation, created_by=actor if actor.is_authenticated else None)
        changes = _apply(item, fields, data)
        item.full_clean()
        item.save()
        _log(
            organisation_id=organisation.pk,
            kind=kind,
            item_id=item.pk,
            action=ResourceAction.CREATED,
            actor=actor,
            changes=changes,
        )
        reindex(item)
    return item


def _item_update(model, *, fields, kind: str, reindex, item, actor, data: Mapping[str, Any]):
    """Change an activity or a resource on its locked row; history and search only when something changed."""
    _require_editor(actor, item.organisation_id)
    with transaction.atomic():
        current = model.objects.select_for_update().select_related("organisation").get(pk=item.pk)
        changes = _apply(current, fields, data)
        current.full_clean()
        if changes:
            current.save()
            _log(
                organisation_id=current.organisation_id,
                kind=kind,
                item_id=current.pk,
                action=ResourceAction.UPDATED,
                actor=actor,
                changes=changes,
            )
            reindex(current)
    return current


def activity_create(*, organisation: Organisation, actor, data: Mapping[str, Any]) -> Activity:
    """Add an activity of `organisation` (fields: ACTIVITY_FIELDS). ValidationError for bad data."""
    return _item_create(
        Activity,
        fields=ACTIVITY_FIELDS,
        kind="activity",
        reindex=activity_reindex,
        organisation=organisation,
        actor=actor,
        data=data,
    )


def activity_update(*, activity: Activity, actor, data: Mapping[str, Any]) -> Activity:
    return _item_update(
        Activity,
        fields=ACTIVITY_FIELDS,
        kind="activity",
        reindex=activity_reindex,
        item=activity,
        actor=actor,
        data=data,
    )


def activity_delete(*, activity: Activity, actor) -> None:
    _require_editor(actor, activity.organisation_id)
    with transaction.atomic():
        current = Activity.objects.select_for_update().filter(pk=activity.pk).first()
        if current is None:
            return
        _log(
            organisation_id=current.organisation_id,
            kind="activity",
            item_id=current.pk,
            action=ResourceAction.DELETED,
            actor=actor,
            changes={"title": [current.title, None]},
        )
        search_document_delete(kind="activity", key=current.pk)
        current.delete()


def resource_create(*, organisation: Organisation, actor, data: Mapping[str, Any]) -> Resource:
    """Add an offer or a need of `organisation` (fields: RESOURCE_FIELDS). ValidationError for bad data."""
    return _item_create(
        Resource,
        fields=RESOURCE_FIELDS,
        kind="resource",
        reindex=resource_reindex,
        organisation=organisation,
        actor=actor,
        data=data,
    )


def resource_update(*, resource: Resource, actor, data: Mapping[str, Any]) -> Resource:
    return _item_update(
        Resource,
        fields=RESOURCE_FIELDS,
        kind="resource",
        reindex=resource_reindex,
        item=resource,
        actor=actor,
        data=data,
    )


def resource_delete(*, resource: Resource, actor) -> None:
    """Delete an offer or need, with its suggestions and contact requests (the history stays)."""
    _require_editor(actor, resource.organisation_id)
    with transaction.atomic():
        current = Resource.objects.select_for_update().filter(pk=resource.pk).first()
        if current is None:
            return
        _log(
            organisation_id=current.organisation_id,
            kind="resource",
            item_id=current.pk,
            action=ResourceAction.DELETED,
            actor=actor,
            changes={"title": [current.title, None], "direction": [current.direction, None]},
        )
        search_document_delete(kind=current.direction, key=current.pk)
        current.delete()
