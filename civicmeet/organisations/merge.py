"""Merging a duplicate organisation into the one that stays (the "survivor"), in one step.

Everything that points at the duplicate is found generically, not from a list: every relation in
`Organisation._meta.related_objects` (a foreign key or many-to-many from any app, including apps
above this one that organisations cannot import: registrations, events' co-organisers, resources,
programmes, channels …), every many-to-many of the organisation itself (communities), and every
generic link (`GenericForeignKey`, such as an email's subject). A relation added later is moved
without a change here; its unique constraints are honoured:

- the same person a representative of both: one row is kept, the one with the better status;
- the same name variant twice: kept once; the duplicate's own name becomes an alternate name;
- the same link of a many-to-many twice (both co-organisers of one event): kept once;
- any other unique clash (two rows that may not both point at the survivor) refuses the merge with
  the relation named, so that nothing is ever deleted silently.

The survivor's empty fields are filled from the duplicate (nothing it has is overwritten), then the
duplicate is deleted and the merge recorded (OrganisationMerge, OrganisationLogEntry MERGED).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from civicmeet.core.errors import ConflictError, PermissionDeniedError
from civicmeet.search.models import SearchDocument
from civicmeet.search.services import search_document_delete

from .models import (
    NameKind,
    Organisation,
    OrganisationAction,
    OrganisationLogEntry,
    OrganisationMerge,
    OrganisationName,
    Representative,
    RepresentativeStatus,
    StoredImage,
)
from .permissions import is_moderator
from .search_documents import organisation_reindex
from .services import stored_image_delete

# Fields of the profile that a merge never copies: who it is, its state and its own bookkeeping.
NOT_FILLED = frozenset({"id", "name", "status", "visibility", "contact_visibility", "created_at", "updated_at"})
# A representative's statuses from the best to the worst: of two rows for one person, the better stays.
REPRESENTATIVE_RANK: list[str] = [
    RepresentativeStatus.APPROVED,
    RepresentativeStatus.PENDING,
    RepresentativeStatus.REMOVED,
    RepresentativeStatus.REFUSED,
]


class MergeError(ConflictError):
    code = "merge_refused"


@dataclass(frozen=True)
class Relation:
    """One kind of row that points at an organisation, and how to move it."""

    key: str  # "app_label.model.field": the key of OrganisationMerge.moved
    model: type[models.Model]
    field_name: str
    many_to_many: bool  # an automatic link table (rows are only links)
    generic: bool = False  # a GenericForeignKey: field_name is its object id field, ct_field its type

    @property
    def label(self) -> str:
        return relation_label(self.key)


def relation_label(key: str) -> str:
    """A relation's name for people, from its key ("events.event.co_organisers" → "events:
    co-organising organisations"), in the active language; the key itself if the model is gone."""
    app_label, model_name, field_name = (key.split(".", 2) + ["", ""])[:3]
    try:
        model = apps.get_model(app_label, model_name)
        field = model._meta.get_field(field_name)
    except LookupError:
        return key
    plural = str(model._meta.verbose_name_plural)
    if model is Organisation and field.many_to_many:
        return str(getattr(field, "verbose_name", field_name))  # its own list: "communities served"
    if model is Organisation:
        return str(_("member organisations"))  # the organisations whose parent it is
    links = [f for f in model._meta.get_fields() if getattr(f, "related_model", None) is Organisation]
    if field.many_to_many or len(links) > 1:
        return f"{plural}: {getattr(field, 'verbose_name', field_name)}"
    return plural


def _relations() -> list[Relation]:
    """Every relation that can point at an organisation, found from the models (not listed)."""
    found: list[Relation] = []
    for rel in Organisation._meta.related_objects:
        if rel.many_to_many:
            through = rel.through  # type: ignore[attr-defined]
            if not through._meta.auto_created:
                continue  # a through model of its own is a ManyToOneRel too: moved as one
            field = rel.field
            target_name = field.m2m_reverse_field_name()  # type: ignore[attr-defined]
            key = f"{field.model._meta.label_lower}.{field.name}"
            found.append(Relation(key=key, model=through, field_name=target_name, many_to_many=True))
        else:
            model = cast(type[models.Model], rel.related_model)
            key = f"{model._meta.label_lower}.{rel.field.name}"
            found.append(Relation(key=key, model=model, field_name=rel.field.name, many_to_many=False))
    for forward in Organisation._meta.many_to_many:
        link = cast(type[models.Model], forward.remote_field.through)
        if link._meta.auto_created:
            key = f"organisations.organisation.{forward.name}"
            source_name = forward.m2m_field_name()
            found.append(Relation(key=key, model=link, field_name=source_name, many_to_many=True))
    for model in apps.get_models():
        for private in model._meta.private_fields:
            if isinstance(private, GenericForeignKey):
                key = f"{model._meta.label_lower}.{private.name}"
                found.append(
                    Relation(key=key, model=model, field_name=private.fk_field, many_to_many=False, generic=True)
                )
    return found


def _generic_filter(relation: Relation, organisation_id: int) -> Q:
    private = next(
        f for f in relation.model._meta.private_fields if getattr(f, "fk_field", None) == relation.field_name
    )
    content_type = ContentType.objects.get_for_model(Organisation)
    # Generic ids are often text columns: compare as the column's own type.
    return Q(
        **{
            private.ct_field: content_type,
            relation.field_name: _generic_id(relation, organisation_id),
        }
    )


def _rows(relation: Relation, organisation: Organisation | int) -> models.QuerySet:
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    manager = relation.model._base_manager
    if relation.generic:
        return manager.filter(_generic_filter(relation, organisation_id))
    return manager.filter(**{f"{relation.field_name}_id": organisation_id})


def merge_counts(duplicate: Organisation) -> list[tuple[Relation, int]]:
    """What a merge of `duplicate` would move: each relation that has rows, with how many."""
    counts = []
    for relation in _relations():
        count = _rows(relation, duplicate).count()
        if count:
            counts.append((relation, count))
    return counts


def _unique_field_sets(model: type[models.Model], field_name: str) -> list[list[str]]:
    """The other fields of each plain unique constraint that includes `field_name`."""
    sets: list[list[str]] = []
    for fields in [list(together) for together in model._meta.unique_together]:
        if field_name in fields:
            sets.append([name for name in fields if name != field_name])
    for constraint in model._meta.total_unique_constraints:
        if field_name in constraint.fields:
            sets.append([name for name in constraint.fields if name != field_name])
    field = model._meta.get_field(field_name)
    if getattr(field, "unique", False) and not field.primary_key:  # type: ignore[union-attr]
        sets.append([])
    return sets


def _clashing_pairs(relation: Relation, survivor: Organisation, duplicate: Organisation) -> list[tuple[Any, Any]]:
    """(survivor's row, duplicate's row) pairs that may not both point at the survivor."""
    pairs: list[tuple[Any, Any]] = []
    if relation.generic:
        return pairs
    for others in _unique_field_sets(relation.model, relation.field_name):
        ours = {tuple(_value(row, name) for name in others): row for row in _rows(relation, survivor)}
        for row in _rows(relation, duplicate):
            key = tuple(_value(row, name) for name in others)
            if key in ours:
                pairs.append((ours[key], row))
    return pairs


def _value(row: models.Model, name: str) -> Any:
    field = row._meta.get_field(name)
    return getattr(row, field.attname)  # type: ignore[union-attr]


def _resolve_representatives(kept: Representative, other: Representative) -> str:
    """One person represents both: the row with the better status stays (with what the other knew)."""
    if REPRESENTATIVE_RANK.index(other.status) < REPRESENTATIVE_RANK.index(kept.status):
        for field in ("status", "source", "decided_at", "decided_by_id"):
            setattr(kept, field, getattr(other, field))
    kept.role = kept.role or other.role
    kept.contact_public = kept.contact_public or other.contact_public
    kept.save()
    other.delete()
    return "joined"


def _drop_duplicates_row(kept: Any, other: Any) -> str:
    other.delete()
    return "joined"


# How a unique clash of a model is resolved: (the survivor's row, the duplicate's row) → what happened.
ClashResolver = Callable[[Any, Any], str]
CLASH_RESOLVERS: dict[str, ClashResolver] = {
    "organisations.representative": _resolve_representatives,
}


def _resolver(relation: Relation) -> ClashResolver | None:
    if relation.many_to_many or relation.model._meta.label_lower in _through_models():
        return _drop_duplicates_row  # only a link: linked once is enough
    return CLASH_RESOLVERS.get(relation.model._meta.label_lower)


def _through_models() -> set[str]:
    """Models that are the link table of a many-to-many to Organisation (of their own making)."""
    labels = set()
    for rel in Organisation._meta.related_objects:
        if rel.many_to_many:
            labels.add(rel.through._meta.label_lower)  # type: ignore[attr-defined]
    return labels


def _profile_data(organisation: Organisation) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in Organisation._meta.concrete_fields:
        data[field.attname] = getattr(organisation, field.attname)
    data["communities"] = sorted(organisation.communities.values_list("slug", flat=True))
    data["names"] = [
        {"name": name.name, "language": name.language, "kind": name.kind} for name in organisation.names.all()
    ]
    return data


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _move_names(survivor: Organisation, duplicate: Organisation) -> dict[str, int]:
    """The duplicate's names become the survivor's: its main name an alternate name, its variants
    kept (a translation into a language the survivor already has becomes an alternate name); a name
    the survivor already has is kept once."""
    known = {survivor.name.casefold()} | {name.casefold() for name in survivor.names.values_list("name", flat=True)}
    languages = set(
        survivor.names.filter(kind=NameKind.TRANSLATION).exclude(language="").values_list("language", flat=True)
    )
    moved = joined = 0
    for variant in OrganisationName.objects.filter(organisation=duplicate).order_by("pk"):
        if variant.name.casefold() in known:
            variant.delete()
            joined += 1
            continue
        known.add(variant.name.casefold())
        if variant.kind == NameKind.TRANSLATION and variant.language in languages:
            variant.kind = NameKind.ALTERNATE
        elif variant.kind == NameKind.TRANSLATION and variant.language:
            languages.add(variant.language)
        variant.organisation = survivor
        variant.save(update_fields=["organisation", "kind"])
        moved += 1
    if duplicate.name.casefold() not in known:
        OrganisationName.objects.create(organisation=survivor, name=duplicate.name, kind=NameKind.ALTERNATE)
    return {"moved": moved, "joined": joined}


def _fill_profile(survivor: Organisation, duplicate: Organisation) -> dict[str, list[Any]]:
    """The survivor's empty fields take the duplicate's values; nothing it has is overwritten."""
    filled: dict[str, list[Any]] = {}
    for field in Organisation._meta.concrete_fields:
        if field.name in NOT_FILLED:
            continue
        ours, theirs = getattr(survivor, field.attname), getattr(duplicate, field.attname)
        if field.name == "working_languages":
            union = list(dict.fromkeys([*(ours or []), *(theirs or [])]))
            if union != list(ours or []):
                filled[field.name] = [ours, union]
                setattr(survivor, field.attname, union)
            continue
        if field.name == "parent" and theirs in (survivor.pk, duplicate.pk):
            continue  # never its own parent
        if _empty(ours) and not _empty(theirs):
            filled[field.name] = [ours, theirs]
            setattr(survivor, field.attname, theirs)
    if survivor.parent_id == duplicate.pk:
        # The survivor was a member of its duplicate: it cannot be a member of itself.
        filled["parent"] = [duplicate.pk, duplicate.parent_id if duplicate.parent_id != survivor.pk else None]
        survivor.parent_id = filled["parent"][1]
    return filled


# Handlers the apps above register (organisations.search_documents' reindexers among them) to
# bring what they derived from the duplicate up to date once the merge is committed.
_AFTER_MERGE: list[Callable[[Organisation], None]] = []


def on_organisation_merged(handler: Callable[[Organisation], None]) -> None:
    """Register `handler(survivor)`, run after every merge commits (reindexing, caches)."""
    if handler not in _AFTER_MERGE:
        _AFTER_MERGE.append(handler)


def organisation_merge(*, survivor: Organisation, duplicate: Organisation, actor) -> OrganisationMerge:
    """Fold `duplicate` into `survivor`: move everything linked to it, fill the survivor's empty
    fields, delete the duplicate and record the merge. Moderators only. Raises MergeError (nothing
    changed) for a merge into itself, of an organisation already merged away, or a clash that
    cannot be resolved without losing a row."""
    if not is_moderator(actor):
        raise PermissionDeniedError(_("Only the moderators of the network merge organisations."))
    if survivor.pk == duplicate.pk:
        raise MergeError(_("An organisation cannot be merged into itself."))
    with transaction.atomic():
        # Both rows locked, in the order of their ids so that two merges cannot deadlock.
        locked = {
            org.pk: org
            for org in Organisation.objects.select_for_update()
            .filter(pk__in=[survivor.pk, duplicate.pk])
            .order_by("pk")
        }
        if survivor.pk not in locked or duplicate.pk not in locked:
            raise MergeError(
                _("One of the two organisations is no longer in the directory: it may have just been merged.")
            )
        survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
        merged_data = _profile_data(duplicate)
        moved: dict[str, int] = {}
        names = _move_names(survivor, duplicate)
        if names["moved"] or names["joined"]:
            moved["organisations.organisationname.organisation"] = names["moved"]
        for relation in _relations():
            if relation.key == "organisations.organisationname.organisation":
                continue
            if relation.key == "organisations.organisation.parent":
                # The survivor may be a member of its duplicate; it is handled with the profile.
                count = _rows(relation, duplicate).exclude(pk=survivor.pk).update(parent=survivor)
                if count:
                    moved[relation.key] = count
                continue
            count = _move(relation, survivor, duplicate)
            if count:
                moved[relation.key] = count
        filled = _fill_profile(survivor, duplicate)
        if "logo" not in filled and duplicate.logo_id is not None:
            logo_id = duplicate.logo_id
        else:
            logo_id = None
        survivor.save()
        duplicate_id, duplicate_name = duplicate.pk, duplicate.name
        duplicate.delete()
        if logo_id is not None:
            # Each picture has one owner: the duplicate's logo, not taken over, shows nowhere now.
            stored_image_delete(image=StoredImage.objects.filter(pk=logo_id).first())
        # Items of the apps above that the search index filed under the duplicate (their own
        # reindexers refresh them after the commit).
        SearchDocument.objects.filter(organisation_id=duplicate_id).update(organisation_id=survivor.pk)
        search_document_delete(kind="organisation", key=duplicate_id)
        record = OrganisationMerge.objects.create(
            survivor=survivor,
            merged_id=duplicate_id,
            merged_name=duplicate_name,
            merged_data=merged_data,
            moved=moved,
            merged_by=actor,
        )
        OrganisationLogEntry.objects.create(
            organisation=survivor,
            action=OrganisationAction.MERGED,
            actor=actor,
            changes={"merged_id": duplicate_id, "merged_name": duplicate_name, "filled": filled, "moved": moved},
        )
        transaction.on_commit(lambda: _after_merge(survivor))
    return record


def _after_merge(survivor: Organisation) -> None:
    organisation_reindex(survivor.pk)
    for handler in list(_AFTER_MERGE):
        handler(survivor)


def _move(relation: Relation, survivor: Organisation, duplicate: Organisation) -> int:
    """Point the duplicate's rows of one relation at the survivor; returns how many rows moved or
    were joined with the survivor's own."""
    handled = 0
    for kept, other in _clashing_pairs(relation, survivor, duplicate):
        resolver = _resolver(relation)
        if resolver is None:
            raise MergeError(
                _(
                    "Both organisations have %(what)s that cannot belong to one organisation twice (%(item)s). "
                    "Change one of them first, then merge."
                )
                % {"what": relation.label, "item": str(other)}
            )
        resolver(kept, other)
        handled += 1
    rows = _rows(relation, duplicate)
    try:
        with transaction.atomic():
            if relation.generic:
                moved = rows.update(**{relation.field_name: _generic_id(relation, survivor.pk)})
            else:
                moved = rows.update(**{f"{relation.field_name}_id": survivor.pk})
    except IntegrityError:
        # A unique rule the models cannot describe plainly (on an expression, or with a condition).
        raise MergeError(
            _(
                "Both organisations have %(what)s that cannot belong to one organisation twice. Change one of them first, then merge."
            )
            % {"what": relation.label}
        ) from None
    return handled + moved


def _generic_id(relation: Relation, organisation_id: int) -> Any:
    field = relation.model._meta.get_field(relation.field_name)
    assert isinstance(field, models.Field)  # a generic link's id is a concrete column
    return field.to_python(organisation_id)
