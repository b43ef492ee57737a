"""Importing organisations from the spreadsheets organisers keep (CSV or XLSX), with a dry run.

1. `spreadsheet_read(upload)` reads the file: XLSX (openpyxl, the first sheet) or CSV in UTF-8 with
   or without a BOM, or in Windows-1250 (what Excel in Poland writes for "CSV"), separated by `;`
   or `,` (or a tab). The first row holds the headers, in Polish, English or Ukrainian
   (HEADERS; the downloadable template has them). Limits: MAX_BYTES and MAX_ROWS.
2. `import_plan(rows)` says for each row what would happen: **create**, **update** (an organisation
   found by its NIP, then its KRS, then its exact name or one of its name variants; only the cells
   filled in are written) or **refuse**, with every reason (a missing name, an unknown type,
   region, community or language, a NIP/REGON/KRS that fails its check, a bad email, website or
   phone, a likely duplicate of an organisation of the directory, a repeat within the file).
3. `organisations_import(...)` applies a plan — the very one the dry run showed: the page carries
   the rows read and the plan's actions in a signed, compressed field (nothing is stored between
   the two steps), and if the directory changed in between so that the plan would differ, nothing
   is applied and the new dry run is shown instead.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from text_unidecode import unidecode  # type: ignore[import-untyped]  # ships no types

from civicmeet.core.errors import DomainError, PermissionDeniedError
from civicmeet.core.phones import normalise_phone

from .duplicates import NameIndex
from .duplicates_review import directory_names
from .languages import LANGUAGE_CODES, language_name
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
from .permissions import is_moderator
from .registry_numbers import registry_numbers_clean
from .search_documents import organisation_reindex

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
SIGNING_SALT = "civicmeet.organisations.import"
PLAN_MAX_AGE = 6 * 3600  # a dry run left open over lunch can still be applied
SITE_LANGUAGES = ("pl", "uk", "en")


class ImportFileError(DomainError):
    code = "import_file"


def _fold(text: Any) -> str:
    """Compare headers and labels without case, diacritics, spaces or punctuation."""
    return re.sub(r"[^a-z0-9]+", "", unidecode(str(text)).casefold())


# Each column: the field it fills and the headers it is known by (pl, en, uk; compared folded).
# The template (template_rows) uses the first Polish and the first English header.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("nazwa", "name", "назва", "nazwa organizacji", "organisation", "organization", "organizacja"),
    "short_name": ("nazwa skrócona", "short name", "skrót", "коротка назва"),
    "other_names": ("inne nazwy", "other names", "alternate names", "інші назви"),
    "type": ("typ", "type", "тип", "rodzaj"),
    "communities": ("społeczności", "communities", "спільноти"),
    "working_languages": ("języki", "languages", "working languages", "мови", "języki pracy"),
    "city": ("miasto", "city", "місто", "miejscowość"),
    "region": ("województwo", "region", "регіон", "воєводство"),
    "area_served": ("obszar działania", "area served", "територія діяльності"),
    "description_pl": ("opis po polsku", "description in polish", "opis", "description (pl)", "opis (pl)"),
    "description_uk": ("opis po ukraińsku", "description in ukrainian", "description (uk)", "opis (uk)", "опис"),
    "description_en": ("opis po angielsku", "description in english", "description", "description (en)", "opis (en)"),
    "website": ("strona internetowa", "website", "www", "strona www", "вебсайт", "сайт"),
    "contact_email": ("e-mail", "email", "contact email", "adres e-mail", "електронна пошта"),
    "contact_phone": ("telefon", "phone", "contact phone", "телефон"),
    "founded_year": ("rok założenia", "year founded", "founded", "рік заснування"),
    "nip": ("nip",),
    "regon": ("regon",),
    "krs": ("krs", "numer krs", "krs number"),
}
_HEADER_FIELDS = {_fold(header): name for name, headers in HEADERS.items() for header in headers}
# Fields written onto the organisation (the others are lists handled on their own).
PROFILE_FIELDS = (
    "short_name",
    "type",
    "working_languages",
    "city",
    "region",
    "area_served",
    "description_pl",
    "description_uk",
    "description_en",
    "website",
    "contact_email",
    "contact_phone",
    "founded_year",
    "nip",
    "regon",
    "krs",
)
LIST_SEPARATORS = re.compile(r"\s*[;,\n]\s*")
NAME_SEPARATORS = re.compile(r"\s*[;\n]\s*")  # a name may hold a comma


# -- Reading the file --------------------------------------------------------------------------


@dataclass
class Spreadsheet:
    headers: list[str]  # as written in the file
    columns: dict[int, str]  # column index → field name, for the headers recognised
    unknown_headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, field → cell text)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a NIP or a year typed as a number
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    return " ".join(str(value).split()) if not isinstance(value, str) or "\n" not in value else str(value).strip()


def _table(raw_rows: Iterable[Iterable[Any]]) -> Spreadsheet:
    iterator = iter(raw_rows)
    headers: list[str] = []
    for header_row in iterator:
        headers = [_cell_text(value) for value in header_row]
        if any(headers):
            break
    if not any(headers):
        raise ImportFileError(_("The file is empty: the first row must hold the column headers."))
    columns: dict[int, str] = {}
    unknown = []
    for index, header in enumerate(headers):
        name = _HEADER_FIELDS.get(_fold(header))
        if name and name not in columns.values():
            columns[index] = name
        elif header:
            unknown.append(header)
    if "name" not in columns.values():
        raise ImportFileError(
            _("No column is called “Nazwa” or “Name”: the first row must hold the column headers (see the template).")
        )
    rows: list[tuple[int, dict[str, str]]] = []
    line = 1
    for raw in iterator:
        line += 1
        cells = [_cell_text(value) for value in raw]
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(count)s rows. Split it into smaller files.") % {"count": MAX_ROWS}
            )
        rows.append((line, {name: cells[index] if index < len(cells) else "" for index, name in columns.items()}))
    return Spreadsheet(headers=headers, columns=columns, unknown_headers=unknown, rows=rows)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel in Poland saves "CSV" in Windows-1250.
        return data.decode("cp1250")


def _read_csv(data: bytes) -> Spreadsheet:
    try:
        text = _decode(data)
    except UnicodeDecodeError:
        raise ImportFileError(_("The file's text could not be read. Save it as “CSV UTF-8” and try again.")) from None
    if "\x00" in text:
        raise ImportFileError(_("This is not a CSV or XLSX file. Save the spreadsheet as XLSX or CSV and try again."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        return _table(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise ImportFileError(_("The CSV file could not be read: check that it is not damaged.")) from None


def _read_xlsx(data: bytes) -> Spreadsheet:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            # A small file that unpacks into a huge one is refused before it is opened.
            if sum(item.file_size for item in archive.infolist()) > 40 * MAX_BYTES:
                raise ImportFileError(_("The spreadsheet is too large. Split it into smaller files."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged or foreign file
        raise ImportFileError(
            _("The XLSX file could not be read: check that it is an Excel or LibreOffice spreadsheet.")
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return _table(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 50))
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - the same for a sheet damaged inside
        raise ImportFileError(
            _("The XLSX file could not be read: check that it is an Excel or LibreOffice spreadsheet.")
        ) from None
    finally:
        workbook.close()


def spreadsheet_read(*, data: bytes, filename: str) -> Spreadsheet:
    """The rows of an uploaded CSV or XLSX file; ImportFileError says what is wrong with it."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(_("This is an old Excel file (XLS). Save it as XLSX or CSV and try again."))
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError(
            _("The XLSX file could not be read: check that it is an Excel or LibreOffice spreadsheet.")
        )
    if not filename.lower().endswith((".csv", ".txt")):
        raise ImportFileError(_("Upload a CSV or XLSX file."))
    return _read_csv(data)


# -- What each row would do ----------------------------------------------------------------------


class Action:
    CREATE = "create"
    UPDATE = "update"
    REFUSE = "refuse"


@dataclass
class RowPlan:
    line: int
    name: str
    action: str
    reasons: list[str] = field(default_factory=list)  # why refused (translated)
    target: Organisation | None = None  # the organisation an update changes
    values: dict[str, Any] = field(default_factory=dict)  # field → the cleaned value to write
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)  # (label, before, after) of an update
    match_reason: str = ""  # how the organisation updated was found
    communities: list[Community] = field(default_factory=list)
    other_names: list[str] = field(default_factory=list)


def _labels(choices, extra: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Folded label → value, for the labels in every site language plus a few short forms."""
    known: dict[str, str] = {}
    for value, label in choices:
        known[_fold(value)] = value
        for language in SITE_LANGUAGES:
            with translation.override(language):
                known[_fold(str(label))] = value
        for short in extra.get(value, ()):
            known[_fold(short)] = value
    return known


TYPE_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    OrganisationType.NATIONAL_MINORITY: (
        "mniejszość narodowa", "mniejszosc narodowa", "national minority", "національна меншина",
        "organizacja mniejszości narodowej",
    ),
    OrganisationType.ETHNIC_MINORITY: (
        "mniejszość etniczna", "ethnic minority", "етнічна меншина", "organizacja mniejszości etnicznej",
    ),
    OrganisationType.MIGRANT: ("migrancka", "migranci", "migrant", "мігрантська", "organizacja migrancka"),
    OrganisationType.OTHER: ("inna", "inne", "other", "інша"),
}  # fmt: skip
REGION_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    Region.NATIONWIDE: ("cała polska", "ogólnopolska", "poland", "вся польща")
}


class _Lookups:
    """What the rows are matched against, loaded once per plan."""

    def __init__(self) -> None:
        self.types = _labels(OrganisationType.choices, TYPE_SHORT_FORMS)
        regions = _labels(Region.choices, REGION_SHORT_FORMS)
        self.regions = {**regions, **{"wojewodztwo" + key: value for key, value in regions.items()}}
        self.communities: dict[str, Community] = {}
        for community in Community.objects.all():
            for text in (community.slug, community.name_pl, community.name_uk, community.name_en):
                self.communities[_fold(text)] = community
        self.languages: dict[str, str] = {}
        for code in LANGUAGE_CODES:
            self.languages[_fold(code)] = code
            for language in SITE_LANGUAGES:
                self.languages[_fold(language_name(code, language))] = code
        names = directory_names()
        self.index = NameIndex.build(names)
        self.by_name: dict[str, int] = {}
        for pk, variants in names.items():
            for variant in variants:
                self.by_name.setdefault(variant.casefold(), pk)
        numbered = Organisation.objects.exclude(nip="", krs="").values_list("pk", "nip", "krs")
        self.by_nip = {nip: pk for pk, nip, _krs in numbered if nip}
        self.by_krs = {krs: pk for pk, _nip, krs in numbered if krs}


def _field_label(name: str) -> str:
    return str(getattr(Organisation._meta.get_field(name), "verbose_name", name))


def _clean_row(cells: dict[str, str], lookups: _Lookups, plan: RowPlan) -> None:
    """Fill plan.values with the cleaned cells and plan.reasons with what is wrong."""
    reasons, values = plan.reasons, plan.values
    if not plan.name:
        reasons.append(_("The name is missing."))
    elif len(plan.name) > 200:
        reasons.append(_("The name is longer than 200 characters."))
    kind = cells.get("type", "")
    if kind:
        if _fold(kind) in lookups.types:
            values["type"] = lookups.types[_fold(kind)]
        else:
            reasons.append(
                _("Unknown type “%(value)s”: write national minority, ethnic minority, migrant or other.")
                % {"value": kind}
            )
    region = cells.get("region", "")
    if region:
        if _fold(region) in lookups.regions:
            values["region"] = lookups.regions[_fold(region)]
        else:
            reasons.append(
                _("Unknown region “%(value)s”: write a voivodeship, such as małopolskie.") % {"value": region}
            )
    for community_text in filter(None, LIST_SEPARATORS.split(cells.get("communities", ""))):
        community = lookups.communities.get(_fold(community_text))
        if community is None:
            reasons.append(_("Unknown community “%(value)s”.") % {"value": community_text})
        elif community not in plan.communities:
            plan.communities.append(community)
    languages = []
    for language_text in filter(None, LIST_SEPARATORS.split(cells.get("working_languages", ""))):
        code = lookups.languages.get(_fold(language_text))
        if code is None:
            reasons.append(
                _("Unknown language “%(value)s”: write its name or its ISO 639 code.") % {"value": language_text}
            )
        elif code not in languages:
            languages.append(code)
    if languages:
        values["working_languages"] = languages
    for name in ("short_name", "city", "area_served", "description_pl", "description_uk", "description_en"):
        text = cells.get(name, "")
        limit = getattr(Organisation._meta.get_field(name), "max_length", None)
        if text and limit and len(text) > limit:
            reasons.append(
                _("%(field)s is longer than %(limit)s characters.")
                % {"field": capfirst(_field_label(name)), "limit": limit}
            )
        elif text:
            values[name] = text
    email = cells.get("contact_email", "")
    if email:
        try:
            EmailValidator()(email)
            values["contact_email"] = email
        except ValidationError:
            reasons.append(_("“%(value)s” is not an email address.") % {"value": email})
    website = cells.get("website", "")
    if website:
        url = website if re.match(r"^https?://", website, re.IGNORECASE) else "https://" + website
        try:
            URLValidator(schemes=["http", "https"])(url)
            values["website"] = url
        except ValidationError:
            reasons.append(_("“%(value)s” is not a website address.") % {"value": website})
    phone = cells.get("contact_phone", "")
    if phone:
        try:
            values["contact_phone"] = _phone(phone)
        except ValidationError as error:
            reasons.append(_("Phone “%(value)s”: %(error)s") % {"value": phone, "error": error.messages[0]})
    year = cells.get("founded_year", "")
    if year:
        if year.isdigit() and 1800 <= int(year) <= _this_year():
            values["founded_year"] = int(year)
        else:
            reasons.append(_("The year founded “%(value)s” is not a year between 1800 and now.") % {"value": year})
    numbers = {number: cells.get(number, "") for number in ("nip", "regon", "krs")}
    try:
        cleaned = registry_numbers_clean(numbers)
        values.update({number: value for number, value in cleaned.items() if value})
    except ValidationError as error:
        for number, messages in error.message_dict.items():
            reasons.extend(
                _("%(number)s “%(value)s”: %(error)s")
                % {"number": number.upper(), "value": numbers[number], "error": message}
                for message in messages
            )
    plan.other_names = [
        name for name in dict.fromkeys(filter(None, NAME_SEPARATORS.split(cells.get("other_names", "")))) if name
    ]
    if any(len(name) > 200 for name in plan.other_names):
        reasons.append(_("Another name is longer than 200 characters."))


def _this_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def _phone(value: str) -> str:
    """A number as normalise_phone stores it; a Polish number may be written without +48."""
    try:
        return normalise_phone(value)
    except ValidationError as error:
        if error.code != "phone_format":
            raise
        try:
            number = phonenumbers.parse(value, "PL")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValidationError(_("This does not look like a valid phone number."), code="phone_invalid") from None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _match(plan: RowPlan, names: list[str], lookups: _Lookups) -> int | None:
    """The organisation a row is about: by NIP, then KRS, then an exact name or name variant."""
    if plan.values.get("nip") in lookups.by_nip:
        plan.match_reason = _("same NIP")
        return lookups.by_nip[plan.values["nip"]]
    if plan.values.get("krs") in lookups.by_krs:
        plan.match_reason = _("same KRS number")
        return lookups.by_krs[plan.values["krs"]]
    for name in names:
        if name.casefold() in lookups.by_name:
            plan.match_reason = _("same name")
            return lookups.by_name[name.casefold()]
    return None


def _display(name: str, value: Any) -> str:
    if value in (None, "", []):
        return ""
    if name == "type":
        return str(OrganisationType(value).label)
    if name == "region":
        return str(Region(value).label)
    if name == "working_languages":
        return ", ".join(language_name(code) for code in value)
    return str(value)


def import_plan(spreadsheet: Spreadsheet) -> list[RowPlan]:
    """What importing each row would do, and why; changes nothing."""
    lookups = _Lookups()
    plans: list[RowPlan] = []
    seen: dict[str, int] = {}  # names of the rows before (folded) → their line
    targets: dict[int, int] = {}  # organisation updated → the line that updates it
    for line, cells in spreadsheet.rows:
        plan = RowPlan(line=line, name=" ".join(cells.get("name", "").split()), action=Action.REFUSE)
        plans.append(plan)
        _clean_row(cells, lookups, plan)
        names = [plan.name, *plan.other_names] if plan.name else []
        for name in names:
            if name.casefold() in seen:
                plan.reasons.append(
                    _("The same organisation as in row %(line)s (“%(name)s”).")
                    % {"line": seen[name.casefold()], "name": name}
                )
                break
        if plan.reasons:
            continue
        target_id = _match(plan, names, lookups)
        if target_id is not None and target_id in targets:
            plan.reasons.append(_("Row %(line)s already updates this organisation.") % {"line": targets[target_id]})
            continue
        for name in names:
            seen[name.casefold()] = line
        if target_id is None:
            if "type" not in plan.values:
                plan.reasons.append(_("The type is missing: national minority, ethnic minority, migrant or other."))
                continue
            similar = [m for name in names for m in lookups.index.matches(-1, [name])]
            if similar:
                best = max(similar, key=lambda m: m.score)
                other = Organisation.objects.filter(pk=best.other).values_list("name", flat=True).first()
                plan.reasons.append(
                    _(
                        "Probably the same organisation as “%(other)s”, already in the directory (%(score)s%% alike). "
                        "To update it, use its exact name or add its NIP or KRS number."
                    )
                    % {"other": other, "score": int(best.score)}
                )
                continue
            plan.action = Action.CREATE
            plan.changes = [(_field_label(name), "", _display(name, value)) for name, value in plan.values.items()]
        else:
            targets[target_id] = line
            plan.target = Organisation.objects.prefetch_related("communities", "names").get(pk=target_id)
            plan.action = Action.UPDATE
            for name, value in plan.values.items():
                before = getattr(plan.target, name)
                if before != value:
                    plan.changes.append((_field_label(name), _display(name, before), _display(name, value)))
            have = set(plan.target.communities.all())
            new = [community for community in plan.communities if community not in have]
            if new:
                plan.changes.append((_field_label("communities"), "", ", ".join(community.name for community in new)))
            known = {plan.target.name.casefold()} | {n.name.casefold() for n in plan.target.names.all()}
            added = [name for name in names if name.casefold() not in known]
            if added:
                plan.changes.append((_("Other names"), "", "; ".join(added)))
            plan.other_names = added
    return plans


# -- The dry run carried to the apply step -------------------------------------------------------


def plan_sign(spreadsheet: Spreadsheet, plans: list[RowPlan]) -> str:
    """The rows read and the plan's actions, signed and compressed: the apply step's only input."""
    return signing.dumps(
        {
            "headers": spreadsheet.headers,
            "columns": {str(index): name for index, name in spreadsheet.columns.items()},
            "rows": spreadsheet.rows,
            "plan": _plan_key(plans),
        },
        salt=SIGNING_SALT,
        compress=True,
    )


def _plan_key(plans: list[RowPlan]) -> list[list[Any]]:
    return [[plan.line, plan.action, plan.target.pk if plan.target else None] for plan in plans]


def plan_unsign(token: str) -> tuple[Spreadsheet, list[list[Any]]]:
    try:
        payload = signing.loads(token, salt=SIGNING_SALT, max_age=PLAN_MAX_AGE)
    except signing.SignatureExpired:
        raise ImportFileError(_("This dry run is too old. Upload the file again.")) from None
    except signing.BadSignature:
        raise ImportFileError(_("The dry run could not be read. Upload the file again.")) from None
    spreadsheet = Spreadsheet(
        headers=payload["headers"],
        columns={int(index): name for index, name in payload["columns"].items()},
        unknown_headers=[],
        rows=[(line, cells) for line, cells in payload["rows"]],
    )
    return spreadsheet, payload["plan"]


class PlanChanged(DomainError):
    code = "plan_changed"

    def __init__(self, plans: list[RowPlan]) -> None:
        super().__init__(
            _(
                "The directory has changed since the dry run, so the import would not do what it showed. Check the new dry run below."
            )
        )
        self.plans = plans


@dataclass
class ImportResult:
    created: list[Organisation]
    updated: list[Organisation]
    refused: int


def organisations_import(*, token: str, actor, status: str) -> ImportResult:
    """Apply the dry run carried in `token` exactly: create and update the rows it showed (status
    PUBLISHED or DRAFT for the new ones, as the moderator chose), each with an IMPORTED history row.
    Raises PlanChanged (with the new plan; nothing written) when the directory changed meanwhile."""
    if not is_moderator(actor):
        raise PermissionDeniedError(_("Only the moderators of the network import organisations."))
    if status not in OrganisationStatus.values:
        raise DomainError(_("Choose whether the new organisations are published or drafts."))
    spreadsheet, signed_plan = plan_unsign(token)
    created: list[Organisation] = []
    updated: list[Organisation] = []
    with transaction.atomic():
        # One import at a time (a second click waits, then finds its rows are updates now).
        list(Organisation.objects.select_for_update().filter(pk__in=[key[2] for key in signed_plan if key[2]]))
        plans = import_plan(spreadsheet)
        if _plan_key(plans) != signed_plan:
            raise PlanChanged(plans)
        for plan in plans:
            if plan.action == Action.CREATE:
                created.append(_create(plan, actor=actor, status=status))
            elif plan.action == Action.UPDATE:
                updated.append(_update(plan, actor=actor))
        touched = [organisation.pk for organisation in created + updated]
        transaction.on_commit(lambda: _reindex(touched))
    return ImportResult(created=created, updated=updated, refused=sum(p.action == Action.REFUSE for p in plans))


def _reindex(pks: list[int]) -> None:
    for pk in pks:
        organisation_reindex(pk)


def _create(plan: RowPlan, *, actor, status: str) -> Organisation:
    organisation = Organisation.objects.create(name=plan.name, status=status, **plan.values)
    organisation.communities.add(*plan.communities)
    OrganisationName.objects.bulk_create(
        OrganisationName(organisation=organisation, name=name, kind=NameKind.ALTERNATE)
        for name in plan.other_names
        if name.casefold() != plan.name.casefold()
    )
    OrganisationLogEntry.objects.create(
        organisation=organisation,
        action=OrganisationAction.IMPORTED,
        actor=actor,
        changes={
            "line": plan.line,
            "fields": {name: [None, value] for name, value in plan.values.items()},
            "communities": [c.slug for c in plan.communities],
            "names": plan.other_names,
        },
    )
    return organisation


def _update(plan: RowPlan, *, actor) -> Organisation:
    assert plan.target is not None
    organisation = Organisation.objects.select_for_update().get(pk=plan.target.pk)
    fields = {}
    for name, value in plan.values.items():
        before = getattr(organisation, name)
        if before != value:
            fields[name] = [before, value]
            setattr(organisation, name, value)
    organisation.save()
    organisation.communities.add(*plan.communities)
    existing = set(
        OrganisationName.objects.filter(organisation=organisation)
        .annotate(lower=Lower("name"))
        .values_list("lower", flat=True)
    )
    OrganisationName.objects.bulk_create(
        OrganisationName(organisation=organisation, name=name, kind=NameKind.ALTERNATE)
        for name in plan.other_names
        if name.casefold() not in existing and name.casefold() != organisation.name.casefold()
    )
    OrganisationLogEntry.objects.create(
        organisation=organisation,
        action=OrganisationAction.IMPORTED,
        actor=actor,
        changes={
            "line": plan.line,
            "fields": fields,
            "communities": [c.slug for c in plan.communities],
            "names": plan.other_names,
        },
    )
    return organisation


# -- The template ---------------------------------------------------------------------------------

TEMPLATE_EXAMPLE = {
    "name": "Fundacja Zustricz",
    "short_name": "Zustricz",
    "other_names": "Зустріч; Zustricz Foundation",
    "type": "migrancka",
    "communities": "ukraińska",
    "working_languages": "pl, uk, en",
    "city": "Kraków",
    "region": "małopolskie",
    "area_served": "Kraków i okolice",
    "description_pl": "Wspieramy migrantów z Ukrainy.",
    "description_uk": "Ми підтримуємо мігрантів з України.",
    "description_en": "We support migrants from Ukraine.",
    "website": "https://zustricz.example.org",
    "contact_email": "kontakt@zustricz.example.org",
    "contact_phone": "+48 600 123 456",
    "founded_year": "2016",
    "nip": "",
    "regon": "",
    "krs": "",
}
TEMPLATE_LANGUAGES = {"pl": 0, "en": 1}


def template_rows(language: str) -> list[list[str]]:
    """The template's header row (in Polish, or in English for `en`) and one example row."""
    position = 1 if language == "en" else 0
    headers = [HEADERS[name][position] if len(HEADERS[name]) > position else HEADERS[name][0] for name in HEADERS]
    shown = [
        header.upper() if header in ("nip", "regon", "krs") else header[:1].upper() + header[1:] for header in headers
    ]
    return [shown, [TEMPLATE_EXAMPLE[name] for name in HEADERS]]
