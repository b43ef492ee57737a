"""The mail server goes away during a burst of decisions: nothing fails, nothing is lost or doubled."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from civicmeet.notifications.models import EmailStatus, OutgoingEmail
from civicmeet.notifications.tests.smtp import SmtpServer

from .harness import (
    DEADLINE,
    PASSWORD,
    ROOT,
    decide,
    free_port,
    get,
    make_event,
    organiser_with_token,
    register,
    request,
    run_together,
    wait_for,
)

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

PEOPLE = 30


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


def test_mail_server_outage_delays_emails_but_loses_none(serve, figures, monkeypatch):
    # Waiting for the SMTP server's thread to be ready: a generous deadline, not aiosmtpd's 5 s.
    monkeypatch.setenv("AIOSMTPD_CONTROLLER_TIMEOUT", str(DEADLINE))
    smtp = SmtpServer()
    # A port nobody else can take while the server is down (it starts again on the same one).
    smtp.port = free_port()
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
        emails = OutgoingEmail.objects.filter(registration__event=event)
        with ThreadPoolExecutor(8) as pool:
            created = list(pool.map(lambda n: register(server.url, event.slug, n), range(PEOPLE)))
        assert {r.status for r in created} == {201}
        ids = [r.json()["id"] for r in created]
        # Received by the mail server and recorded as sent: a message is received before the
        # server's reply reaches the worker, and stopping the server in between would cut it.
        wait_for(
            lambda: len(smtp.messages) == PEOPLE and emails.filter(status=EmailStatus.SENT).count() == PEOPLE,
            "every confirmation delivered and recorded as sent",
        )
        cookies = log_in(server.url, organiser.user.email)

        smtp.stop()
        down_at = time.monotonic()
        answers = run_together([lambda pk=pk: decide(server.url, organiser, event.slug, pk, "accept") for pk in ids])
        assert [getattr(a, "status", a) for a in answers] == [200] * PEOPLE
        decisions = emails.exclude(kind="registration_received")
        wait_for(lambda: decisions.filter(status=EmailStatus.FAILED).exists(), "a failed attempt")
        during = outbox_counts(server.url, event.slug, cookies)
        assert during["Sent"] == PEOPLE
        assert during["Failed"] + during["Waiting to be sent"] == PEOPLE
        assert during["Failed"] >= 1
        assert during["retrying shown"] >= 1
        # The outage lasts until every decision email has been retried at least once.
        wait_for(lambda: decisions.filter(attempts__gte=2).count() == PEOPLE, "every decision email retried")
        assert len(smtp.messages) == PEOPLE  # nothing could be sent meanwhile

        smtp.start()
        back_at = time.monotonic()
        outage = back_at - down_at
        wait_for(lambda: len(smtp.messages) >= 2 * PEOPLE, "every decision delivered")
        delivered = time.monotonic() - back_at
        figures(
            f"{PEOPLE} decision emails held during a {outage:.1f} s SMTP outage, all delivered "
            f"{delivered:.1f} s after it ended"
        )
        # Every email recorded as sent. Then nothing can send one again: a message is only taken
        # for sending while it is not sent, and its retries stop once it is. To be sure that no
        # retry already due sends a duplicate, a worker runs every task that is due, to the end
        # (`--batch`), before the messages are counted.
        wait_for(lambda: not emails.exclude(status=EmailStatus.SENT).exists(), "every email recorded as sent")
        env = {**server.env, "SECRET_KEY_FILE": str(ROOT / server.env["CIVICMEET_VAR_DIR"] / "secret_key")}
        batch = subprocess.run(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=DEADLINE,
        )
        assert batch.returncode == 0, batch.stderr[-3000:]
        assert all(email.status == EmailStatus.SENT for email in emails)
        received = Counter((message["To"], message["Subject"]) for message in smtp.messages)
        assert len(received) == 2 * PEOPLE
        assert set(received.values()) == {1}
        after = outbox_counts(server.url, event.slug, cookies)
        assert (after["Sent"], after["Failed"], after["Waiting to be sent"]) == (2 * PEOPLE, 0, 0)
    finally:
        smtp.stop()
