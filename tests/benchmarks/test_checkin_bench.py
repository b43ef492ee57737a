"""bench/checkin.py without a server: its plan of scans, its seeded database (the desks' sessions,
CSRF tokens and API tokens really open the desk's endpoints) and the check it makes afterwards
(it must catch a check-in too many or too few)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.test import Client

from bench.checkin import CSRF_SECRET, DESKS, make_plan, seed, sent_entries, verify
from civicmeet.checkin.models import CheckIn

pytestmark = pytest.mark.django_db

REFUSED = ["CM1.cancelled.x", "CM1.forged.y"]


def test_each_desk_walks_its_own_tickets_with_cross_scans_replays_and_refused_ones():
    codes = [f"code-{n}" for n in range(400)]
    plans = make_plan(codes, REFUSED, run="t")
    assert len(plans) == DESKS
    for desk, plan in enumerate(plans):
        firsts = [entry["code"] for entry in plan if entry["kind"] == "first"]
        assert firsts == codes[desk::DESKS]
        neighbour = set(codes[(desk + 1) % DESKS :: DESKS])
        crosses = [entry["code"] for entry in plan if entry["kind"] == "cross"]
        assert crosses and set(crosses) <= neighbour
        for before, entry in zip(plan, plan[1:], strict=False):
            if entry["kind"] == "replay":
                assert (entry["code"], entry["client_id"]) == (before["code"], before["client_id"])
        assert {entry["code"] for entry in plan if entry["kind"] == "refused"} <= set(REFUSED)
        kinds = Counter(entry["kind"] for entry in plan)
        assert kinds["first"] / len(plan) > 0.75  # most scans are first check-ins
    # A fresh client id for every request but the replays, across the desks too.
    ids = Counter(entry["client_id"] for plan in plans for entry in plan if entry["kind"] != "replay")
    assert max(ids.values()) == 1


def test_a_desk_at_the_end_of_its_plan_starts_again_with_fresh_client_ids():
    plan = make_plan([f"code-{n}" for n in range(40)], REFUSED, run="t")[0]
    sent = sent_entries(plan, len(plan) + 3)
    assert [entry["client_id"] for entry in sent[: len(plan)]] == [entry["client_id"] for entry in plan]
    assert [entry["client_id"] for entry in sent[len(plan) :]] == [f"{e['client_id']}-p1" for e in plan[:3]]
    assert [entry["code"] for entry in sent[len(plan) :]] == [entry["code"] for entry in plan[:3]]


def _desk_client(credential: dict[str, str]) -> Client:
    client = Client(enforce_csrf_checks=True)
    for part in credential["Cookie"].split("; "):
        name, value = part.split("=", 1)
        client.cookies[name] = value
    return client


def _scan(client: Client, path: str, entry: dict, **headers) -> tuple[int, dict]:
    body = {"client_id": entry["client_id"], "code": entry["code"], "basis": entry["basis"]}
    response = client.post(path, json.dumps(body), content_type="application/json", **headers)
    is_json = response.headers.get("Content-Type", "").startswith("application/json")
    return response.status_code, response.json() if is_json else {}


def _run(plans: list[list[dict]], send) -> tuple[list[dict], int]:
    """Every desk's plan in turn, one request of each desk after the other (as 4 desks at once
    interleave); returns what was sent and the answers that said "first check-in"."""
    entries, firsts = [], 0
    for step in range(max(len(plan) for plan in plans)):
        for desk, plan in enumerate(plans):
            if step >= len(plan):
                continue
            entry = plan[step]
            status, answer = send(desk, entry)
            if entry["kind"] == "refused":
                assert status == 409, answer
            else:
                assert status in (200, 201), answer
                firsts += entry["kind"] != "replay" and answer["already"] is False
            entries.append(entry)
    return entries, firsts


def test_the_seeded_desks_check_in_through_the_desk_page_and_the_api_and_the_check_agrees():
    seeded = seed(participants=48, warm_participants=8)
    events, credentials = seeded["events"], seeded["credentials"]
    assert len(credentials) == DESKS

    desk = events["desk"]
    desk_path = f"/en/manage/events/{desk['slug']}/desk/checkins.json"
    clients = [_desk_client(credential["desk"]) for credential in credentials]
    plans = make_plan(desk["codes"], desk["refused"], run="desk")
    entries, firsts = _run(
        plans,
        lambda n, entry: _scan(clients[n], desk_path, entry, HTTP_X_CSRFTOKEN=credentials[n]["desk"]["X-CSRFToken"]),
    )
    checked = verify(slug=desk["slug"], entries=entries, firsts=firsts)
    assert checked["problems"] == []
    assert checked["checkins"] == checked["distinct_codes"] == 48
    # Each check-in was made by the desk member whose session sent it (not an organiser's).
    roles = CheckIn.objects.filter(event__slug=desk["slug"]).values_list(
        "checked_in_by__team_memberships__role", flat=True
    )
    assert set(roles) == {"desk"}

    api = events["api"]
    api_path = f"/api/v1/manage/events/{api['slug']}/checkins"
    api_client = Client()
    plans = make_plan(api["codes"], api["refused"], run="api")
    entries, firsts = _run(
        plans,
        lambda n, entry: _scan(api_client, api_path, entry, HTTP_AUTHORIZATION=credentials[n]["api"]["Authorization"]),
    )
    assert verify(slug=api["slug"], entries=entries, firsts=firsts)["problems"] == []

    # The check catches a check-in missing, a first-check-in answer too many, a request not recorded.
    CheckIn.objects.filter(event__slug=api["slug"]).order_by("id").last().delete()
    problems = verify(slug=api["slug"], entries=entries, firsts=firsts + 1)["problems"]
    assert any("47 check-ins for 48 distinct codes" in problem for problem in problems)
    assert any("answers said 'first check-in'" in problem for problem in problems)
    assert any("request records" in problem for problem in problems)


def test_without_the_csrf_token_the_desk_session_is_refused():
    seeded = seed(participants=4, warm_participants=4)
    desk, credential = seeded["events"]["desk"], seeded["credentials"][0]["desk"]
    entry = make_plan(desk["codes"], [], run="x")[0][0]
    status, _answer = _scan(_desk_client(credential), f"/en/manage/events/{desk['slug']}/desk/checkins.json", entry)
    assert status == 403
    assert CSRF_SECRET in credential["Cookie"]
