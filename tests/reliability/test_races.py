"""Races for seats through the HTTP API of a real server: never more accepted than seats, nothing lost."""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from civicmeet.notifications.models import OutgoingEmail
from civicmeet.registrations.models import LogEntry, Registration, State

from .harness import (
    Response,
    decide,
    get,
    is_server_error,
    make_event,
    organiser_with_token,
    register,
    request,
    run_together,
)

pytestmark = [pytest.mark.reliability, pytest.mark.django_db(transaction=True)]

CAPACITY = 20
APPLICANTS = 120


def register_many(url: str, slug: str, count: int, *, start: int = 0, threads: int = 8) -> list[Response]:
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda n: register(url, slug, n), range(start, start + count)))


def test_simultaneous_acceptances_fill_exactly_the_capacity(serve, figures):
    organiser = organiser_with_token()
    event = make_event([organiser], capacity=CAPACITY)
    server = serve()

    started = time.monotonic()
    created = register_many(server.url, event.slug, APPLICANTS)
    elapsed = time.monotonic() - started
    assert [r.status for r in created] == [201] * APPLICANTS, [r.text for r in created if r.status != 201][:3]
    ids = [r.json()["id"] for r in created]
    figures(f"{APPLICANTS} API registrations with 8 clients in {elapsed:.2f} s ({APPLICANTS / elapsed:.0f}/s)")

    started = time.monotonic()
    answers = run_together([lambda pk=pk: decide(server.url, organiser, event.slug, pk, "accept") for pk in ids])
    elapsed = time.monotonic() - started
    figures(f"{APPLICANTS} simultaneous acceptances in {elapsed:.2f} s")

    errors = [a for a in answers if not isinstance(a, Response)]
    assert errors == [], errors[:3]
    assert [a for a in answers if a.status >= 500] == []
    accepted = [a for a in answers if a.status == 200]
    refused = [a for a in answers if a.status == 409]
    assert len(accepted) == CAPACITY
    assert len(refused) == APPLICANTS - CAPACITY
    assert {a.json()["code"] for a in refused} == {"capacity"}
    assert {a.json()["detail"] for a in refused} == {
        f"No seats left (capacity: {CAPACITY}). Cancel or reject someone first."
    }

    # In the database: every registration is there, exactly the answered ones accepted.
    states = dict(Registration.objects.filter(event=event).values_list("pk", "state"))
    assert sorted(states) == sorted(ids)
    assert sorted(pk for pk, state in states.items() if state == State.ACCEPTED) == sorted(
        a.json()["id"] for a in accepted
    )
    assert list(states.values()).count(State.SUBMITTED) == APPLICANTS - CAPACITY
    assert LogEntry.objects.filter(registration__event=event, to_state=State.ACCEPTED).count() == CAPACITY
    assert OutgoingEmail.objects.filter(registration__event=event).count() == APPLICANTS + CAPACITY
    assert get(server.url, f"/api/v1/events/{event.slug}").json()["seats_left"] == 0
    assert "database is locked" not in server.log()


def test_cancellations_while_organisers_accept_from_the_waiting_list(serve, figures):
    first, second = organiser_with_token(), organiser_with_token("bohdan@czulent.example.org")
    event = make_event([first, second], capacity=CAPACITY)
    server = serve()
    created = register_many(server.url, event.slug, 60)
    assert {r.status for r in created} == {201}
    people = [r.json() for r in created]
    seated, waiting = people[:CAPACITY], people[CAPACITY:]
    for person in seated:
        assert decide(server.url, first, event.slug, person["id"], "accept").status == 200
    for person in waiting:
        assert decide(server.url, first, event.slug, person["id"], "waitlist").status == 200

    leaving = seated[:10]
    answers: dict[str, list] = {"cancel": [], "accept": []}
    lock = threading.Lock()

    def cancel(person):
        response = request(server.url, "POST", f"/api/v1/registrations/{person['token']}/cancel")
        with lock:
            answers["cancel"].append((person["id"], response))

    def accept_waiting(organiser, order):
        for person in order:
            response = decide(server.url, organiser, event.slug, person["id"], "accept")
            with lock:
                answers["accept"].append((person["id"], response))

    rng = random.Random(4)
    calls = [lambda p=p: cancel(p) for p in leaving]
    calls += [lambda o=o: accept_waiting(o, rng.sample(waiting, len(waiting))) for o in (first, second, first, second)]
    started = time.monotonic()
    failures = [result for result in run_together(calls) if result is not None]
    figures(f"10 cancellations racing 4×40 acceptances in {time.monotonic() - started:.2f} s")
    assert failures == []

    all_answers = [response for _, response in answers["cancel"] + answers["accept"]]
    assert not any(is_server_error(r) for r in all_answers)
    assert sorted(pk for pk, r in answers["cancel"] if r.status == 200) == sorted(p["id"] for p in leaving)
    accepted_now = {pk for pk, r in answers["accept"] if r.status == 200}
    refusals = {r.json()["code"] for _, r in answers["accept"] if r.status == 409}
    assert refusals <= {"capacity", "transition_not_allowed"}
    assert {r.status for _, r in answers["accept"]} <= {200, 409}

    registrations = Registration.objects.filter(event=event)
    counts = {state: registrations.filter(state=state).count() for state in State.values}
    assert counts[State.ACCEPTED] <= CAPACITY
    assert counts[State.CANCELLED] == len(leaving)
    # Every freed seat that an organiser took is an acceptance answered 200, and nothing else.
    assert counts[State.ACCEPTED] == CAPACITY - len(leaving) + len(accepted_now)
    assert counts[State.WAITLISTED] == len(waiting) - len(accepted_now)
    for person in leaving:
        assert LogEntry.objects.filter(registration_id=person["id"], to_state=State.CANCELLED).count() == 1
    assert LogEntry.objects.filter(registration__event=event, to_state=State.ACCEPTED).count() == CAPACITY + len(
        accepted_now
    )
    seats_left = get(server.url, f"/api/v1/events/{event.slug}").json()["seats_left"]
    assert seats_left == CAPACITY - counts[State.ACCEPTED]
    assert "database is locked" not in server.log()
