"""Security headers on every response: Content-Security-Policy, Permissions-Policy and COOP.

Django's own SecurityMiddleware and XFrameOptionsMiddleware keep setting X-Frame-Options,
X-Content-Type-Options, Referrer-Policy and HSTS; this adds what Django 5.2 does not have.

The policy forbids inline scripts and styles everywhere (templates load everything from
/static/). A few paths may get a policy of their own (settings.CONTENT_SECURITY_POLICY_PATHS),
e.g. the API's Swagger UI, whose React components set inline styles.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Pages whose address holds a token (a personal link, a sign-in link, an invitation) must never send
# it on in a Referer header. Not "no-referrer": with it browsers send `Origin: null` on every POST
# from the page, so Django's CSRF check refuses its forms. "strict-origin" sends at most the bare
# origin, never the path, and keeps the Origin header intact.
LINK_PAGE_REFERRER_POLICY = "strict-origin"


def _policy(directives: dict[str, str]) -> str:
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


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
            headers["Permissions-Policy"] = self.permissions_policy
        if "Cross-Origin-Opener-Policy" not in headers:
            headers["Cross-Origin-Opener-Policy"] = self.opener_policy
        return response
