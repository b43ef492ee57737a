"""The directory exported: CSV, XLSX and JSON in the Open Referral HSDS `organization` shape.

Only what the reader could see on the site: published organisations whose profile they may see
(permissions.visible_filter), and the contact details (email, phone, other ways) only where the
organisation's own `contact_visibility` lets this reader see them (the same rule as may_see).
No person's data is exported (representatives are not in it).

Formulas (docs/decisions/0002-exports-without-formulas.md): in the XLSX every text is a typed string
cell, never a formula; in the CSV a text that a spreadsheet would run as a formula gets a leading
apostrophe. Phone numbers are stored in E.164 by the services and written as people read them.

HSDS mapping (docs/network/import-export-and-duplicates.md has the table): id (a UUID derived from
the profile's address, stable), name, alternate_name (the short name), description (in the reader's
language), email, website, tax_status, tax_id (NIP), year_incorporated, legal_status,
logo, uri, parent_organization_id, organization_identifiers (NIP, REGON, KRS), phones, and
`x-civicmeet` for what HSDS has no field for (type, communities, languages, region, city, area
served, every name variant, descriptions per language, last checked).
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook

from civicmeet.core.spreadsheets import (  # noqa: F401 (the views read the content types here)
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_value,
    phone_text,
    xlsx_headers,
    xlsx_value,
)
from civicmeet.core.visibility import Visibility

from .languages import language_name
from .models import Organisation, OrganisationStatus, OrganisationType, Region
from .permissions import is_moderator, is_network_member, represented_organisation_ids, visible_filter
from .selectors import organisation_slug

E164 = re.compile(r"\+[0-9]{6,15}")
HSDS_NAMESPACE = uuid.UUID("6f1c2b8e-3d5a-4c1e-9f0b-2a7d4e6c8b10")  # ours: ids stay the same across exports


def directory_for_export(user) -> QuerySet[Organisation]:
    """The published organisations `user` may see, with what the export reads (constant queries)."""
    return (
        Organisation.objects.filter(status=OrganisationStatus.PUBLISHED)
        .filter(visible_filter(user, organisation_field="pk"))
        .select_related("parent")
        .prefetch_related("names", "communities")
        .order_by("name", "pk")
    )


class ContactRule:
    """Whether this reader sees an organisation's contact details: decided once per export."""

    def __init__(self, user) -> None:
        self.moderator = is_moderator(user)
        self.member = is_network_member(user)
        self.own = represented_organisation_ids(user)

    def __call__(self, organisation: Organisation) -> bool:
        visibility = organisation.contact_visibility
        if visibility == Visibility.PUBLIC or self.moderator or organisation.pk in self.own:
            return True
        return visibility == Visibility.MEMBERS and self.member


def field_label(name: str) -> str:
    """An Organisation field's label in the active language, as a column header."""
    field = Organisation._meta.get_field(name)
    return capfirst(str(getattr(field, "verbose_name", name)))


def _profile_url(organisation: Organisation) -> str:
    return reverse("directory:organisation", kwargs={"pk": organisation.pk, "slug": organisation_slug(organisation)})


def _columns() -> list[tuple[str, Any]]:
    """(header, value of an organisation) in the active language; contacts filled in by rows()."""
    types = {value: str(label) for value, label in OrganisationType.choices}
    regions = {value: str(label) for value, label in Region.choices}
    language = translation.get_language() or "en"

    label = field_label

    return [
        (label("name"), lambda o: o.name),
        (_("Other names"), lambda o: "; ".join(n.name for n in o.names.all())),
        (label("short_name"), lambda o: o.short_name),
        (label("type"), lambda o: types.get(o.type, o.type)),
        (label("communities"), lambda o: "; ".join(c.name for c in o.communities.all())),
        (
            label("working_languages"),
            lambda o: "; ".join(language_name(c, language) for c in o.working_languages or []),
        ),
        (label("city"), lambda o: o.city),
        (label("region"), lambda o: regions.get(o.region, o.region)),
        (label("area_served"), lambda o: o.area_served),
        (label("description_pl"), lambda o: o.description_pl),
        (label("description_uk"), lambda o: o.description_uk),
        (label("description_en"), lambda o: o.description_en),
        (label("website"), lambda o: o.website),
        (label("founded_year"), lambda o: o.founded_year),
        (label("parent"), lambda o: o.parent.name if o.parent else ""),
        (label("nip"), lambda o: o.nip),
        (label("regon"), lambda o: o.regon),
        (label("krs"), lambda o: o.krs),
        (label("last_checked_on"), lambda o: o.last_checked_on.isoformat() if o.last_checked_on else ""),
    ]


def export_table(user) -> tuple[list[str], Iterator[list[Any]]]:
    """Headers and rows (values not yet neutralised) of the directory as `user` may see it."""
    columns = _columns()
    contact_headers = [field_label(name) for name in ("contact_email", "contact_phone", "contact_other")]
    sees_contact = ContactRule(user)

    def rows() -> Iterator[list[Any]]:
        for organisation in directory_for_export(user):
            row = [value(organisation) for _header, value in columns]
            if sees_contact(organisation):
                phone = organisation.contact_phone
                shown = phone_text(phone) if E164.fullmatch(phone or "") else phone
                row += [organisation.contact_email, shown, organisation.contact_other]
            else:
                row += ["", "", ""]
            yield row

    return [header for header, _value in columns] + contact_headers, rows()


def csv_lines(user, language: str) -> Iterator[str]:
    class Echo:
        def write(self, value: str) -> str:
            return value

    with translation.override(language):
        headers, rows = export_table(user)
        writer = csv.writer(Echo())
        # The BOM makes Excel read the file as UTF-8 (Polish and Ukrainian letters intact).
        yield "\ufeff" + writer.writerow([csv_value(h) for h in headers])
        for row in rows:
            yield writer.writerow([csv_value(value) for value in row])


def xlsx_bytes(user) -> bytes:
    headers, rows = export_table(user)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Organisations")[:31])
    sheet.append(xlsx_headers(sheet, headers))
    for row in rows:
        sheet.append([xlsx_value(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def hsds_id(organisation_id: int) -> str:
    return str(uuid.uuid5(HSDS_NAMESPACE, f"organisation:{organisation_id}"))


def hsds_organization(organisation: Organisation, *, sees_contact: bool, base_url: str) -> dict[str, Any]:
    """One organisation as an Open Referral HSDS `organization` (3.0 field names)."""
    uri = _profile_url(organisation)
    identifiers = [
        {"id": hsds_id(organisation.pk) + f"-{kind}", "identifier_type": kind.upper(), "identifier": number}
        for kind, number in (("nip", organisation.nip), ("regon", organisation.regon), ("krs", organisation.krs))
        if number
    ]
    data: dict[str, Any] = {
        "id": hsds_id(organisation.pk),
        "name": organisation.name,
        "alternate_name": organisation.short_name or None,
        "description": organisation.description() or "",
        "email": organisation.contact_email or None if sees_contact else None,
        "website": organisation.website or None,
        "tax_status": None,
        "tax_id": organisation.nip or None,
        "year_incorporated": organisation.founded_year,
        "legal_status": None,
        "logo": None,
        "uri": base_url + uri if uri else None,
        "parent_organization_id": hsds_id(organisation.parent_id) if organisation.parent_id else None,
        "organization_identifiers": identifiers,
        "phones": (
            [{"id": hsds_id(organisation.pk) + "-phone", "number": organisation.contact_phone}]
            if sees_contact and organisation.contact_phone
            else []
        ),
        "x-civicmeet": {
            "id": organisation.pk,
            "type": organisation.type,
            "communities": [community.slug for community in organisation.communities.all()],
            "languages": list(organisation.working_languages or []),
            "city": organisation.city,
            "region": organisation.region,
            "area_served": organisation.area_served,
            "names": [
                {"name": name.name, "language": name.language, "kind": name.kind} for name in organisation.names.all()
            ],
            "descriptions": {
                language: text
                for language, text in (
                    ("pl", organisation.description_pl),
                    ("uk", organisation.description_uk),
                    ("en", organisation.description_en),
                )
                if text
            },
            "regon": organisation.regon or None,
            "krs": organisation.krs or None,
            "contact_other": organisation.contact_other or None if sees_contact else None,
            "last_checked_on": organisation.last_checked_on.isoformat() if organisation.last_checked_on else None,
        },
    }
    return data


def hsds_export(user, *, base_url: str) -> list[dict[str, Any]]:
    sees_contact = ContactRule(user)
    return [
        hsds_organization(organisation, sees_contact=sees_contact(organisation), base_url=base_url)
        for organisation in directory_for_export(user)
    ]
