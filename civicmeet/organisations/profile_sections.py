"""Sections that apps above add to an organisation's profile page (its activities, offers and needs,
projects, channel experience): registered in their AppConfig.ready(), rendered by the profile view
in order (core.page_sections says what a section is and must do)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from civicmeet.core.page_sections import PageSections, Section

ProfileSection = Section
PROFILE_SECTIONS = PageSections()


def register_profile_section(
    *, key: str, order: int, template: str, context: Callable[[Any, Any], dict[str, Any] | None]
) -> None:
    """Add (or replace, by key) a section of the profile page."""
    PROFILE_SECTIONS.register(key=key, order=order, template=template, context=context)


def profile_sections(organisation, user) -> list[tuple[Section, dict[str, Any]]]:
    """The registered sections with their context for this organisation and reader, in order."""
    return PROFILE_SECTIONS.rendered(organisation, user)
