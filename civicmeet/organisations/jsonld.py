"""schema.org `NGO` JSON-LD for a public profile page, so search engines and other tools read it.

The profile page emits `organisation_jsonld(...)` in a <script type="application/ld+json"> data
block (escaped as Django's json_script does). What the organisation offers and needs belongs to the
resources app, above this one: it adds `makesOffer` / `seeks` by registering a contributor,
`register_jsonld_contributor(fn)`, fn(organisation, user) → a dict of extra keys. Like a profile
section, a contributor must run a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from .models import Region
from .selectors import organisation_display_name, organisation_slug

Contributor = Callable[[Any, Any], dict[str, Any] | None]
_CONTRIBUTORS: list[Contributor] = []


def register_jsonld_contributor(fn: Contributor) -> None:
    """Let an app above add keys (makesOffer, seeks, …) to every profile's JSON-LD."""
    if fn not in _CONTRIBUTORS:
        _CONTRIBUTORS.append(fn)


def _profile_url(request: HttpRequest, organisation) -> str:
    return request.build_absolute_uri(
        reverse("directory:organisation", kwargs={"pk": organisation.pk, "slug": organisation_slug(organisation)})
    )


def _logo_url(request: HttpRequest, organisation) -> str | None:
    if organisation.logo is None:
        return None
    variants = list(organisation.logo.variants.all())
    if not variants:
        return None
    return request.build_absolute_uri(reverse("organisations:image", kwargs={"digest": variants[-1].digest}))


def organisation_jsonld(*, organisation, request: HttpRequest, language: str) -> dict[str, Any]:
    """The profile as a schema.org NGO. Only what the reader may see of the profile is given (the
    caller decides about contacts); empty values are left out."""
    name = organisation_display_name(organisation, language)
    alternate = [variant.name for variant in organisation.names.all() if variant.name != name]
    if organisation.name != name:
        alternate.insert(0, organisation.name)
    if organisation.short_name:
        alternate.append(organisation.short_name)
    address: dict[str, Any] = {}
    if organisation.city or organisation.region:
        address = {"@type": "PostalAddress", "addressCountry": "PL"}
        if organisation.city:
            address["addressLocality"] = organisation.city
        if organisation.region and organisation.region not in (Region.NATIONWIDE, Region.ABROAD):
            address["addressRegion"] = organisation.get_region_display()
        if organisation.region == Region.ABROAD:
            del address["addressCountry"]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NGO",
        "@id": _profile_url(request, organisation),
        "name": name,
        "alternateName": list(dict.fromkeys(alternate)),
        "description": organisation.description(language),
        "url": organisation.website or _profile_url(request, organisation),
        "mainEntityOfPage": _profile_url(request, organisation),
        "logo": _logo_url(request, organisation),
        "address": address,
        "knowsLanguage": list(organisation.working_languages or []),
        "areaServed": organisation.area_served or (organisation.get_region_display() if organisation.region else ""),
        "foundingDate": str(organisation.founded_year) if organisation.founded_year else "",
        "taxID": organisation.nip,
        "inLanguage": language,
    }
    parent = getattr(organisation, "visible_parent", None)
    if parent is not None:
        data["parentOrganization"] = {
            "@type": "NGO",
            "name": organisation_display_name(parent, language),
            "url": _profile_url(request, parent),
        }
    members = getattr(organisation, "visible_members", [])
    if members:
        data["subOrganization"] = [
            {"@type": "NGO", "name": organisation_display_name(member, language), "url": _profile_url(request, member)}
            for member in members
        ]
    for contributor in _CONTRIBUTORS:
        data.update(contributor(organisation, getattr(request, "user", None)) or {})
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}
