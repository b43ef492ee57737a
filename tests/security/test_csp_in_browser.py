"""The Content-Security-Policy in a real browser: the site's pages work under it, and nothing on
them is blocked (a blocked script or style would mean a page that silently half-works)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from civicmeet.events.tests.factories import EventFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path(os.environ.get("CIVICMEET_CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's Chromium (apt-get install -y chromium).", pytrace=False)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": ["--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-dev-shm-usage"],
    }


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


def _violations(page) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda message: messages.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.on("pageerror", lambda error: messages.append(str(error)))
    return messages


def test_pages_load_without_a_single_policy_violation(page, base_url):
    organiser = UserFactory(email="anna@zustricz.example.org")
    event = EventFactory(organisers=[organiser])
    violations = _violations(page)

    for path in ("/en/", f"/uk/e/{event.slug}/", f"/pl/e/{event.slug}/register/", "/en/accounts/login/"):
        response = page.goto(base_url + path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
    # Styles really apply (Pico from /static/): the body is not the browser's default serif.
    assert "serif" != page.evaluate("() => getComputedStyle(document.body).fontFamily")
    page.fill("#id_username", "anna@zustricz.example.org")
    page.fill("#id_password", "correct horse battery staple")
    page.click("button[type=submit]:has-text('Log in')")
    page.wait_for_url("**/manage/")
    page.goto(f"{base_url}/en/manage/events/{event.slug}/")
    page.wait_for_load_state("networkidle")

    assert violations == []


def test_the_policy_blocks_inline_script_and_the_check_sees_it(page, base_url):
    violations = _violations(page)
    page.goto(base_url + "/en/")
    # Wait for the browser's report itself, not for an amount of time.
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text, timeout=30_000):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.injected = 1";
                document.body.appendChild(script);
            }"""
        )

    assert page.evaluate("() => window.injected") is None
    assert any("Content Security Policy" in message for message in violations)


def test_api_docs_render_under_their_own_policy(page, base_url):
    violations = _violations(page)

    response = page.goto(base_url + "/api/v1/docs")
    assert response is not None and response.status == 200
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)

    assert page.locator(".swagger-ui .opblock").count() >= 5
    assert violations == []
