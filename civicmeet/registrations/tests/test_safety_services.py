"""The safety rule applied to registrations: stored minimum, verdicts, confirmation, recomputation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from civicmeet.core.errors import DomainError
from civicmeet.eligibility import REASONS, SafetyPolicy
from civicmeet.events.safety_text import safety_rules_text, verdict_reason_text
from civicmeet.events.services import event_update
from civicmeet.events.tests.factories import EventFactory
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.registrations.models import HealthDeclaration, SafetyVerdict, State
from civicmeet.registrations.safety import SafetyInput, registration_verdict_text, safety_check
from civicmeet.registrations.services import (
    ConfirmationRequiredError,
    registration_decide,
    registration_decide_many,
    registration_update,
)

from .factories import earlier_emails_sent, registration_data, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def safe_event(organiser):
    return EventFactory(organisers=[organiser], safety_policy=SafetyPolicy().to_data())


def vaccinated(event, days_before_start: int) -> SafetyInput:
    return SafetyInput(basis="vaccinated", date=event.local(event.starts_at).date() - timedelta(days=days_before_start))


def test_declaration_is_stored_minimally_with_its_verdict(safe_event):
    registration = submit(safe_event, safety=vaccinated(safe_event, 20), consent_health=True)
    declaration = HealthDeclaration.objects.get(registration=registration)
    assert (declaration.basis, declaration.taken_at, declaration.test_kind) == ("vaccinated", None, "")
    assert registration.safety_verdict == SafetyVerdict.MEETS
    assert registration.consent_health_at is not None


@pytest.mark.parametrize(("days", "verdict"), [(14, SafetyVerdict.MEETS), (13, SafetyVerdict.DOES_NOT_MEET)])
def test_vaccination_boundary_at_the_event_start(safe_event, days, verdict):
    registration = submit(safe_event, safety=vaccinated(safe_event, days), consent_health=True)
    assert registration.safety_verdict == verdict


def test_health_declaration_needs_its_own_consent(safe_event):
    with pytest.raises(DomainError) as error:
        submit(safe_event, safety=vaccinated(safe_event, 20), consent_health=False)
    assert error.value.code == "consent_health_required"
    assert not HealthDeclaration.objects.exists()


def test_without_a_declaration_the_verdict_is_to_be_checked(safe_event):
    registration = submit(safe_event)
    assert registration.safety_verdict == SafetyVerdict.TO_BE_CHECKED
    assert "checked at the door" in registration_verdict_text(registration)


def test_event_without_a_rule_stores_no_health_data(event):
    registration = submit(event, safety=vaccinated(event, 20), consent_health=True)
    assert registration.safety_verdict == ""
    assert not HealthDeclaration.objects.exists()
    assert safety_check(event=event, safety=vaccinated(event, 20)) is None


def test_accepting_does_not_meet_requires_confirmation(safe_event, organiser):
    registration = submit(safe_event, safety=vaccinated(safe_event, 3), consent_health=True)
    with pytest.raises(ConfirmationRequiredError):
        registration_decide(registration=registration, decision="accept", actor=organiser)
    registration.refresh_from_db()
    assert registration.state == State.SUBMITTED
    registration_decide(registration=registration, decision="accept", actor=organiser, confirm=True)
    registration.refresh_from_db()
    assert registration.state == State.ACCEPTED


def test_bulk_accept_refuses_does_not_meet_unless_confirmed(safe_event, organiser):
    fine = submit(safe_event, safety=vaccinated(safe_event, 30), consent_health=True)
    risky = submit(safe_event, safety=vaccinated(safe_event, 1), consent_health=True)
    result = registration_decide_many(
        event=safe_event, registration_ids=[fine.pk, risky.pk], decision="accept", actor=organiser
    )
    assert [r.pk for r in result.done] == [fine.pk]
    assert [r.pk for r, _ in result.refused] == [risky.pk]
    result = registration_decide_many(
        event=safe_event, registration_ids=[risky.pk], decision="accept", actor=organiser, confirm=True
    )
    assert [r.pk for r in result.done] == [risky.pk]


def test_changing_the_rule_recomputes_and_tells_affected_accepted_participants(safe_event, organiser, run_on_commit):
    taken_at = safe_event.starts_at - timedelta(hours=60)
    accepted = submit(
        safe_event, safety=SafetyInput(basis="tested", taken_at=taken_at, test_kind="pcr"), consent_health=True
    )
    waiting = submit(
        safe_event, safety=SafetyInput(basis="tested", taken_at=taken_at, test_kind="pcr"), consent_health=True
    )
    assert accepted.safety_verdict == SafetyVerdict.DOES_NOT_MEET
    registration_decide(registration=accepted, decision="accept", actor=organiser, confirm=True)
    earlier_emails_sent()
    with run_on_commit(execute=True):
        event_update(event=safe_event, data={"safety_policy": SafetyPolicy(tested_within_hours=72).to_data()})
    accepted.refresh_from_db()
    waiting.refresh_from_db()
    assert accepted.safety_verdict == waiting.safety_verdict == SafetyVerdict.MEETS
    assert [m.to for m in mail.outbox] == [[accepted.email]]
    assert OutgoingEmail.objects.filter(kind="safety_verdict_changed").count() == 1
    assert "72" in mail.outbox[0].body


def test_unchanged_rule_sends_nothing(safe_event, organiser, run_on_commit):
    registration = submit(safe_event, safety=vaccinated(safe_event, 30), consent_health=True)
    registration_decide(registration=registration, decision="accept", actor=organiser)
    mail.outbox.clear()
    with run_on_commit(execute=True):
        event_update(event=safe_event, data={"capacity": 50})
    assert mail.outbox == []


def test_participant_can_change_the_declaration(safe_event):
    registration = submit(safe_event, safety=vaccinated(safe_event, 3), consent_health=True)
    data = registration_data(email=registration.email, safety=vaccinated(safe_event, 30), consent_health=True)
    registration_update(registration=registration, data=data)
    registration.refresh_from_db()
    assert registration.safety_verdict == SafetyVerdict.MEETS
    assert "safety" in registration.log.last().message


def test_rules_text_follows_the_parameters():
    lines = safety_rules_text(
        SafetyPolicy(vaccinated_after_days=21, recovered_within_months=3, tested_within_hours=24, test_kinds=("pcr",))
    )
    assert "21 days" in lines[0] and "3 months" in lines[1] and "24 hours" in lines[2] and "PCR tests only" in lines[2]
    assert "1 day " in safety_rules_text(SafetyPolicy(vaccinated_after_days=1))[0]


def test_every_reason_code_has_a_sentence(safe_event):
    from civicmeet.eligibility import Outcome, Verdict
    from civicmeet.events.safety_text import OUTCOME_LABELS

    for code, outcome in REASONS.items():
        verdict = Verdict(outcome=outcome, reason=code, params={}, valid_from=None, valid_until=None)
        assert verdict_reason_text(verdict, SafetyPolicy(), safe_event.tz) != OUTCOME_LABELS[outcome](), code
    assert set(OUTCOME_LABELS) == set(Outcome)
