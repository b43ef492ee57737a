"""The smallest browser journey: the organisers' login page renders, accessibly, on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect


def test_login_page_renders_accessibly_on_a_phone(page, axe_check, screenshot):
    response = page.goto("/en/accounts/login/")

    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in for organisers")
    expect(page.get_by_label("Email")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, "the page scrolls sideways on a phone"
    axe_check(page)
    screenshot(page, "login")


def test_axe_check_fails_on_a_page_with_violations(page, axe_check):
    page.set_content('<html lang="en"><head><title>t</title></head><body><main><img src="x.png"></main></body></html>')

    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        axe_check(page)
