"""Sections that apps above add to an organisation's profile page (its activities, offers and needs,
projects, channel experience). organisations cannot import those apps; they register here in their
AppConfig.ready() and the profile view renders whatever is registered, in `order`.

A section's `context(organisation, user)` returns the template's context, or None to leave the
section out (nothing to show this reader). It must run a constant number of queries whatever the
organisation holds: the profile page's query count is asserted in tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProfileSection:
    key: str
    order: int
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]


_SECTIONS: dict[str, ProfileSection] = {}


def register_profile_section(
    *, key: str, order: int, template: str, context: Callable[[Any, Any], dict[str, Any] | None]
) -> None:
    """Add (or replace, by key) a section of the profile page."""
    _SECTIONS[key] = ProfileSection(key=key, order=order, template=template, context=context)


def profile_sections(organisation, user) -> list[tuple[ProfileSection, dict[str, Any]]]:
    """The registered sections with their context for this organisation and reader, in order."""
    rendered = []
    for section in sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key)):
        context = section.context(organisation, user)
        if context is not None:
            rendered.append((section, context))
    return rendered
