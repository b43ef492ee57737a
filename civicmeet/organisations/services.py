from __future__ import annotations

from django.db import IntegrityError, connections, transaction

from civicmeet.core.images import ProcessedImage
from civicmeet.core.lookups import PreparedQuery, lower_equals

from .models import Organisation, OrganisationStatus, StoredImage, StoredImageVariant
from .registry_numbers import registry_numbers_clean


def normalise_organisation_name(name: str) -> str:
    return " ".join(name.split())


# Asked for every registration that names an organisation.
_FIND_FIELDS = ("id", "name", "type")
_FIND = PreparedQuery(
    lambda name: Organisation.objects.filter(lower_equals("name", name)).order_by().values_list(*_FIND_FIELDS)[:1],
    "name",
)


def organisation_find(*, name: str) -> Organisation | None:
    """The organisation with this name (case-insensitive, spaces normalised), if it is known."""
    connection = connections[Organisation.objects.db]
    row = _FIND.fetchone(connection, name=normalise_organisation_name(name))
    # Its other columns are loaded if something asks for them.
    return Organisation.from_db(connection.alias, _FIND_FIELDS, row) if row else None


def organisation_get_or_create(*, name: str, type: str) -> Organisation:
    """Find an organisation by its name (case-insensitive) or create it with the given type.

    A new one is a DRAFT: it is not in the directory until a moderator publishes it
    (services_profile.organisation_publish; the review queue lists drafts)."""
    name = normalise_organisation_name(name)
    existing = organisation_find(name=name)
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Organisation.objects.create(name=name, type=type, status=OrganisationStatus.DRAFT)
    except IntegrityError:
        # Two people named the same new organisation at the same moment.
        return Organisation.objects.get(lower_equals("name", name))


def stored_image_create(*, processed: ProcessedImage) -> StoredImage:
    """Store an upload's variants (core.images.process_image made them); one row per size."""
    with transaction.atomic():
        image = StoredImage.objects.create(width=processed.width, height=processed.height)
        StoredImageVariant.objects.bulk_create(
            StoredImageVariant(
                image=image,
                digest=variant.digest,
                content_type=variant.content_type,
                width=variant.width,
                height=variant.height,
                data=variant.data,
            )
            for variant in processed.variants
        )
    return image


def stored_image_delete(*, image: StoredImage | None) -> None:
    """Forget a picture that nothing shows any more (each upload has one owner: a cover or a logo)."""
    if image is not None:
        StoredImage.objects.filter(pk=image.pk).delete()


def organisation_logo_set(*, organisation: Organisation, processed: ProcessedImage | None) -> Organisation:
    """Give the organisation a new logo (or none); the old one is deleted. Returns the locked row as
    saved. Callers record it in their own history (an event's co-organisers' logos: events.services)."""
    with transaction.atomic():
        current = Organisation.objects.select_for_update().get(pk=organisation.pk)
        old_logo_id = current.logo_id
        current.logo = stored_image_create(processed=processed) if processed is not None else None
        current.save(update_fields=["logo"])
        if old_logo_id is not None:
            StoredImage.objects.filter(pk=old_logo_id).delete()
    organisation.logo = current.logo
    return current


def organisation_registry_numbers_set(*, organisation: Organisation, nip: str, regon: str, krs: str) -> Organisation:
    """Set an organisation's NIP, REGON and KRS number as typed: each is checked (NIP and REGON by
    their check digits) and stored as digits only. Raises ValidationError, by field, naming what is
    wrong; nothing is saved then."""
    with transaction.atomic():
        numbers = registry_numbers_clean({"nip": nip, "regon": regon, "krs": krs})
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        for field, value in numbers.items():
            setattr(organisation, field, value)
        organisation.save(update_fields=list(numbers))
    return organisation
