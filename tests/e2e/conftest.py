"""Browser journeys: pytest-playwright driving Debian's Chromium against pytest-django's live server.

- Every test in this directory is marked `e2e` (run them with `pytest -m e2e`; `make test` runs
  them once, on SQLite).
- The browser is `/usr/bin/chromium` (CIVICMEET_CHROMIUM overrides), headless; nothing is ever
  downloaded. Pages open in a phone-sized context (360 × 740) unless a test asks otherwise.
- The `desktop` fixture is a page in a laptop-sized context (1280 × 800) for organisers' journeys.
- `page.goto("/en/...")` is relative to the live server (`base_url`).
- `axe_check(page)` fails the test on any WCAG 2.1 A/AA violation found by axe-core.
- `screenshot(page, name)` saves docs/screenshots/<name>.png for the documentation.
- Wait on states, never on time: after an action that loads a page, wait for that page's URL
  (`page.wait_for_url`) or for what it shows (`expect(...)`) before reading the page or the
  database; `wait_for_load_state()` right after a click may still see the old page.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CHROMIUM = Path(os.environ.get("CIVICMEET_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = HERE / "vendor" / "axe.min.js"
SCREENSHOTS = REPO / "docs" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}
CHROMIUM_FLAGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
# `expect(...)` waits for a state up to this long (Playwright's 5-second default assumes a quiet
# machine; actions and page loads already wait up to 30 s). It returns as soon as the state holds.
EXPECT_TIMEOUT_MS = 30_000
expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # Runs before `-m` deselects, so `-m e2e` / `-m "not e2e"` see the marker.
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory) -> None:
    """A SQLite test database of this run's own, not the shared `var/test-civicmeet.sqlite3`: a
    second run at the same time (another `make test`, the reliability tests) would delete it under
    this one's live server when it creates its own."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "civicmeet.core.sqlite":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "test-civicmeet.sqlite3")


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    """Playwright's sync API keeps an event loop running in the main thread, and Django refuses ORM
    calls when it sees one. Tests here are synchronous, so the check is a false alarm; it stays off
    for the rest of the session because the loop does too."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.fixture(scope="session")
def base_url(live_server):
    """Pages open relative to the live server: `page.goto("/uk/e/some-event/")`.

    Also replaces pytest-playwright's own `base_url` fallback, which pytest 9 warns about.
    """
    return live_server.url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's Chromium (apt-get install -y chromium).", pytrace=False)
    args = list(browser_type_launch_args.get("args", []))
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": browser_type_launch_args.get("headless", True),
        "args": args + [flag for flag in CHROMIUM_FLAGS if flag not in args],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A phone: 360 px wide, touch, mobile viewport handling."""
    return {
        **browser_context_args,
        "viewport": PHONE,
        "screen": PHONE,
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    }


@pytest.fixture
def desktop(browser, base_url):
    """A page in a laptop-sized context (1280 × 800), for the organisers' journeys."""
    context = browser.new_context(base_url=base_url, viewport=LAPTOP)
    yield context.new_page()
    context.close()


def _describe(violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) (axe-core, WCAG 2.1 A/AA):"]
    for violation in violations:
        lines.append(f"- [{violation.get('impact') or 'n/a'}] {violation['id']}: {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            target = " ".join(json.dumps(part) if not isinstance(part, str) else part for part in node["target"])
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
            lines.append(f"      {node['html'][:200]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more element(s)")
    return "\n".join(lines)


@pytest.fixture
def axe_check():
    """`axe_check(page)`: run axe-core on the page as it is now; fail on WCAG 2.1 A/AA violations.

    `exclude` takes CSS selectors to leave out (say why in the test when you use it).
    """

    def check(page, *, exclude: list[str] | None = None) -> dict:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated over the DevTools protocol, which the site's Content-Security-Policy does not
            # govern: the pages keep their real policy (`script-src 'self'`) during the test.
            page.evaluate(AXE_JS.read_text())
        results = page.evaluate(
            """async ([tags, exclude]) => {
                const context = exclude.length ? {exclude: exclude.map((s) => [s])} : document;
                return await axe.run(context, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            }""",
            [WCAG_TAGS, exclude or []],
        )
        violations = results["violations"]
        if violations:
            pytest.fail(f"{page.url}\n{_describe(violations)}", pytrace=False)
        return results

    return check


@pytest.fixture
def screenshot():
    """`screenshot(page, name)`: save the whole page to docs/screenshots/<name>.png; returns the path."""

    def take(page, name: str, *, full_page: bool = True) -> Path:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name):
            raise ValueError(f"A screenshot name is letters, digits, '-' and '_' (no path), got {name!r}")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page, animations="disabled")
        return path

    return take


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(request):
    """Fail a test whose phone page broke the site's Content-Security-Policy (an inline script or
    style somewhere would be blocked for real users)."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations: list[str] = []

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    yield
    assert not violations, "\n".join(violations)
