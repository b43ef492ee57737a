"""Undoing an organiser's decision: within the window, the state comes back and the email never
leaves; too late, after a later change, after the email went out, or into a seat someone else took
meanwhile, it is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from civicmeet.accounts.models import TeamMember, TeamRole
from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.notifications.models import EmailStatus, OutgoingEmail
from civicmeet.notifications.tasks import deliver_pending, deliver_waiting
from civicmeet.notifications.tests.test_delivery import smtp  # noqa: F401 - the fixture
from civicmeet.registrations.models import LogEntry, State
from civicmeet.registrations.services import (
    UNDONE_ACTION,
    CapacityError,
    UndoRefusedError,
    decision_undo_offer,
    registration_cancel,
    registration_decide,
    registration_decision_undo,
    registration_update,
)

from .factories import registration_data, submit

pytestmark = pytest.mark.django_db


def _decide(registration, organiser, decision="accept", **kwargs):
    return registration_decide(registration=registration, decision=decision, actor=organiser, undoable=True, **kwargs)


def _entry(registration) -> LogEntry:
    return LogEntry.objects.filter(registration=registration).order_by("-id").first()


@pytest.mark.parametrize(
    ("start", "decision", "decided"),
    [
        ("submitted", "accept", State.ACCEPTED),
        ("submitted", "waitlist", State.WAITLISTED),
        ("submitted", "reject", State.REJECTED),
        ("waitlisted", "accept", State.ACCEPTED),
    ],
)
def test_undo_within_the_window_restores_the_state_and_the_email_is_never_delivered(
    event,
    organiser,
    smtp,  # noqa: F811
    run_on_commit,
    start,
    decision,
    decided,
):
    with run_on_commit(execute=True):
        registration = submit(event)
        if start == "waitlisted":
            registration_decide(registration=registration, decision="waitlist", actor=organiser)
    delivered_before = len(smtp.messages)
    with run_on_commit(execute=True):
        registration = _decide(registration, organiser, decision, message="Do zobaczenia!")
    assert registration.state == decided
    entry = _entry(registration)
    email = entry.email
    assert email is not None and email.status == EmailStatus.PENDING
    assert email.not_before is not None and email.not_before > timezone.now()
    # The after-commit sending run found it too early.
    assert len(smtp.messages) == delivered_before

    with run_on_commit(execute=True):
        undone = registration_decision_undo(registration=registration, entry_id=entry.pk, actor=organiser)
    assert undone.state == start
    registration.refresh_from_db()
    assert registration.state == start
    undo_entry = _entry(registration)
    assert (undo_entry.action, undo_entry.from_state, undo_entry.to_state, undo_entry.actor) == (
        UNDONE_ACTION,
        decided,
        start,
        organiser,
    )
    email.refresh_from_db()
    assert email.status == EmailStatus.WITHDRAWN and email.withdrawn_at is not None
    # Long after the window, every sender still leaves it alone: the participant never hears of it.
    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        deliver_waiting()
        deliver_pending()
    assert len(smtp.messages) == delivered_before
    assert OutgoingEmail.objects.get(pk=email.pk).sent_at is None


def test_without_undo_the_held_email_goes_out_after_the_window(event, organiser, smtp, run_on_commit):  # noqa: F811
    with run_on_commit(execute=True):
        registration = submit(event)
    delivered_before = len(smtp.messages)
    with run_on_commit(execute=True):
        _decide(registration, organiser)
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        deliver_waiting()
    assert len(smtp.messages) == delivered_before + 1


def test_undo_after_the_window_is_refused(event, organiser, settings):
    settings.DECISION_UNDO_SECONDS = 30
    registration = _decide(submit(event), organiser)
    entry = _entry(registration)
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert decision_undo_offer(registration=registration, actor=organiser) is None
        with pytest.raises(UndoRefusedError, match="time to undo"):
            registration_decision_undo(registration=registration, entry_id=entry.pk, actor=organiser)
    registration.refresh_from_db()
    assert registration.state == State.ACCEPTED
    assert entry.email.status == EmailStatus.PENDING
    assert not LogEntry.objects.filter(action=UNDONE_ACTION).exists()


def test_the_window_is_a_setting(event, organiser, settings):
    settings.DECISION_UNDO_SECONDS = 600
    registration = _decide(submit(event), organiser)
    with time_machine.travel(timezone.now() + timedelta(seconds=300)):
        offer = decision_undo_offer(registration=registration, actor=organiser)
        assert offer is not None and offer.entry == _entry(registration)
        registration_decision_undo(registration=registration, entry_id=offer.entry.pk, actor=organiser)
    registration.refresh_from_db()
    assert registration.state == State.SUBMITTED


def test_undo_after_a_later_change_is_refused(event, organiser):
    registration = _decide(submit(event), organiser, "waitlist")
    entry = _entry(registration)
    # The participant changes an answer in the meantime: a history row of its own.
    registration_update(registration=registration, data=registration_data(email=registration.email, phone="+48 600"))
    assert decision_undo_offer(registration=registration, actor=organiser) is None
    with pytest.raises(UndoRefusedError, match="changed since"):
        registration_decision_undo(registration=registration, entry_id=entry.pk, actor=organiser)
    registration.refresh_from_db()
    assert registration.state == State.WAITLISTED


def test_undo_of_a_decision_that_was_followed_by_another_is_refused(event, organiser):
    registration = _decide(submit(event), organiser, "waitlist")
    first = _entry(registration)
    registration = _decide(registration, organiser, "accept")
    with pytest.raises(UndoRefusedError, match="changed since"):
        registration_decision_undo(registration=registration, entry_id=first.pk, actor=organiser)
    # The latest decision can still be undone, back to the waiting list.
    registration = registration_decision_undo(
        registration=registration, entry_id=_entry(registration).pk, actor=organiser
    )
    assert registration.state == State.WAITLISTED


def test_an_undo_cannot_be_undone_twice(event, organiser):
    registration = _decide(submit(event), organiser)
    entry = _entry(registration)
    registration_decision_undo(registration=registration, entry_id=entry.pk, actor=organiser)
    with pytest.raises(UndoRefusedError):
        registration_decision_undo(registration=registration, entry_id=entry.pk, actor=organiser)
    assert decision_undo_offer(registration=registration, actor=organiser) is None


def test_undo_is_refused_once_the_email_was_sent(event, organiser, smtp, run_on_commit):  # noqa: F811
    # Decided without holding the email (bulk, API): it goes out at once, so there is nothing to undo.
    with run_on_commit(execute=True):
        registration = submit(event)
        registration = registration_decide(registration=registration, decision="reject", actor=organiser)
    entry = _entry(registration)
    assert entry.email.status == EmailStatus.SENT
    assert decision_undo_offer(registration=registration, actor=organiser) is None
    with pytest.raises(UndoRefusedError, match="already been sent"):
        registration_decision_undo(registration=registration, entry_id=entry.pk, actor=organiser)
    registration.refresh_from_db()
    assert registration.state == State.REJECTED


def test_only_the_organiser_who_decided_can_undo(event, organiser):
    colleague = UserFactory(email="colleague@example.org")
    TeamMember.objects.create(team=event.team, user=colleague, role=TeamRole.ORGANISER)
    registration = _decide(submit(event), organiser)
    assert decision_undo_offer(registration=registration, actor=colleague) is None
    with pytest.raises(UndoRefusedError):
        registration_decision_undo(registration=registration, entry_id=_entry(registration).pk, actor=colleague)


def test_a_participants_own_cancellation_cannot_be_undone_by_an_organiser(event, organiser):
    registration = registration_cancel(registration=submit(event))
    with pytest.raises(UndoRefusedError):
        registration_decision_undo(registration=registration, entry_id=_entry(registration).pk, actor=organiser)


def test_an_entry_of_another_registration_is_refused(event, organiser):
    one = _decide(submit(event), organiser)
    other = submit(event)
    with pytest.raises(UndoRefusedError):
        registration_decision_undo(registration=other, entry_id=_entry(one).pk, actor=organiser)


def test_undo_back_into_a_seat_someone_else_took_meanwhile_is_refused(organiser):
    """Accept A into the last seat, move A to the waiting list (the seat is free again), accept B
    into it: undoing A's move would give the seat twice, so it is refused and nothing changes."""
    event = EventFactory(organisers=[organiser], capacity=1)
    first, second = submit(event), submit(event)
    _decide(first, organiser, "accept")
    first = _decide(first, organiser, "waitlist")
    move = _entry(first)
    _decide(second, organiser, "accept")
    with pytest.raises(CapacityError):
        registration_decision_undo(registration=first, entry_id=move.pk, actor=organiser)
    first.refresh_from_db()
    assert first.state == State.WAITLISTED
    assert move.email.status == EmailStatus.PENDING  # not withdrawn: the refusal changed nothing
    # Once B's acceptance is undone, the seat is free and A's move can be undone.
    second = registration_decision_undo(registration=second, entry_id=_entry(second).pk, actor=organiser)
    first = registration_decision_undo(registration=first, entry_id=move.pk, actor=organiser)
    assert (first.state, second.state) == (State.ACCEPTED, State.SUBMITTED)


def test_undo_of_a_cancellation_obeys_the_per_organisation_limit(organiser):
    event = EventFactory(organisers=[organiser], seats_per_organisation=1)
    first, second = submit(event, organisation_name="Fundacja"), submit(event, organisation_name="Fundacja")
    _decide(first, organiser, "accept")
    first = registration_cancel(registration=first, actor_kind="organiser", actor=organiser, undoable=True)
    _decide(second, organiser, "accept")
    with pytest.raises(CapacityError, match="limit"):
        registration_decision_undo(registration=first, entry_id=_entry(first).pk, actor=organiser)
    assert first.__class__.objects.get(pk=first.pk).state == State.CANCELLED


def test_undo_of_a_rejection_in_a_full_event_puts_nobody_over_capacity(organiser):
    """A rejection undone goes back to "submitted", which holds no seat: a full event stays full
    and correct, and accepting the person afterwards is refused as any acceptance would be."""
    event = EventFactory(organisers=[organiser], capacity=1)
    first, second = submit(event), submit(event)
    first = _decide(first, organiser, "reject")
    _decide(second, organiser, "accept")
    first = registration_decision_undo(registration=first, entry_id=_entry(first).pk, actor=organiser)
    assert first.state == State.SUBMITTED
    with pytest.raises(CapacityError):
        registration_decide(registration=first, decision="accept", actor=organiser)
    assert event.registrations.filter(state=State.ACCEPTED).count() == 1


def test_an_accepted_person_can_be_moved_to_the_waiting_list_freeing_the_seat(organiser):
    event = EventFactory(organisers=[organiser], capacity=1)
    first, second = submit(event), submit(event)
    _decide(first, organiser, "accept")
    with pytest.raises(CapacityError):
        registration_decide(registration=second, decision="accept", actor=organiser)
    assert registration_decide(registration=first, decision="waitlist", actor=organiser).state == State.WAITLISTED
    assert registration_decide(registration=second, decision="accept", actor=organiser).state == State.ACCEPTED
