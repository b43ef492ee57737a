"""Security headers on every response: Content-Security-Policy, Permissions-Policy and COOP.

Django's own SecurityMiddleware and XFrameOptionsMiddleware keep setting X-Frame-Options,
X-Content-Type-Options, Referrer-Policy and HSTS; this adds what Django 5.2 does not have.

The policy forbids inline scripts and styles everywhere (templates load everything from
/static/). A few paths may get a policy of their own (settings.CONTENT_SECURITY_POLICY_PATHS),
e.g. the API's Swagger UI, whose React components set inline styles.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Pages whose address holds a token (a personal link, a sign-in link, an invitation) must never send
# it on in a Referer header. Not "no-referrer": with it browsers send `Origin: null` on every POST
# from the page, so Django's CSRF check refuses its forms. "strict-origin" sends at most the bare
# origin, never the path, and keeps the Origin header intact.
LINK_PAGE_REFERRER_POLICY = "strict-origin"


def _policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


def permissions_allowing(policy: str, features: tuple[str, ...]) -> str:
    """`policy` with each of `features` allowed for this origin only: "camera=()" -> "camera=(self)"."""
    items = [item.strip() for item in policy.split(",") if item.strip()]
    allowed = set(features)
    items = [f"{name}=(self)" if (name := item.split("=", 1)[0]) in allowed else item for item in items]
    items += [f"{name}=(self)" for name in features if not any(item.startswith(f"{name}=") for item in items)]
    return ", ".join(items)


def allow_features(*features: str) -> Callable:
    """A view decorator: its responses allow `features` (e.g. "camera") for this origin only; every
    other page keeps the site's Permissions-Policy, which forbids them (the desk's scanner)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            response = view(*args, **kwargs)
            response.permissions_allowed = features
            return response

        return wrapped

    return decorator


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        # Built once per process: the per-request cost is a dict lookup and three header writes.
        self.default_policy = _policy(settings.CONTENT_SECURITY_POLICY)
        self.path_policies = {
            path: _policy(directives) for path, directives in settings.CONTENT_SECURITY_POLICY_PATHS.items()
        }
        self.permissions_policy = settings.PERMISSIONS_POLICY
        self.opener_policy = settings.SECURE_CROSS_ORIGIN_OPENER_POLICY or "same-origin"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        headers = response.headers
        if "Content-Security-Policy" not in headers:
            path = request.path_info.rstrip("/") or "/"
            headers["Content-Security-Policy"] = self.path_policies.get(path, self.default_policy)
        if self.permissions_policy and "Permissions-Policy" not in headers:
            allowed = getattr(response, "permissions_allowed", ())
            headers["Permissions-Policy"] = (
                permissions_allowing(self.permissions_policy, allowed) if allowed else self.permissions_policy
            )
        if "Cross-Origin-Opener-Policy" not in headers:
            headers["Cross-Origin-Opener-Policy"] = self.opener_policy
        return response
