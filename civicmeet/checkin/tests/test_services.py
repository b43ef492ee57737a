"""Checking people in: by ticket and by name, retries, duplicates, refusals, walk-ins, the desk's
list and the live counters (threads: test_concurrency.py)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from civicmeet.checkin.models import CheckIn, CheckInRequest, Source
from civicmeet.checkin.services import checkin_counts, checkin_record, desk_list, walk_in
from civicmeet.checkin.tickets import TicketRefused, ticket_code, ticket_from_code
from civicmeet.core.errors import DomainError
from civicmeet.eligibility import SafetyPolicy
from civicmeet.events.models import Event
from civicmeet.events.tests.factories import EventFactory
from civicmeet.notifications.tasks import deliver_waiting
from civicmeet.registrations.models import Registration, Role, State
from civicmeet.registrations.safety import SafetyInput
from civicmeet.registrations.services import (
    AlreadyRegisteredError,
    CapacityError,
    guest_add,
    registration_cancel,
    registration_decide,
)
from civicmeet.registrations.tests.factories import registration_data, submit

from .factories import accepted, client_id, desk_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(event):
    return desk_member(event, email="bohdan@example.org", first_name="Bohdan", last_name="Desk")


def test_the_first_check_in_records_the_person_present(event, organiser):
    organiser.first_name, organiser.last_name = "Anna", "Nowak"
    organiser.save()
    registration = accepted(event, organiser, first_name="Ołena", last_name="Коваленко")
    at = datetime(2026, 12, 14, 10, 2, tzinfo=ZoneInfo("Europe/Warsaw"))

    result = checkin_record(
        event=event, client_id="c-1", actor=organiser, code=ticket_code(registration), basis="vaccinated", now=at
    )

    assert not result.already and not result.replayed
    checkin = CheckIn.objects.get(registration=registration)
    assert (checkin.event, checkin.checked_in_at, checkin.checked_in_by) == (event, at, organiser)
    assert (checkin.basis, checkin.source, checkin.client_id) == ("vaccinated", Source.QR, "c-1")
    assert result.checkin == checkin
    assert result.as_json() == {
        "registration_id": registration.pk,
        "name": "Ołena Коваленко",
        "organisation": "Fundacja Zustricz",
        "verdict": "",
        "checked_in_at": at.isoformat(),
        "checked_in_by": "Anna Nowak",
        "already": False,
    }
    request = CheckInRequest.objects.get()
    assert (request.client_id, request.checkin, request.duplicate, request.user) == ("c-1", checkin, False, organiser)


def test_the_same_client_id_again_returns_the_first_answer_and_records_nothing(event, organiser, desk):
    registration = accepted(event, organiser)
    code = ticket_code(registration)
    first = checkin_record(event=event, client_id="retry-1", actor=desk, code=code)

    again = checkin_record(
        event=event, client_id="retry-1", actor=desk, code=code, now=first.checkin.checked_in_at + timedelta(minutes=5)
    )

    assert again.replayed and not again.already
    assert again.as_json() == first.as_json()
    assert again.checkin == first.checkin
    assert CheckIn.objects.count() == 1 and CheckInRequest.objects.count() == 1


def test_a_later_check_in_answers_already_with_the_first_time_and_person(event, organiser, desk):
    registration = accepted(event, organiser)
    code = ticket_code(registration)
    first_at = datetime(2026, 12, 14, 9, 2, tzinfo=ZoneInfo("UTC"))
    first = checkin_record(event=event, client_id=client_id(), actor=desk, code=code, now=first_at)

    later = checkin_record(
        event=event, client_id=client_id(), actor=organiser, code=code, now=first_at + timedelta(hours=1)
    )

    assert later.already and not later.replayed
    assert later.checkin == first.checkin
    answer = later.as_json()
    assert answer["already"] is True
    assert datetime.fromisoformat(answer["checked_in_at"]) == first_at
    assert answer["checked_in_at"].endswith("+01:00")  # in the event's time zone (Warsaw in December)
    assert answer["checked_in_by"] == "Bohdan Desk"
    assert CheckIn.objects.count() == 1
    assert list(CheckInRequest.objects.order_by("id").values_list("duplicate", flat=True)) == [False, True]


def test_the_offline_queues_of_two_desks_replayed_after_reconnecting_record_one_check_in(event, organiser, desk):
    """Two desks offline both checked the same ticket; each sends its queue when back online: the
    server records one check-in; the desk that sends second is told it is a duplicate; each desk
    resending its queue (it did not see the answer) gets its own first answer again."""
    registration = accepted(event, organiser)
    other = accepted(event, organiser)
    code, other_code = ticket_code(registration), ticket_code(other)
    scanned_at = datetime(2026, 12, 14, 9, 30, tzinfo=ZoneInfo("UTC"))
    queue_a = [("a-1", code, scanned_at), ("a-2", other_code, scanned_at + timedelta(minutes=1))]
    queue_b = [("b-1", code, scanned_at + timedelta(seconds=20))]

    answers_a = [
        checkin_record(event=event, client_id=i, actor=organiser, code=c, now=t).as_json() for i, c, t in queue_a
    ]
    answers_b = [checkin_record(event=event, client_id=i, actor=desk, code=c, now=t).as_json() for i, c, t in queue_b]
    resent_a = [
        checkin_record(event=event, client_id=i, actor=organiser, code=c, now=t).as_json() for i, c, t in queue_a
    ]
    resent_b = [checkin_record(event=event, client_id=i, actor=desk, code=c, now=t).as_json() for i, c, t in queue_b]

    assert [a["already"] for a in answers_a] == [False, False]
    assert answers_b[0]["already"] is True
    assert datetime.fromisoformat(answers_b[0]["checked_in_at"]) == scanned_at
    assert resent_a == answers_a and resent_b == answers_b
    assert CheckIn.objects.filter(registration=registration).count() == 1
    assert CheckIn.objects.count() == 2
    assert CheckInRequest.objects.count() == 3


@pytest.mark.parametrize(
    ("make_code", "reason"),
    [
        (lambda event, organiser: ticket_code(accepted(event, organiser))[:-2] + "xy", "tampered"),
        (lambda event, organiser: "not a ticket at all", "tampered"),
        (
            lambda event, organiser: ticket_code(accepted(EventFactory(organisers=[organiser]), organiser)),
            "other_event",
        ),
    ],
)
def test_refused_tickets_record_nothing(event, organiser, make_code, reason):
    code = make_code(event, organiser)

    with pytest.raises(TicketRefused) as caught:
        checkin_record(event=event, client_id=client_id(), actor=organiser, code=code)

    assert caught.value.reason == reason and caught.value.message
    assert not CheckIn.objects.exists() and not CheckInRequest.objects.exists()


def test_a_replaced_ticket_is_refused_and_the_new_one_works(event, organiser):
    registration = accepted(event, organiser)
    old = ticket_code(registration)
    registration = registration_decide(registration=registration, decision="waitlist", actor=organiser)
    with pytest.raises(TicketRefused) as caught:
        checkin_record(event=event, client_id=client_id(), actor=organiser, code=old)
    assert caught.value.reason == "not_accepted"

    registration = registration_decide(registration=registration, decision="accept", actor=organiser)
    with pytest.raises(TicketRefused) as caught:
        checkin_record(event=event, client_id=client_id(), actor=organiser, code=old)
    assert caught.value.reason == "replaced"
    assert not CheckIn.objects.exists()

    result = checkin_record(event=event, client_id=client_id(), actor=organiser, code=ticket_code(registration))
    assert not result.already


def test_a_check_in_by_name_needs_an_accepted_registration_of_this_event(event, organiser):
    waiting = registration_decide(registration=submit(event), decision="waitlist", actor=organiser)
    with pytest.raises(TicketRefused) as caught:
        checkin_record(event=event, client_id=client_id(), actor=organiser, registration=waiting, source=Source.NAME)
    assert caught.value.reason == "not_accepted"

    elsewhere = accepted(EventFactory(organisers=[organiser]), organiser)
    with pytest.raises(TicketRefused) as caught:
        checkin_record(event=event, client_id=client_id(), actor=organiser, registration=elsewhere, source=Source.NAME)
    assert caught.value.reason == "other_event"

    registration = accepted(event, organiser)
    result = checkin_record(
        event=event, client_id=client_id(), actor=organiser, registration=registration, source=Source.NAME
    )
    assert result.checkin.source == Source.NAME and result.registration == registration
    assert CheckIn.objects.count() == 1


def test_a_guest_can_be_checked_in(event, organiser):
    guest = guest_add(event=event, data=registration_data(consent_processing=True), actor=organiser)

    result = checkin_record(event=event, client_id=client_id(), actor=organiser, code=ticket_code(guest))

    assert result.registration.role == Role.GUEST and not result.already


def test_bad_requests_are_refused_with_a_message(event, organiser):
    code = ticket_code(accepted(event, organiser))
    for bad_id in ["", "   ", "x" * 101, "zażółć", "tab\there", None]:
        with pytest.raises(DomainError) as caught:
            checkin_record(event=event, client_id=bad_id, actor=organiser, code=code)
        assert caught.value.code == "client_id_invalid"
    with pytest.raises(DomainError) as caught:
        checkin_record(event=event, client_id="c", actor=organiser, code=code, basis="certificate scan")
    assert caught.value.code == "basis_invalid"
    with pytest.raises(ValueError):
        checkin_record(event=event, client_id="c", actor=organiser)
    assert not CheckIn.objects.exists()


def test_the_verdict_is_recomputed_at_the_desk(organiser):
    event = EventFactory(organisers=[organiser], safety_policy=SafetyPolicy().to_data())
    vaccinated = SafetyInput(basis="vaccinated", date=event.local(event.starts_at).date() - timedelta(days=20))
    registration = accepted(event, organiser, safety=vaccinated, consent_health=True)
    assert registration.safety_verdict == "meets"
    # The rule became stricter and nothing recomputed the stored verdict: the desk does.
    Event.objects.filter(pk=event.pk).update(safety_policy=SafetyPolicy(vaccinated_after_days=30).to_data())
    event.refresh_from_db()

    result = checkin_record(
        event=event, client_id=client_id(), actor=organiser, code=ticket_code(registration), basis="vaccinated"
    )

    assert result.verdict == "does_not_meet"
    assert result.verdict_text.startswith("Does not meet")
    assert result.as_json()["verdict"] == "does_not_meet"
    checkin = CheckIn.objects.get()
    assert (checkin.verdict, checkin.basis) == ("does_not_meet", "vaccinated")
    assert Registration.objects.get(pk=registration.pk).safety_verdict == "meets"  # the registration is unchanged


def test_nothing_declared_is_to_be_checked_at_the_door(organiser):
    event = EventFactory(organisers=[organiser], safety_policy=SafetyPolicy().to_data())
    registration = accepted(event, organiser)

    result = checkin_record(
        event=event, client_id=client_id(), actor=organiser, code=ticket_code(registration), basis="tested"
    )

    assert result.verdict == "to_be_checked"
    assert CheckIn.objects.get().basis == "tested"


def test_a_checked_in_person_cancelled_later_stays_present_but_their_ticket_is_refused(event, organiser):
    registration = accepted(event, organiser)
    code = ticket_code(registration)
    checkin_record(event=event, client_id=client_id(), actor=organiser, code=code)

    registration_cancel(registration=registration)

    assert CheckIn.objects.filter(registration=registration).exists()
    assert checkin_counts(event)["present"] == 1
    with pytest.raises(TicketRefused) as caught:
        checkin_record(event=event, client_id=client_id(), actor=organiser, code=code)
    assert caught.value.reason == "not_accepted"


# -- Walk-ins ---------------------------------------------------------------------------------


def test_a_walk_in_is_registered_accepted_and_checked_in_at_once(event, desk):
    data = registration_data(first_name="Dawid", last_name="Szapiro", email="dawid@example.org", language="pl")

    result = walk_in(event=event, data=data, actor=desk, client_id="walk-1", basis="tested")

    registration = Registration.objects.get(email="dawid@example.org")
    assert (registration.state, registration.role) == (State.ACCEPTED, Role.PARTICIPANT)
    assert result.registration == registration and not result.already
    checkin = CheckIn.objects.get(registration=registration)
    assert (checkin.source, checkin.checked_in_by, checkin.basis) == (Source.WALK_IN, desk, "tested")
    entry = registration.log.get()
    assert (entry.action, entry.to_state, entry.actor) == ("checkin.registration.walk_in", State.ACCEPTED, desk)
    # Their acceptance email carries the ticket that is valid now.
    deliver_waiting()
    (message,) = [m for m in mail.outbox if m.to == ["dawid@example.org"]]
    assert "ticket.png" in [a[0] for a in message.attachments]
    assert ticket_from_code(ticket_code(registration)).registration == registration


def test_a_walk_in_sent_twice_registers_once(event, desk):
    data = registration_data()

    first = walk_in(event=event, data=data, actor=desk, client_id="walk-again")
    again = walk_in(event=event, data=data, actor=desk, client_id="walk-again")

    assert again.replayed and again.as_json() == first.as_json()
    assert Registration.objects.filter(event=event).count() == 1


def test_walk_ins_take_the_last_seat_and_no_more(organiser):
    event = EventFactory(organisers=[organiser], capacity=2)
    accepted(event, organiser)

    walk_in(event=event, data=registration_data(organisation_name="Organisation A"), actor=organiser, client_id="w-1")
    with pytest.raises(CapacityError):
        walk_in(
            event=event, data=registration_data(organisation_name="Organisation B"), actor=organiser, client_id="w-2"
        )

    assert Registration.objects.filter(event=event, state=State.ACCEPTED).count() == 2
    assert Registration.objects.filter(event=event).count() == 2
    assert CheckIn.objects.count() == 1


def test_a_walk_in_obeys_the_per_organisation_limit(organiser):
    event = EventFactory(organisers=[organiser], capacity=10, seats_per_organisation=1)
    accepted(event, organiser, organisation_name="Fundacja Zustricz")

    with pytest.raises(CapacityError):
        walk_in(
            event=event, data=registration_data(organisation_name="Fundacja Zustricz"), actor=organiser, client_id="w"
        )
    assert not CheckIn.objects.exists()


def test_a_walk_in_already_registered_is_told_so_and_nothing_is_recorded(event, organiser):
    accepted(event, organiser, email="olena@example.org")

    with pytest.raises(AlreadyRegisteredError):
        walk_in(event=event, data=registration_data(email="OLENA@example.org"), actor=organiser, client_id="w")
    assert not CheckIn.objects.exists() and not CheckInRequest.objects.exists()


def test_a_walk_in_needs_consent(event, organiser):
    with pytest.raises(DomainError):
        walk_in(event=event, data=registration_data(consent_processing=False), actor=organiser, client_id="w")
    assert Registration.objects.filter(event=event).count() == 0


# -- The desk's list and the counters ----------------------------------------------------------


def test_the_desk_list_holds_only_what_the_desk_needs(event, organiser):
    present = accepted(event, organiser, first_name="Łucja", last_name="Żółć", organisation_name="Stowarzyszenie Ąę")
    absent = accepted(event, organiser, first_name="Олена", last_name="Ковальчук")
    submit(event)  # not accepted: not on the list
    result = checkin_record(event=event, client_id=client_id(), actor=organiser, code=ticket_code(present))

    rows = {row["id"]: row for row in desk_list(event)}

    assert set(rows) == {present.pk, absent.pk}
    row = rows[present.pk]
    assert set(row) == {"id", "name", "organisation", "folded", "ticket", "state", "role", "checked_in_at"}
    assert row["name"] == "Łucja Żółć" and row["organisation"] == "Stowarzyszenie Ąę"
    assert row["folded"] == "lucja zolc stowarzyszenie ae"
    assert row["ticket"] == hashlib.sha256(ticket_code(present).encode()).hexdigest()
    assert datetime.fromisoformat(row["checked_in_at"]) == result.checkin.checked_in_at
    assert rows[absent.pk]["checked_in_at"] is None
    assert rows[absent.pk]["folded"].startswith("олена ковальчук")
    assert "email" not in str(rows) and present.email not in str(rows)


def test_the_desk_list_has_the_digest_of_the_current_ticket_only(event, organiser):
    registration = accepted(event, organiser)
    old = ticket_code(registration)
    registration = registration_decide(registration=registration, decision="waitlist", actor=organiser)
    registration = registration_decide(registration=registration, decision="accept", actor=organiser)

    (row,) = desk_list(event)

    assert row["ticket"] == hashlib.sha256(ticket_code(registration).encode()).hexdigest()
    assert row["ticket"] != hashlib.sha256(old.encode()).hexdigest()


def test_the_desk_list_costs_the_same_queries_for_3_or_30_people(event, organiser, django_assert_num_queries):
    def fill(count):
        for n in range(count):
            registration = accepted(event, organiser, organisation_name=f"Organisation {n}")
            if n % 2:
                checkin_record(event=event, client_id=client_id(), actor=organiser, code=ticket_code(registration))

    fill(3)
    with django_assert_num_queries(3):
        assert len(desk_list(event)) == 3
    fill(27)
    with django_assert_num_queries(3):
        assert len(desk_list(event)) == 30


def test_the_counters_count_present_accepted_seats_and_per_hour_in_local_time(organiser):
    event = EventFactory(organisers=[organiser], capacity=12, timezone="Europe/Warsaw")
    people = [accepted(event, organiser, organisation_name=f"Organisation {n}") for n in range(4)]
    guest_add(event=event, data=registration_data(consent_processing=True), actor=organiser)
    warsaw = ZoneInfo("Europe/Warsaw")
    times = [
        datetime(2026, 12, 14, 9, 5, tzinfo=warsaw),
        datetime(2026, 12, 14, 9, 55, tzinfo=warsaw),
        datetime(2026, 12, 14, 10, 1, tzinfo=warsaw),
    ]
    for person, at in zip(people, times, strict=False):
        checkin_record(event=event, client_id=client_id(), actor=organiser, code=ticket_code(person), now=at)

    counts = checkin_counts(event)

    assert counts["present"] == 3
    assert counts["accepted"] == 4  # guests hold no seat
    assert counts["seats"] == 12
    assert counts["per_hour"] == [
        (datetime(2026, 12, 14, 9, tzinfo=warsaw).isoformat(), 2),
        (datetime(2026, 12, 14, 10, tzinfo=warsaw).isoformat(), 1),
    ]
    assert checkin_counts(EventFactory())["per_hour"] == []


def test_a_check_in_needs_no_logged_in_actor_to_answer(event, organiser):
    """A script's token always has a user; an answer with nobody to name says nobody."""
    registration = accepted(event, organiser)
    result = checkin_record(event=event, client_id=client_id(), actor=None, code=ticket_code(registration))
    assert result.as_json()["checked_in_by"] == ""
    assert CheckIn.objects.get().checked_in_by is None
