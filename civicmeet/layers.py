"""The layers of civicmeet's apps, bottom to top: the one place the rule is written.

An app may import (and point its models' relations at) the apps in the layers below its own,
never those above or beside it. `notifications` sends what it is given and knows no domain
app; `api` and `demo` stand on everything. Tests (`<app>/tests/`) may reach across layers to
set up what they check. Checked by civicmeet/core/tests/test_layers.py; drawn in
docs/architecture.md.
"""

from __future__ import annotations

LAYERS: tuple[tuple[str, ...], ...] = (
    ("eligibility",),  # the rules engine: plain Python, imports no Django and no app of ours
    ("core",),
    ("notifications",),
    ("accounts",),
    ("search",),  # a ranked full-text index of documents that the apps above feed; knows no domain
    ("organisations",),
    ("resources", "channels", "programmes"),  # the network around the organisations
    ("events",),
    ("registrations",),
    ("checkin", "networking"),  # to come
    ("api", "demo"),
)

RANK: dict[str, int] = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}


def may_import(importer: str, imported: str) -> bool:
    """Whether code of app `importer` may import app `imported`."""
    return importer == imported or RANK[imported] < RANK[importer]
