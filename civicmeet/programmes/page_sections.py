"""Sections that apps above add to a programme's page (the events that are part of it).

programmes sits below events (civicmeet/layers.py) and cannot import them: an app above registers
its section here in its AppConfig.ready(), and the programme's page renders whatever is
registered, in `order` — as organisations.profile_sections does for an organisation's profile.

A section's `context(programme, user)` returns the template's context, or None to leave the
section out. It must run a constant number of queries whatever the programme holds: the
programme page's query count is asserted in tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProgrammeSection:
    key: str
    order: int
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]


_SECTIONS: dict[str, ProgrammeSection] = {}


def register_programme_section(
    *, key: str, order: int, template: str, context: Callable[[Any, Any], dict[str, Any] | None]
) -> None:
    """Add (or replace, by key) a section of the programme's page."""
    _SECTIONS[key] = ProgrammeSection(key=key, order=order, template=template, context=context)


def programme_sections(programme, user) -> list[dict[str, Any]]:
    """The registered sections for this programme and reader, in order: each its template, context and key."""
    rendered = []
    for section in sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key)):
        context = section.context(programme, user)
        if context is not None:
            rendered.append({"key": section.key, "template": section.template, "context": context})
    return rendered
