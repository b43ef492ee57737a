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

from .harness import (
    Load,
    gone,
    make_event,
    organiser_with_token,
    process_start_time,
    tasks_waiting_or_running,
    wait_for,
)

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

CLIENTS = 8


def test_killed_web_workers_lose_no_answered_registration_and_come_back(serve, figures):
    event = make_event([organiser_with_token()], capacity=1000)
    server = serve()
    load = Load(server.url, event.slug)
    clients = [threading.Thread(target=load.client, daemon=True) for _ in range(CLIENTS)]
    for client in clients:
        client.start()
    # When connections may break, as (moment of the kill, moment the effect of the kill was over).
    windows: list[tuple[float, float]] = []
    try:
        wait_for(lambda: load.created_since(0) >= 40, "40 registrations before the first kill")

        # One worker dies: the other keeps serving, granian starts a new one.
        victim = server.web_workers()[0]
        victim_started = process_start_time(victim)
        killed_at = time.monotonic()  # taken before the kill: whatever the kill breaks ends after it
        os.kill(victim, signal.SIGKILL)
        # Once the killed process is reaped its sockets are closed: what it held has broken, and
        # new connections can only reach the surviving worker (or the new one).
        wait_for(lambda: gone(victim, victim_started), "the killed worker's process gone")
        windows.append((killed_at, time.monotonic()))
        wait_for(lambda: len(server.web_workers()) == 2, "2 web workers again")  # the victim being gone
        respawn = time.monotonic() - killed_at
        wait_for(lambda: load.created_since(killed_at) >= 20, "20 registrations after the first kill")
        figures(f"one worker killed: 2 workers again after {respawn:.1f} s")

        # Every worker dies at once, one of them seconds after it started: granian takes that for a
        # crash loop and exits; serve.sh starts it again. Either way the service comes back by itself.
        granian = server.granian_pid
        workers = server.web_workers()
        started = {pid: process_start_time(pid) for pid in workers}
        killed_at = time.monotonic()
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        wait_for(lambda: all(gone(pid, since) for pid, since in started.items()), "the killed workers gone")
        all_gone_at = time.monotonic()

        # Back: two new workers, and a registration sent after the old ones were gone answered.
        def new_workers() -> int:
            return sum(process_start_time(pid) != started.get(pid) for pid in server.web_workers())

        wait_for(
            lambda: new_workers() == 2 and load.created_since(all_gone_at) >= 1,
            "2 new web workers serving registrations",
        )
        windows.append((killed_at, time.monotonic()))
        recovery = load.first_success_after(all_gone_at) + all_gone_at - killed_at
        wait_for(lambda: load.created_since(killed_at) >= 20, "20 registrations after all workers were killed")
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
    unexplained = [
        (round(started - windows[0][0], 2), type(error).__name__)
        for started, ended, error in load.broken
        if not any(ended >= kill and started <= over for kill, over in windows)
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
            "subject_id",
            flat=True,  # the registration it is about (the outbox's link is generic)
        )
    )
    assert submitted == set(stored)
    assert emailed == set(stored)
    assert LogEntry.objects.filter(registration__event=event).count() == len(stored)

    # Nothing is lost in the outbox either: whatever a dying worker had not queued yet, the
    # sweep (`send_pending_emails`, run from cron) sends. Once the task worker has run every task
    # that is due (no more requests come), an email still unsent is one that has no task.
    wait_for(lambda: tasks_waiting_or_running() == 0, "the task worker done with its queue")
    stuck = OutgoingEmail.objects.filter(registration__event=event).exclude(status=EmailStatus.SENT).count()
    figures(f"{stuck} confirmation email(s) left pending without a task by the kills (sent by the sweep)")
    call_command("send_pending_emails")
    assert OutgoingEmail.objects.filter(registration__event=event).exclude(status=EmailStatus.SENT).count() == 0
