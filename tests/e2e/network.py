"""Helpers for the network's browser journeys.

`sign_in_by_link(page, email)` signs a person in the way they would: asks for a link on the
sign-in page, reads the link from the email in the outbox, opens it and presses "Sign in". The
account must exist (e.g. an approved representative made with `representative_invite` or the
organisations factories).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

LINK = re.compile(r"https?://\S+/accounts/signin/[A-Za-z0-9_-]+/")


def signin_link_path(email: str) -> str:
    """The path of the newest sign-in link emailed to `email` (read from the outbox)."""
    from civicmeet.notifications.models import OutgoingEmail

    message = OutgoingEmail.objects.filter(to__iexact=email, body_text__contains="/accounts/signin/").order_by("-id")
    latest = message.first()
    assert latest is not None, f"no sign-in link was emailed to {email}"
    found = LINK.search(latest.body_text)
    assert found, latest.body_text
    return urlsplit(found.group(0)).path


def sign_in_by_link(page: Page, email: str, *, language: str = "en", next_url: str = "") -> None:
    """Ask for a link for `email`, open it from the email and press "Sign in". Leaves the page
    where the person lands (their network home, or `next_url`)."""
    start = f"/{language}/accounts/signin/" + (f"?next={next_url}" if next_url else "")
    page.goto(start)
    page.locator("input[name=email]").fill(email)
    page.locator("form.card button[type=submit]").click()
    expect(page.locator(".notice-info")).to_be_visible()
    page.goto(signin_link_path(email))
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/signin/" not in url)
