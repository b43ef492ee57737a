"""Sections that apps above add to a programme's page (the events that are part of it).

programmes sits below events (civicmeet/layers.py) and cannot import them: an app above registers
its section here in its AppConfig.ready(), and the programme's page renders whatever is
registered, in `order` (core.page_sections says what a section is and must do).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from civicmeet.core.page_sections import PageSections, Section

ProgrammeSection = Section
PROGRAMME_SECTIONS = PageSections()


def register_programme_section(
    *, key: str, order: int, template: str, context: Callable[[Any, Any], dict[str, Any] | None]
) -> None:
    """Add (or replace, by key) a section of the programme's page."""
    PROGRAMME_SECTIONS.register(key=key, order=order, template=template, context=context)


def programme_sections(programme, user) -> list[dict[str, Any]]:
    """The registered sections for this programme and reader, in order: each its template, context and key."""
    return [
        {"key": section.key, "template": section.template, "context": context}
        for section, context in PROGRAMME_SECTIONS.rendered(programme, user)
    ]
