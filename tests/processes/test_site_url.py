"""Without SITE_URL, links in emails and the API point to the address the site is served on."""

from __future__ import annotations

import json
import runpy

import pytest

from .running import http_get, requirements_are_installed, start, wait_for

BASE_SETTINGS = "config/settings/base.py"


def _site_url(monkeypatch, **env: str) -> str:
    for name in ("SITE_URL", "HOST", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(BASE_SETTINGS)["SITE_URL"]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "8080"}, "http://127.0.0.1:8080"),
        ({"HOST": "localhost", "PORT": "8080"}, "http://localhost:8080"),
        ({"HOST": "192.168.1.20"}, "http://192.168.1.20:8000"),
        # A wildcard listens everywhere but is no address to visit: loopback instead.
        ({"HOST": "0.0.0.0", "PORT": "8080"}, "http://127.0.0.1:8080"),  # noqa: S104
        ({"HOST": "::", "PORT": "8080"}, "http://[::1]:8080"),
        # IPv6 addresses, with or without their brackets.
        ({"HOST": "::1", "PORT": "8080"}, "http://[::1]:8080"),
        ({"HOST": "[::1]", "PORT": "8080"}, "http://[::1]:8080"),
        ({"HOST": "fd00::5"}, "http://[fd00::5]:8000"),
        # SITE_URL, when set, wins (the address behind a proxy).
        ({"SITE_URL": "https://civicmeet.example.org/", "PORT": "8080"}, "https://civicmeet.example.org"),
    ],
)
def test_site_url_follows_host_and_port_unless_set(monkeypatch, env, expected):
    assert _site_url(monkeypatch, **env) == expected


@pytest.mark.processes
@pytest.mark.parametrize("target", ["run", "serve"])
def test_make_with_a_port_links_to_that_port(tmp_path, target):
    """`make run PORT=…` / `make serve PORT=…` without SITE_URL: the API's `url` and the links in the
    demo's emails (printed by the worker) point to that port, never to 8000."""
    if not requirements_are_installed():
        pytest.fail("make would install the requirements first (network): run `make test-setup` once")
    extra = (
        {"DEMO": "1", "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"} if target == "serve" else {}
    )
    started = start(target, tmp_path, **extra)
    try:
        started.wait_until_answering()
        address = f"http://127.0.0.1:{started.port}/"
        status, body = http_get(started.port, "/api/v1/events")
        assert status == 200, body
        (event,) = json.loads(body)["items"]  # the demo meeting
        assert event["url"] == f"{address}pl/e/{event['slug']}/"
        status, body = http_get(started.port, f"/api/v1/events/{event['slug']}")
        assert status == 200, body
        assert json.loads(body)["url"] == event["url"]
        # The demo's registrations were confirmed by email; the worker prints them.
        wait_for(lambda: f'href="{address}' in started.log(), 120, "an email with a link", describe=started.report)
        assert "127.0.0.1:8000" not in started.log()
    finally:
        started.kill_everything()
