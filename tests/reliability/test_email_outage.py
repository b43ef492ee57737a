"""The mail server goes away during a burst of decisions: nothing fails, nothing is lost or doubled."""

from __future__ import annotations

import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from civicmeet.notifications.models import EmailStatus, OutgoingEmail
from civicmeet.notifications.tests.smtp import SmtpServer

from .harness import PASSWORD, decide, get, make_event, organiser_with_token, register, request, run_together

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

PEOPLE = 30
OUTAGE = 4.0  # seconds without a mail server


def wait_for(condition, limit: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if condition():
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {limit} s")


def log_in(url: str, email: str) -> dict[str, str]:
    """Log in through the HTML form (with its CSRF token); returns the cookies to send."""
    page = get(url, "/en/accounts/login/")
    cookies = page.cookies()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = request(
        url,
        "POST",
        "/en/accounts/login/",
        form={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Cookie": f"csrftoken={cookies['csrftoken']}"},
    )
    assert answer.status == 302, answer.text[:2000]
    return {**cookies, **answer.cookies()}


def outbox_counts(url: str, slug: str, cookies: dict[str, str]) -> dict[str, int]:
    """The numbers at the top of the organisers' Emails page."""
    page = get(
        url, f"/en/manage/events/{slug}/emails/", headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    )
    assert page.status == 200, page.status
    found = dict(
        (label, int(number))
        for number, label in re.findall(
            r"<strong>(\d+)</strong>\s*(Failed|Waiting to be sent|Sent)\s*</article>", page.text
        )
    )
    assert set(found) == {"Failed", "Waiting to be sent", "Sent"}, page.text[:3000]
    found["retrying shown"] = page.text.count("Failed (retrying)")
    return found


def test_mail_server_outage_delays_emails_but_loses_none(serve, figures):
    smtp = SmtpServer()
    smtp.start()
    try:
        organiser = organiser_with_token()
        event = make_event([organiser], capacity=100)
        server = serve(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port),
            EMAIL_RETRY_DELAY_SECONDS="1",
            EMAIL_MAX_ATTEMPTS="10",
        )
        with ThreadPoolExecutor(8) as pool:
            created = list(pool.map(lambda n: register(server.url, event.slug, n), range(PEOPLE)))
        assert {r.status for r in created} == {201}
        ids = [r.json()["id"] for r in created]
        wait_for(lambda: len(smtp.messages) == PEOPLE, 30, "confirmations delivered")
        cookies = log_in(server.url, organiser.user.email)

        smtp.stop()
        down_at = time.monotonic()
        answers = run_together([lambda pk=pk: decide(server.url, organiser, event.slug, pk, "accept") for pk in ids])
        assert [getattr(a, "status", a) for a in answers] == [200] * PEOPLE
        decisions = OutgoingEmail.objects.filter(registration__event=event).exclude(kind="registration_received")
        wait_for(lambda: decisions.filter(status=EmailStatus.FAILED).exists(), 15, "a failed attempt")
        during = outbox_counts(server.url, event.slug, cookies)
        assert during["Sent"] == PEOPLE
        assert during["Failed"] + during["Waiting to be sent"] == PEOPLE
        assert during["Failed"] >= 1
        assert during["retrying shown"] >= 1
        time.sleep(max(OUTAGE - (time.monotonic() - down_at), 0))
        assert len(smtp.messages) == PEOPLE  # nothing could be sent meanwhile

        smtp.start()
        back_at = time.monotonic()
        delivered = wait_for(lambda: len(smtp.messages) >= 2 * PEOPLE, 60, "every decision delivered")
        figures(
            f"{PEOPLE} decision emails held during a {OUTAGE:.0f} s SMTP outage, all delivered "
            f"{delivered:.1f} s after it ended"
        )
        time.sleep(1.5)  # a duplicate would arrive now
        assert all(
            email.status == EmailStatus.SENT for email in OutgoingEmail.objects.filter(registration__event=event)
        )
        received = Counter((message["To"], message["Subject"]) for message in smtp.messages)
        assert len(received) == 2 * PEOPLE
        assert set(received.values()) == {1}
        after = outbox_counts(server.url, event.slug, cookies)
        assert (after["Sent"], after["Failed"], after["Waiting to be sent"]) == (2 * PEOPLE, 0, 0)
        assert time.monotonic() - back_at < 60
    finally:
        smtp.stop()
