"""Every response carries the Content-Security-Policy and the usual security headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

STRICT = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def directives(header: str) -> dict[str, str]:
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in header.split("; ")}


@pytest.mark.parametrize(
    "path",
    ["/en/", "/pl/accounts/login/", "/uk/no-such-page/", "/healthz", "/api/v1/events", "/api/v1/openapi.json"],
)
def test_every_response_has_the_strict_policy_and_headers(client, event, path):
    response = client.get(path)

    assert response["Content-Security-Policy"] == STRICT
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    # Django's own headers stay.
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_event_page_has_the_strict_policy(client, event):
    event.is_published = True
    event.save()
    response = client.get(f"/uk/e/{event.slug}/")

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == STRICT


def test_api_docs_allow_inline_styles_but_no_inline_scripts(client):
    response = client.get("/api/v1/docs")

    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    # Swagger UI's scripts come from our static files; the only inline <script> holds JSON data,
    # which browsers do not run.
    page = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_relaxed_policy_does_not_leak_to_other_api_paths(client):
    assert client.get("/api/v1/docsx")["Content-Security-Policy"] == STRICT
    assert client.get("/api/v1/openapi.json")["Content-Security-Policy"] == STRICT


def test_a_view_that_sets_its_own_policy_keeps_it(rf, settings):
    from django.http import HttpResponse

    from civicmeet.core.middleware import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse("x")
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/"))

    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"\shx-on", re.I), "htmx inline handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_templates_have_nothing_inline_that_the_policy_would_block():
    """The strict policy blocks inline scripts, styles and handlers: templates must not use them."""
    roots = [Path(settings.BASE_DIR) / "templates", *Path(settings.BASE_DIR, "civicmeet").glob("*/templates")]
    found = []
    for root in roots:
        for template in root.rglob("*.html"):
            # Email bodies are not served to browsers; mail clients need inline styles.
            if "emails" in template.parts:
                continue
            for number, line in enumerate(template.read_text().splitlines(), 1):
                for pattern, what in INLINE:
                    if pattern.search(line):
                        found.append(f"{template.relative_to(settings.BASE_DIR)}:{number}: {what}")
    assert found == []
