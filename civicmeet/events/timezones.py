"""The time zones an event may be held in: IANA's canonical names, read from the tz database.

`zoneinfo.available_timezones()` lists every file of the database: besides the canonical zones
it holds about 250 backward-compatibility links (``Europe/Kiev``, ``W-SU``, ``Poland``), the
placeholder ``Factory`` and, on some systems, ``localtime`` or ``posixrules``. The canonical names
are the zones the database itself defines (its ``Z`` lines in ``tzdata.zi``) with an area
(``Europe/Kyiv``, ``Etc/UTC``); left out are ``Factory`` and the System V names (``EST5EDT``:
links in IANA's own ``backward`` file since 2024b). Read from the `tzdata` package the project
pins, so the list follows its updates.
"""

from __future__ import annotations

import functools
import zoneinfo
from importlib import resources

UTC_NAME = "Etc/UTC"
# Offered first: where civicmeet's organisers and their partners meet.
LIKELY = (
    "Europe/Warsaw",
    "Europe/Kyiv",
    "Europe/Berlin",
    "Europe/Vilnius",
    "Europe/Prague",
    "Europe/London",
    UTC_NAME,
)


def _zi_lines() -> list[str]:
    return resources.files("tzdata").joinpath("zoneinfo", "tzdata.zi").read_text(encoding="utf-8").splitlines()


@functools.cache
def canonical_timezones() -> frozenset[str]:
    """Every canonical IANA zone name an event may use."""
    names = set()
    for line in _zi_lines():
        parts = line.split()
        if len(parts) < 2 or parts[0] != "Z":
            continue
        name = parts[1]
        if "/" not in name:
            continue
        names.add(name)
    return frozenset(names & zoneinfo.available_timezones())


@functools.cache
def timezone_links() -> dict[str, str]:
    """Backward-compatibility names and the canonical zone each stands for (``Europe/Kiev`` →
    ``Europe/Kyiv``), so an event stored under an old name shows its zone in the form."""
    links = {}
    canonical = canonical_timezones()
    for line in _zi_lines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L" and parts[1] in canonical:
            links[parts[2]] = parts[1]
    links["UTC"] = UTC_NAME
    return links


def canonical_name(name: str) -> str:
    """`name` as its canonical zone when it is a link; unchanged otherwise."""
    return name if name in canonical_timezones() else timezone_links().get(name, name)


def timezone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The form's choices: the likely zones first, then every canonical zone, in optgroups."""
    from django.utils.translation import gettext as _

    likely = [(name, "UTC" if name == UTC_NAME else name) for name in LIKELY]
    return [
        (_("Usual time zones"), likely),
        (_("All time zones"), [(name, name) for name in sorted(canonical_timezones())]),
    ]


def timezone_allowed(name: str, *, event_pk: int | None = None) -> bool:
    """Whether an event may be held in zone `name`: a canonical name, or (for an event saved
    before this rule) the name it is stored with, as long as zoneinfo still knows it."""
    if name in canonical_timezones():
        return True
    if event_pk is None or name not in zoneinfo.available_timezones():
        return False
    from .models import Event

    return Event.objects.filter(pk=event_pk, timezone=name).exists()
