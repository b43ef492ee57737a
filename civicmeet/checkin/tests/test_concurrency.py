"""Desks at the same instant: real threads, real transactions, one moment (on SQLite and PostgreSQL).

Each thread has its own database connection; all start together at a barrier (the helper of the
registrations' race tests). SQLite serialises writers (IMMEDIATE transactions); PostgreSQL takes
the registration's row lock, and the one-to-one check-in and the unique client id decide the rest.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest

from civicmeet.checkin.models import CheckIn, CheckInRequest
from civicmeet.checkin.services import checkin_record, walk_in
from civicmeet.checkin.tickets import ticket_code
from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.registrations.models import Registration, State
from civicmeet.registrations.services import CapacityError
from civicmeet.registrations.tests.factories import registration_data
from civicmeet.registrations.tests.test_concurrency import run_at_once

from .factories import accepted, desk_member

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

DESKS = 8


def test_desks_scanning_the_same_ticket_at_once_record_one_check_in():
    organiser = UserFactory()
    event = EventFactory(organisers=[organiser])
    desks = [desk_member(event) for _n in range(DESKS)]
    registration = accepted(event, organiser)
    code = ticket_code(registration)

    def scan(desk, n):
        return lambda: checkin_record(event=event, client_id=f"desk-{n}", actor=desk, code=code).as_json()

    answers = run_at_once([scan(desk, n) for n, desk in enumerate(desks)])

    assert all(isinstance(answer, dict) for answer in answers), answers
    assert Counter(answer["already"] for answer in answers) == {False: 1, True: DESKS - 1}
    checkin = CheckIn.objects.get(registration=registration)
    # Every desk is told the same first check-in: its time and who made it.
    assert {datetime.fromisoformat(answer["checked_in_at"]) for answer in answers} == {checkin.checked_in_at}
    first = next(answer for answer in answers if not answer["already"])
    assert {answer["checked_in_by"] for answer in answers} == {first["checked_in_by"]}
    assert CheckInRequest.objects.count() == DESKS
    assert CheckInRequest.objects.filter(duplicate=True).count() == DESKS - 1


def test_the_same_request_sent_many_times_at_once_is_recorded_once():
    organiser = UserFactory()
    event = EventFactory(organisers=[organiser])
    registration = accepted(event, organiser)
    code = ticket_code(registration)

    def resend():
        return checkin_record(event=event, client_id="flaky-network", actor=organiser, code=code).as_json()

    answers = run_at_once([resend for _n in range(DESKS)])

    assert all(isinstance(answer, dict) for answer in answers), answers
    assert all(answer == answers[0] for answer in answers)
    assert answers[0]["already"] is False
    assert CheckIn.objects.count() == 1
    assert CheckInRequest.objects.count() == 1


def test_many_desks_checking_several_people_at_once_record_each_once():
    """Many people at many desks at once: each recorded once, nobody lost."""
    organiser = UserFactory()
    event = EventFactory(organisers=[organiser])
    people = [accepted(event, organiser, organisation_name=f"Organisation {n}") for n in range(DESKS // 2)]
    codes = [ticket_code(person) for person in people]

    def scan(n):
        return lambda: checkin_record(
            event=event, client_id=f"c-{n}", actor=organiser, code=codes[n % len(codes)]
        ).as_json()

    answers = run_at_once([scan(n) for n in range(DESKS)])

    assert all(isinstance(answer, dict) for answer in answers), answers
    assert CheckIn.objects.filter(event=event).count() == len(people)
    assert Counter(answer["already"] for answer in answers) == {False: len(people), True: DESKS - len(people)}


def test_walk_ins_at_once_never_overbook_the_last_seats():
    organiser = UserFactory()
    event = EventFactory(organisers=[organiser], capacity=3)
    accepted(event, organiser)

    def arrive(n):
        def job():
            data = registration_data(organisation_name=f"Organisation {n}")
            try:
                walk_in(event=event, data=data, actor=organiser, client_id=f"walk-{n}")
            except CapacityError:
                return "full"
            return "in"

        return job

    outcomes = run_at_once([arrive(n) for n in range(DESKS)])

    assert Counter(outcomes) == {"in": 2, "full": DESKS - 2}, outcomes
    assert Registration.objects.filter(event=event, state=State.ACCEPTED).count() == 3
    assert Registration.objects.filter(event=event).count() == 3
    assert CheckIn.objects.filter(event=event).count() == 2


def test_one_client_id_sent_for_different_tickets_at_once_is_answered_by_the_first():
    """A desk that reuses an id (a bug, or a replayed queue mixed up) never records two check-ins
    under one id: the unique id decides, and every sender gets the recorded answer."""
    organiser = UserFactory()
    event = EventFactory(organisers=[organiser])
    codes = [ticket_code(accepted(event, organiser, organisation_name=f"Organisation {n}")) for n in range(DESKS)]

    def scan(code):
        return lambda: checkin_record(event=event, client_id="the-same-id", actor=organiser, code=code).as_json()

    answers = run_at_once([scan(code) for code in codes])

    assert all(isinstance(answer, dict) for answer in answers), answers
    assert all(answer == answers[0] for answer in answers)
    assert CheckInRequest.objects.filter(event=event).count() == 1
    assert CheckIn.objects.filter(event=event).count() == 1
