"""kill -9 of granian web workers in the middle of a load of registrations."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from django.core.management import call_command

from civicmeet.notifications.models import EmailStatus, OutgoingEmail
from civicmeet.registrations.models import LogEntry, Registration

from .harness import Load, make_event, organiser_with_token, wait_for

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

CLIENTS = 8
RECOVERY_LIMIT = 15.0  # seconds


def test_killed_web_workers_lose_no_answered_registration_and_come_back(serve, figures):
    event = make_event([organiser_with_token()], capacity=1000)
    server = serve()
    load = Load(server.url, event.slug)
    clients = [threading.Thread(target=load.client, daemon=True) for _ in range(CLIENTS)]
    for client in clients:
        client.start()
    try:
        wait_for(lambda: load.created_since(0) >= 40, 30)

        # One worker dies: the other keeps serving, granian starts a new one.
        victim = server.web_workers()[0]
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        kills = [killed_at]
        respawn = wait_for(
            lambda: victim not in server.web_workers() and len(server.web_workers()) == 2, RECOVERY_LIMIT
        )
        wait_for(lambda: load.created_since(killed_at) >= 20, RECOVERY_LIMIT)
        figures(f"one worker killed: 2 workers again after {respawn:.1f} s")

        # Every worker dies at once, one of them seconds after it started: granian takes that for a
        # crash loop and exits; serve.sh starts it again. Either way the service comes back by itself.
        granian = server.granian_pid
        workers = server.web_workers()
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        killed_at = time.monotonic()
        kills.append(killed_at)
        wait_for(lambda: load.created_since(killed_at) >= 1, RECOVERY_LIMIT)
        recovery = load.first_success_after(killed_at)
        wait_for(lambda: len(set(server.web_workers()) - set(workers)) == 2, RECOVERY_LIMIT)
        wait_for(lambda: load.created_since(killed_at) >= 20, RECOVERY_LIMIT)
        how = "granian restarted by serve.sh" if server.granian_pid != granian else "workers respawned by granian"
        figures(f"all workers killed: registrations succeed again after {recovery:.1f} s ({how})")
    finally:
        load.stop.set()
        for client in clients:
            client.join(70)
    assert not any(client.is_alive() for client in clients)

    statuses = sorted({r.status for _, _, r in load.answered})
    created = {r.json()["id"]: r.json()["token"] for _, _, r in load.answered if r.status == 201}
    figures(f"{len(created)} registrations answered 201, {len(load.broken)} connections cut by the kills")
    assert statuses == [201], [r.text for _, _, r in load.answered if r.status != 201][:3]
    # Connections failed only because of the kills: in flight on a killed worker, or sent while
    # the web server was starting again; never before, and never once it was back.
    windows = [(kills[0], 1.0), (kills[1], recovery + 1.0)]
    unexplained = [
        (round(started - kills[0], 2), type(error).__name__)
        for started, ended, error in load.broken
        if not any(ended >= kill and started <= kill + grace for kill, grace in windows)
    ]
    assert unexplained == []

    # Every registration answered 201 is in the database, with its token.
    stored = dict(Registration.objects.filter(event=event).values_list("pk", "token"))
    assert {pk: stored.get(pk) for pk in created} == created
    # No half-written registration: each has its log entry and its confirmation email.
    # (A request cut by the kill may have committed without its answer arriving: complete too.)
    submitted = set(
        LogEntry.objects.filter(registration__event=event, action="registrations.registration.submitted").values_list(
            "registration_id", flat=True
        )
    )
    emailed = set(
        OutgoingEmail.objects.filter(registration__event=event, kind="registration_received").values_list(
            "registration_id", flat=True
        )
    )
    assert submitted == set(stored)
    assert emailed == set(stored)
    assert LogEntry.objects.filter(registration__event=event).count() == len(stored)

    # Nothing is lost in the outbox either: whatever a dying worker had not queued yet, the
    # sweep (`send_pending_emails`, run from cron) sends.
    stuck = wait_for_outbox(event)
    figures(f"{stuck} confirmation email(s) left pending without a task by the kills (sent by the sweep)")
    call_command("send_pending_emails")
    assert OutgoingEmail.objects.filter(registration__event=event).exclude(status=EmailStatus.SENT).count() == 0


def wait_for_outbox(event, settle: float = 10.0) -> int:
    """Let the worker drain the queue; return how many emails it will never send by itself."""
    emails = OutgoingEmail.objects.filter(registration__event=event)
    deadline = time.monotonic() + settle
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        waiting = emails.exclude(status=EmailStatus.SENT).count()
        if waiting == 0:
            return 0
        if waiting != last:
            last, since = waiting, time.monotonic()
        elif time.monotonic() - since > 3:
            return waiting  # no progress for 3 s: these have no task
        time.sleep(0.2)
    return emails.exclude(status=EmailStatus.SENT).count()
