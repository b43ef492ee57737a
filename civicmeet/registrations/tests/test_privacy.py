"""Data-protection services: health-data purge, anonymisation, erasure and access on request."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from civicmeet.eligibility import SafetyPolicy
from civicmeet.events.tests.factories import EventFactory
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.organisations.models import Organisation
from civicmeet.registrations import privacy
from civicmeet.registrations.models import (
    ActorKind,
    DataPurge,
    Dietary,
    HealthDeclaration,
    LogEntry,
    Registration,
    State,
)
from civicmeet.registrations.safety import SafetyInput
from civicmeet.registrations.services import CapacityError, registration_decide

from .factories import submit
from .test_forms import add_questions

pytestmark = pytest.mark.django_db


def safety_event(organiser=None, **overrides):
    values = {"safety_policy": SafetyPolicy().to_data(), "organisers": [organiser] if organiser else []}
    values.update(overrides)
    return EventFactory(**values)


def meets(event) -> SafetyInput:
    return SafetyInput(basis="vaccinated", date=(event.starts_at - timedelta(days=60)).date())


def does_not_meet(event) -> SafetyInput:
    return SafetyInput(basis="recovered", date=(event.starts_at - timedelta(days=300)).date())


def will_test() -> SafetyInput:
    return SafetyInput(basis="tested")


def with_declarations(event):
    """Four registrations: meets, does not meet, will bring a test, and one with no declaration.

    Only the first two store a declaration: "will bring a test" has no date or time to keep."""
    return [
        submit(event, safety=meets(event), consent_health=True),
        submit(event, safety=does_not_meet(event), consent_health=True),
        submit(event, safety=will_test(), consent_health=True),
        submit(event),
    ]


# -- Health declarations ---------------------------------------------------------------------------


def test_health_purge_waits_until_the_retention_period_has_passed(organiser):
    event = safety_event(organiser)
    with_declarations(event)
    due = event.ends_at + timedelta(days=14)
    with time_machine.travel(due - timedelta(days=1), tick=False):
        assert privacy.health_data_purge() == []
    with time_machine.travel(due - timedelta(seconds=1), tick=False):
        assert privacy.health_data_purge() == []
    assert HealthDeclaration.objects.filter(registration__event=event).count() == 2
    with time_machine.travel(due, tick=False):
        purges = privacy.health_data_purge()
    assert [(p.event, p.kind, p.count) for p in purges] == [(event, DataPurge.Kind.HEALTH, 2)]
    assert not HealthDeclaration.objects.filter(registration__event=event).exists()


def test_health_purge_keeps_verdict_counts_and_clears_verdicts(organiser):
    event = safety_event(organiser)
    registrations = with_declarations(event)
    assert [r.safety_verdict for r in registrations] == ["meets", "does_not_meet", "to_be_checked", "to_be_checked"]
    (purge,) = privacy.health_data_purge(now=event.ends_at + timedelta(days=15))
    assert purge.stats == {"meets": 1, "does_not_meet": 1, "to_be_checked": 2, "declarations": 2}
    assert set(Registration.objects.filter(event=event).values_list("safety_verdict", flat=True)) == {""}
    # Everything else about the people stays until the personal-data retention period.
    assert Registration.objects.filter(event=event, anonymised_at__isnull=True).count() == 4
    assert Registration.objects.get(pk=registrations[0].pk).first_name == "Olena"


def test_health_purge_is_idempotent(organiser):
    event = safety_event(organiser)
    with_declarations(event)
    later = event.ends_at + timedelta(days=20)
    assert len(privacy.health_data_purge(now=later)) == 1
    assert privacy.health_data_purge(now=later) == []
    assert privacy.health_data_purge(now=later + timedelta(days=30)) == []
    assert DataPurge.objects.count() == 1


def test_health_purge_follows_each_events_own_retention(organiser):
    short = safety_event(organiser, health_data_retention_days=2)
    default = safety_event(organiser)
    submit(short, safety=meets(short), consent_health=True)
    submit(default, safety=meets(default), consent_health=True)
    purges = privacy.health_data_purge(now=default.ends_at + timedelta(days=3))
    assert [p.event for p in purges] == [short]
    assert HealthDeclaration.objects.filter(registration__event=default).count() == 1


def test_health_purge_ignores_events_without_health_data(event):
    submit(event)
    assert privacy.health_data_purge(now=event.ends_at + timedelta(days=100)) == []
    assert not DataPurge.objects.exists()


def test_health_retention_default_comes_from_settings(settings, organiser):
    settings.HEALTH_DATA_RETENTION_DAYS = 3
    event = safety_event(organiser)
    assert event.health_data_retention_days == 3
    assert privacy.health_data_due_at(event) == event.ends_at + timedelta(days=3)


# -- Anonymisation after the retention period ------------------------------------------------------


def test_personal_data_is_anonymised_only_after_its_retention_period(event):
    registration = submit(event)
    due = event.ends_at + timedelta(days=365)
    assert privacy.personal_data_anonymise_expired(now=due - timedelta(days=1)) == []
    registration.refresh_from_db()
    assert registration.anonymised_at is None
    (purge,) = privacy.personal_data_anonymise_expired(now=due)
    assert (purge.kind, purge.count, purge.event) == (DataPurge.Kind.PERSONAL, 1, event)


def test_anonymisation_keeps_counts_and_organisations(organiser, event):
    accepted = submit(event, language="pl", dietary=Dietary.VEGAN, phone="+48 600 100 200")
    registration_decide(registration=accepted, decision="accept", actor=organiser, message="Zapraszamy, Olena!")
    submit(event, language="uk", organisation_name="Czulent", organisation_type="ethnic_minority")
    submit(event, language="uk", organisation_name="")
    (purge,) = privacy.personal_data_anonymise_expired(now=event.ends_at + timedelta(days=400))
    assert purge.count == 3
    assert purge.stats["states"] == {"accepted": 1, "submitted": 2}
    assert purge.stats["languages"] == {"pl": 1, "uk": 2}
    assert purge.stats["organisation_types"] == {"": 1, "ethnic_minority": 1, "migrant": 1}
    assert purge.stats["dietary"] == {"none": 2, "vegan": 1}
    registrations = Registration.objects.filter(event=event)
    assert {r.first_name + r.last_name + r.phone + r.organisation_role for r in registrations} == {""}
    assert all(r.email == f"erased-{r.pk}@invalid" and r.anonymised_at for r in registrations)
    # States, languages and diets stay on the rows; the organisations (legal persons) stay too.
    assert sorted(registrations.values_list("state", flat=True)) == ["accepted", "submitted", "submitted"]
    assert Organisation.objects.filter(name="Czulent").exists()
    assert not LogEntry.objects.filter(registration__event=event).exclude(message="").exists()
    assert not OutgoingEmail.objects.filter(registration__event=event).exists()
    assert privacy.personal_data_anonymise_expired(now=event.ends_at + timedelta(days=500)) == []


def test_anonymisation_also_removes_health_declarations(organiser):
    event = safety_event(organiser, personal_data_retention_days=7)
    submit(event, safety=meets(event), consent_health=True)
    (purge,) = privacy.personal_data_anonymise_expired(now=event.ends_at + timedelta(days=7))
    assert purge.stats["safety_verdicts"] == {"meets": 1}
    assert not HealthDeclaration.objects.exists()


# -- Erasure on request ----------------------------------------------------------------------------


def test_erase_cancels_first_frees_the_seat_and_keeps_the_transitions(organiser):
    event = EventFactory(organisers=[organiser], capacity=1)
    first = submit(event)
    registration_decide(registration=first, decision="accept", actor=organiser, message="See you, Olena")
    second = submit(event)
    with pytest.raises(CapacityError):
        registration_decide(registration=second, decision="accept", actor=organiser)

    erased = privacy.registration_erase(registration=first, actor_kind=ActorKind.PARTICIPANT)

    assert erased.state == State.CANCELLED
    registration_decide(registration=second, decision="accept", actor=organiser)
    transitions = list(LogEntry.objects.filter(registration=first).values_list("from_state", "to_state", "message"))
    assert transitions == [("", "submitted", ""), ("submitted", "accepted", ""), ("accepted", "cancelled", "")]
    purge = DataPurge.objects.get(kind=DataPurge.Kind.ERASURE)
    assert (purge.event, purge.count) == (event, 1)
    assert purge.stats["state_before_erasure"] == "accepted"
    assert purge.stats["requested_by"] == "participant"


def test_erase_replaces_the_token_and_clears_personal_fields(event):
    add_questions(event)
    registration = submit(
        event,
        phone="+48 600 100 200",
        dietary=Dietary.OTHER,
        dietary_details="no nuts",
        accessibility_needs="wheelchair",
        interpreting_needs="PJM",
        answers={"topics": "Granty"},
        consent_listing=True,
    )
    old_token = registration.token
    privacy.registration_erase(registration=registration, actor_kind=ActorKind.PARTICIPANT)
    assert not Registration.objects.filter(token=old_token).exists()
    registration.refresh_from_db()
    assert registration.token != old_token and len(registration.token) >= 40
    assert registration.email == f"erased-{registration.pk}@invalid"
    assert (registration.first_name, registration.last_name, registration.phone) == ("", "", "")
    assert (registration.dietary_details, registration.accessibility_needs, registration.interpreting_needs) == (
        "",
        "",
        "",
    )
    assert registration.answers == {} and registration.consent_listing is False
    assert registration.anonymised_at is not None
    # The diet category and language remain for the counts.
    assert (registration.dietary, registration.language) == (Dietary.OTHER, "uk")


def test_erase_sends_no_email_and_removes_the_outbox_rows(event, run_on_commit):
    with run_on_commit(execute=True):
        registration = submit(event, email="mariia@example.org")
    assert len(mail.outbox) == 1
    with run_on_commit(execute=True):
        privacy.registration_erase(registration=registration, actor_kind=ActorKind.PARTICIPANT)
    assert len(mail.outbox) == 1
    assert not OutgoingEmail.objects.filter(registration=registration).exists()
    assert not OutgoingEmail.objects.filter(to="mariia@example.org").exists()


def test_erase_of_a_rejected_registration_keeps_its_state(organiser, event):
    registration = submit(event)
    registration_decide(registration=registration, decision="reject", actor=organiser)
    privacy.registration_erase(registration=registration, actor_kind=ActorKind.ORGANISER, actor=organiser)
    registration.refresh_from_db()
    assert registration.state == State.REJECTED and registration.anonymised_at is not None
    assert DataPurge.objects.get().stats["requested_by"] == "organiser"


def test_erase_deletes_the_health_declaration_and_verdict(organiser):
    event = safety_event(organiser)
    registration = submit(event, safety=does_not_meet(event), consent_health=True)
    privacy.registration_erase(registration=registration, actor_kind=ActorKind.PARTICIPANT)
    registration.refresh_from_db()
    assert not HealthDeclaration.objects.exists()
    assert registration.safety_verdict == "" and registration.consent_health_at is None
    assert DataPurge.objects.get().stats["safety_verdicts"] == {"does_not_meet": 1}


def test_erasing_twice_records_once(event):
    registration = submit(event)
    privacy.registration_erase(registration=registration, actor_kind=ActorKind.PARTICIPANT)
    privacy.registration_erase(registration=registration, actor_kind=ActorKind.PARTICIPANT)
    assert DataPurge.objects.count() == 1


def test_several_erasures_in_one_event_get_distinct_placeholders(event):
    registrations = [submit(event) for _ in range(3)]
    for registration in registrations:
        privacy.registration_erase(registration=registration, actor_kind=ActorKind.PARTICIPANT)
    assert Registration.objects.filter(event=event, email__endswith="@invalid").count() == 3


# -- Access on request -----------------------------------------------------------------------------


def test_export_holds_everything_stored_about_the_person(organiser):
    event = safety_event(organiser)
    add_questions(event)
    registration = submit(
        event,
        first_name="Мар'яна",
        phone="+48 600 100 200",
        answers={"topics": "Granty", "workshop": "grants"},
        consent_listing=True,
        safety=meets(event),
        consent_health=True,
    )
    registration_decide(registration=registration, decision="accept", actor=organiser, message="Witamy")
    data = privacy.registration_export_data(registration)
    json.dumps(data)  # JSON-friendly as it is
    assert data["person"]["first_name"] == "Мар'яна"
    assert data["person"]["email"] == registration.email
    assert data["person"]["organisation"] == {"name": "Fundacja Zustricz", "type": "migrant"}
    assert {a["question"]: a["text"] for a in data["answers"]} == {"Topics to discuss": "Granty", "Workshop": "Grants"}
    assert data["consents"]["listing"] is True
    assert data["consents"]["processing_given_at"] and data["consents"]["health_data_given_at"]
    assert data["health_declaration"]["basis"] == "vaccinated"
    assert data["safety_verdict"] == "meets"
    assert [(h["from_state"], h["to_state"]) for h in data["history"]] == [("", "submitted"), ("submitted", "accepted")]
    assert data["history"][1]["message"] == "Witamy"
    assert [e["kind"] for e in data["emails"]] == ["registration_received", "registration_accepted"]
    assert {"subject", "status", "sent_at"} <= set(data["emails"][0])
    assert "token" not in json.dumps(data)


def test_export_of_one_person_holds_no_health_data_of_another(organiser):
    event = safety_event(organiser)
    other = submit(event, safety=does_not_meet(event), consent_health=True)
    person = submit(event)
    data = privacy.registration_export_data(person)
    assert data["health_declaration"] is None
    text = json.dumps(data)
    assert "recovered" not in text and other.email not in text and other.last_name not in text


# -- The cron command ------------------------------------------------------------------------------


def test_purge_command_reports_what_it_purged(organiser, capsys):
    event = safety_event(organiser)
    with_declarations(event)
    with time_machine.travel(event.ends_at + timedelta(days=15), tick=False):
        call_command("purge_personal_data")
        assert f"health declarations: event {event.slug}: 2 deleted" in capsys.readouterr().out
        call_command("purge_personal_data")
        assert "nothing to purge" in capsys.readouterr().out


def test_summary_counts_declarations_and_lists_purges(organiser):
    event = safety_event(organiser)
    with_declarations(event)
    summary = privacy.data_protection_summary(event=event)
    assert (summary.declarations_stored, summary.registrations_not_anonymised, summary.purges) == (2, 4, [])
    assert summary.health_due_at == event.ends_at + timedelta(days=14)
    privacy.health_data_purge(now=timezone.now() + timedelta(days=60))
    summary = privacy.data_protection_summary(event=event)
    assert summary.declarations_stored == 0 and len(summary.purges) == 1
