"""Enumerating routes and running one request as one persona (shared by the matrix tests)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

from .conftest import World

LOGIN = "login"
REDIRECT = "redirect"


def site_routes() -> list[str]:
    """Every route of the site as written in the URLconf, without the language prefix."""
    routes = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            text = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                # i18n_patterns: the language prefix is not part of the route's identity.
                walk(
                    pattern.url_patterns,
                    prefix + ("" if type(pattern.pattern).__name__ == "LocalePrefixPattern" else text),
                )
            elif isinstance(pattern, URLPattern):
                routes.append(prefix + text)

    walk(get_resolver().url_patterns, "")
    return routes


def api_operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation in the API's OpenAPI schema."""
    schema = api.get_openapi_schema()
    return sorted((method.upper(), path) for path, operations in schema["paths"].items() for method in operations)


from civicmeet.api.urls import api  # noqa: E402


def fill(route: str, world: World, persona: str) -> str:
    path = route
    path = (
        path.replace("<slug:slug>", world.ours.slug)
        .replace("{slug}", world.ours.slug)
        .replace("<slug>", world.ours.slug)
    )
    # The directory's own pages name an organisation by pk: our participant's (a draft).
    if path.startswith("network/organisations/<int:pk>"):
        path = path.replace("<int:pk>", str(world.mine.organisation_id))
    path = path.replace("<int:pk>", str(world.mine.pk)).replace("{registration_id}", str(world.mine.pk))
    path = path.replace("<int:organisation_pk>", str(world.mine.organisation_id))
    # The data pages' merge: our participants' organisation into itself (refused, changes nothing).
    path = path.replace("<int:survivor>", str(world.mine.organisation_id))
    path = path.replace("<int:duplicate>", str(world.mine.organisation_id))
    # Offers and needs: the registration's pk names no resource (so 404 after the login).
    path = path.replace("<int:offer_pk>", str(world.mine.pk)).replace("<int:need_pk>", str(world.mine.pk))
    # The API's network: our participant's organisation (a draft, so 404 to everyone), no channel.
    path = path.replace("{organisation_id}", str(world.mine.organisation_id)).replace("{channel_id}", "1")
    path = path.replace("{member_id}", str(world.desk_member_id))
    path = path.replace("<str:fmt>", "csv")  # the programmes sign-ups' export
    token = world.token_for(persona)
    path = path.replace("<str:token>", token).replace("{token}", token)
    return path


def outcome(response) -> object:
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        # The network's pages send people without a password to ask for a sign-in link.
        login_paths = ["/accounts/login/", "/admin/login/", "/accounts/signin/"]
        if any(p in location for p in login_paths):
            return LOGIN
        return REDIRECT
    return response.status_code
