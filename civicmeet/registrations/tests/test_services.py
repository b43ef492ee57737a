from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from civicmeet.core.errors import DomainError
from civicmeet.events.tests.factories import EventFactory
from civicmeet.notifications.models import EmailStatus, OutgoingEmail
from civicmeet.registrations.models import TRANSITIONS, ActorKind, LogEntry, Registration, Role, State
from civicmeet.registrations.services import (
    AlreadyRegisteredError,
    CapacityError,
    RegistrationClosedError,
    TransitionError,
    guest_add,
    registration_cancel,
    registration_decide,
    registration_decide_many,
    registration_update,
)

from .factories import earlier_emails_sent, registration_data, submit

pytestmark = pytest.mark.django_db


def test_submit_creates_submitted_registration_with_history_and_email(event, run_on_commit):
    with run_on_commit(execute=True):
        registration = submit(event, email="Olena@Example.org", language="uk")
    assert registration.state == State.SUBMITTED
    assert registration.role == Role.PARTICIPANT
    assert registration.consent_processing_at is not None
    assert len(registration.token) >= 43  # 256 bits, URL-safe
    entry = registration.log.get()
    assert (entry.action, entry.from_state, entry.to_state, entry.actor_kind) == (
        "registrations.registration.submitted",
        "",
        State.SUBMITTED,
        ActorKind.PARTICIPANT,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Olena@Example.org"]
    # In Ukrainian, and plain about "not yet admitted".
    assert "Мережева зустріч" in message.subject
    assert registration.token in message.body
    assert OutgoingEmail.objects.get().status == EmailStatus.SENT


def test_submit_requires_consent(event):
    with pytest.raises(DomainError):
        submit(event, consent_processing=False)
    assert not Registration.objects.exists()


def test_submit_refuses_outside_window(event):
    event.registration_closes_at = timezone.now() - timedelta(minutes=1)
    event.registration_opens_at = timezone.now() - timedelta(days=3)
    event.save()
    with pytest.raises(RegistrationClosedError):
        submit(event)
    future = EventFactory(registration_opens_at=timezone.now() + timedelta(days=1))
    with pytest.raises(RegistrationClosedError):
        submit(future)


def test_submit_refuses_unpublished_event(event):
    event.is_published = False
    event.save()
    with pytest.raises(RegistrationClosedError):
        submit(event)


def test_same_email_creates_nothing_new(event):
    first = submit(event, email="olena@example.org")
    with pytest.raises(AlreadyRegisteredError) as error:
        submit(event, email="  OLENA@example.org")
    assert error.value.registration == first
    assert Registration.objects.count() == 1


def test_same_email_for_another_event_is_a_new_registration(event):
    submit(event, email="olena@example.org")
    submit(EventFactory(), email="olena@example.org")
    assert Registration.objects.count() == 2


def test_known_organisation_is_reused_case_insensitively(event):
    one = submit(event, organisation_name="Fundacja Zustricz")
    two = submit(event, organisation_name="fundacja   zustricz")
    assert one.organisation_id == two.organisation_id


@pytest.mark.parametrize(
    ("decision", "state"), [("accept", State.ACCEPTED), ("waitlist", State.WAITLISTED), ("reject", State.REJECTED)]
)
def test_decide_moves_state_logs_and_emails(event, organiser, run_on_commit, decision, state):
    registration = submit(event)
    earlier_emails_sent()
    with run_on_commit(execute=True):
        registration_decide(registration=registration, decision=decision, actor=organiser, message="Do zobaczenia")
    registration.refresh_from_db()
    assert registration.state == state
    entry = registration.log.last()
    assert (entry.from_state, entry.to_state, entry.actor, entry.message) == (
        State.SUBMITTED,
        state,
        organiser,
        "Do zobaczenia",
    )
    assert entry.action == f"registrations.registration.{state}"
    assert len(mail.outbox) == 1
    assert "Do zobaczenia" in mail.outbox[0].body


def test_accepted_email_carries_calendar_file(event, organiser, run_on_commit):
    registration = submit(event, language="en")
    with run_on_commit(execute=True):
        registration_decide(registration=registration, decision="accept", actor=organiser)
    message = mail.outbox[-1]
    assert "admitted" in message.subject
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics") and mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in content and "Networking meeting of minority and migrant organisations" in content
    assert registration.token in content


@pytest.mark.parametrize("from_state", list(TRANSITIONS))
@pytest.mark.parametrize("to_state", [State.ACCEPTED, State.WAITLISTED, State.REJECTED, State.CANCELLED])
def test_transition_map_is_enforced(event, organiser, from_state, to_state):
    registration = submit(event)
    Registration.objects.filter(pk=registration.pk).update(state=from_state)
    registration.refresh_from_db()
    decision = {State.ACCEPTED: "accept", State.WAITLISTED: "waitlist", State.REJECTED: "reject"}.get(to_state)
    allowed = to_state in TRANSITIONS[from_state]
    if allowed:
        if decision:
            registration_decide(registration=registration, decision=decision, actor=organiser)
        else:
            registration_cancel(registration=registration)
        registration.refresh_from_db()
        assert registration.state == to_state
    else:
        with pytest.raises(TransitionError):
            if decision:
                registration_decide(registration=registration, decision=decision, actor=organiser)
            else:
                registration_cancel(registration=registration)
        registration.refresh_from_db()
        assert registration.state == from_state


def test_accept_refuses_when_full(organiser):
    event = EventFactory(capacity=2, organisers=[organiser])
    regs = [submit(event) for _ in range(3)]
    registration_decide(registration=regs[0], decision="accept", actor=organiser)
    registration_decide(registration=regs[1], decision="accept", actor=organiser)
    with pytest.raises(CapacityError) as error:
        registration_decide(registration=regs[2], decision="accept", actor=organiser)
    assert "2" in error.value.message
    assert Registration.objects.filter(state=State.ACCEPTED).count() == 2
    # Cancelling frees the seat.
    registration_cancel(registration=regs[0])
    registration_decide(registration=regs[2], decision="accept", actor=organiser)
    assert Registration.objects.filter(state=State.ACCEPTED).count() == 2


def test_accept_refuses_beyond_per_organisation_limit(organiser):
    event = EventFactory(capacity=10, seats_per_organisation=1, organisers=[organiser])
    first = submit(event, organisation_name="Żydowskie Stowarzyszenie Czulent")
    second = submit(event, organisation_name="Żydowskie Stowarzyszenie Czulent")
    other = submit(event, organisation_name="Fundacja Zustricz")
    registration_decide(registration=first, decision="accept", actor=organiser)
    with pytest.raises(CapacityError) as error:
        registration_decide(registration=second, decision="accept", actor=organiser)
    assert "Czulent" in error.value.message
    registration_decide(registration=other, decision="accept", actor=organiser)


def test_rejected_can_be_accepted_later_seats_permitting(event, organiser):
    registration = submit(event)
    registration_decide(registration=registration, decision="reject", actor=organiser)
    registration_decide(registration=registration, decision="accept", actor=organiser)
    registration.refresh_from_db()
    assert registration.state == State.ACCEPTED
    assert [e.to_state for e in registration.log.all()] == [State.SUBMITTED, State.REJECTED, State.ACCEPTED]


def test_guests_are_outside_capacity(organiser):
    event = EventFactory(capacity=1, organisers=[organiser])
    guest = guest_add(
        event=event,
        data=registration_data(
            first_name="Jan", email="jan@krakow.example.pl", organisation_name="Urząd Miasta Krakowa"
        ),
        actor=organiser,
    )
    assert (guest.state, guest.role) == (State.ACCEPTED, Role.GUEST)
    registration = submit(event)
    registration_decide(registration=registration, decision="accept", actor=organiser)
    registration.refresh_from_db()
    assert registration.state == State.ACCEPTED


def test_bulk_decide_accepts_earliest_first_and_reports_refusals(organiser):
    event = EventFactory(capacity=2, organisers=[organiser])
    regs = [submit(event) for _ in range(4)]
    result = registration_decide_many(
        event=event, registration_ids=[r.pk for r in reversed(regs)], decision="accept", actor=organiser
    )
    assert [r.pk for r in result.done] == [regs[0].pk, regs[1].pk]
    assert [r.pk for r, _msg in result.refused] == [regs[2].pk, regs[3].pk]
    assert all("seats" in msg for _r, msg in result.refused)


def test_bulk_decide_ignores_other_events_registrations(event, organiser):
    foreign = submit(EventFactory())
    result = registration_decide_many(event=event, registration_ids=[foreign.pk], decision="accept", actor=organiser)
    assert result.done == [] and result.refused == []
    foreign.refresh_from_db()
    assert foreign.state == State.SUBMITTED


def test_participant_can_edit_until_deadline(event):
    registration = submit(event)
    data = registration_data(first_name="Ołena", dietary="kosher", email=registration.email)
    registration_update(registration=registration, data=data)
    registration.refresh_from_db()
    assert (registration.first_name, registration.dietary) == ("Ołena", "kosher")
    entry = registration.log.last()
    assert entry.action == "registrations.registration.edited" and "dietary" in entry.message
    Registration.objects.filter(pk=registration.pk)  # still one
    event.registration_closes_at = timezone.now() - timedelta(seconds=1)
    event.registration_opens_at = timezone.now() - timedelta(days=9)
    event.save()
    with pytest.raises(RegistrationClosedError):
        registration_update(registration=registration, data=registration_data(first_name="X"))


def test_cancelled_registration_cannot_be_edited(event):
    registration = submit(event)
    registration_cancel(registration=registration)
    with pytest.raises(TransitionError):
        registration_update(registration=registration, data=registration_data())
    assert LogEntry.objects.filter(registration=registration, action__endswith="edited").count() == 0


def test_emails_show_times_in_the_events_time_zone(organiser, run_on_commit):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    starts = datetime(2030, 1, 15, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    event = EventFactory(
        timezone="Asia/Tokyo", starts_at=starts, ends_at=starts + timedelta(hours=2), organisers=[organiser]
    )
    with run_on_commit(execute=True):
        submit(event, language="pl")
    body = mail.outbox[-1].body
    # 10:00 in Tokyo, not 02:00 in Warsaw (the server's zone).
    assert "15 stycznia 2030 10:00" in body and "Asia/Tokyo" in body


def test_null_characters_are_refused_before_the_database(event, organiser):
    with pytest.raises(DomainError):
        submit(event, first_name="Olena\x00")
    registration = submit(event)
    with pytest.raises(DomainError):
        registration_decide(registration=registration, decision="accept", actor=organiser, message="hi\x00")
    with pytest.raises(DomainError):
        registration_update(registration=registration, data=registration_data(answers={"note": ["a\x00"]}))
    registration.refresh_from_db()
    assert registration.state == State.SUBMITTED
