"""Sections that apps above add to a page of an app below (an organisation's profile, a programme's
page): the lower app cannot import them, so each registers its section in its AppConfig.ready()
and the page renders whatever is registered, in `order`.

A section's `context(subject, user)` returns the template's context, or None to leave the section
out (nothing to show this reader). It must run a constant number of queries whatever the subject
holds: the pages' query counts are asserted in tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]


@dataclass
class PageSections:
    """The sections of one kind of page, by key."""

    registered: dict[str, Section] = field(default_factory=dict)

    def register(
        self, *, key: str, order: int, template: str, context: Callable[[Any, Any], dict[str, Any] | None]
    ) -> None:
        """Add (or replace, by key) a section."""
        self.registered[key] = Section(key=key, order=order, template=template, context=context)

    def rendered(self, subject, user) -> list[tuple[Section, dict[str, Any]]]:
        """The sections with their context for this subject and reader, in order (those that
        return None left out)."""
        shown = []
        for section in sorted(self.registered.values(), key=lambda section: (section.order, section.key)):
            context = section.context(subject, user)
            if context is not None:
                shown.append((section, context))
        return shown
