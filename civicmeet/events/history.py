"""The event's history as the organisers' page shows it: one line per changed field, in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from civicmeet.accounts.models import TeamRole

from .models import Event, EventLogEntry
from .services import LOCALIZED_FIELDS

# Texts per language: the page says which languages changed, not the (long) texts themselves.
_LOCALIZED = frozenset(LOCALIZED_FIELDS)
_DATETIMES = {"starts_at", "ends_at", "registration_opens_at", "registration_closes_at"}


@dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str
    after: str


def event_history(*, event: Event, limit: int = 200) -> QuerySet[EventLogEntry]:
    """The event's latest history rows, newest first, with who made each change."""
    return EventLogEntry.objects.filter(event=event).select_related("actor").order_by("-created_at", "-id")[:limit]


def _label(name: str) -> str:
    try:
        field = Event._meta.get_field(name)
    except FieldDoesNotExist:
        return {
            "member": _("Team member"),
            "role": _("Role"),
            "organisation": _("On behalf of"),
            "logos": _("Co-organisers' logos"),
        }.get(name, name)
    assert isinstance(field, Field)  # the history names the event's own fields, not relations to it
    return str(field.verbose_name).capitalize()


def _value(name: str, value: Any, event: Event) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if name in _DATETIMES and isinstance(value, str):
        return formats.date_format(event.local(datetime.fromisoformat(value)), "j E Y, H:i")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "role":
        return str(TeamRole(value).label) if value in TeamRole.values else str(value)
    if name == "safety_policy":
        return _("the safety rule")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _localized_line(name: str, before: dict, after: dict) -> ChangeLine:
    languages = sorted(
        code for code in set(before or {}) | set(after or {}) if (before or {}).get(code) != (after or {}).get(code)
    )
    return ChangeLine(_label(name), "", _("changed (%(languages)s)") % {"languages": ", ".join(languages)})


def change_lines(entry: EventLogEntry, event: Event) -> list[ChangeLine]:
    """What an entry changed, field by field, in the reader's language."""
    lines = []
    changes = entry.changes or {}
    if "order" in changes:  # the questions
        for key, label in (("added", _("Added")), ("removed", _("Removed")), ("changed", _("Changed"))):
            if changes.get(key):
                lines.append(ChangeLine(label, "", ", ".join(changes[key])))
        if not lines and changes["order"][0] != changes["order"][1]:
            lines.append(ChangeLine(_("Order"), ", ".join(changes["order"][0]), ", ".join(changes["order"][1])))
        return lines
    for name, value in changes.items():
        if name == "registration":
            continue
        if name == "member":
            lines.append(ChangeLine(_label(name), "", str(value)))
        elif name in _LOCALIZED:
            lines.append(_localized_line(name, value[0], value[1]))
        elif isinstance(value, list) and len(value) == 2:
            lines.append(ChangeLine(_label(name), _value(name, value[0], event), _value(name, value[1], event)))
    return lines
