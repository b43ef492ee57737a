"""The demo meeting checks the invitation's safety rule and counts its lunch question for catering."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from civicmeet.demo import content
from civicmeet.eligibility import SafetyPolicy
from civicmeet.events.models import Event
from civicmeet.events.safety_text import safety_rules_text
from civicmeet.registrations.models import HealthDeclaration, Registration, SafetyVerdict, State
from civicmeet.registrations.privacy import health_data_due_at, health_data_purge
from civicmeet.registrations.safety import safety_verdicts_recompute
from civicmeet.registrations.selectors import catering_summary

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
# Words of the rule's text, in each language: none may be in the organisers' own texts.
RULE_WORDS = [
    "14 dni",
    "6 miesięcy",
    "48 godzin",
    "14 днів",
    "6 місяців",
    "48 годин",
    "14 days",
    "6 months",
    "48 hours",
]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def demo_event() -> Event:
    return Event.objects.get(slug=content.SLUG)


def test_demo_event_checks_the_invitations_safety_rule():
    load_demo()

    policy = demo_event().safety
    assert policy == SafetyPolicy(
        vaccinated_after_days=14, recovered_within_months=6, tested_within_hours=48, test_kinds=("pcr", "antigen")
    )


def test_demo_texts_do_not_describe_the_rule_the_page_writes_it():
    load_demo()
    event = demo_event()

    for field in ("description", "conditions", "safety_rules", "agenda"):
        for language, text in getattr(event, field).items():
            assert not [word for word in RULE_WORDS if word in text], (field, language)
    for language in ("pl", "uk", "en"):
        with translation.override(language):
            html = Client().get(reverse("events:detail", kwargs={"slug": event.slug})).content.decode()
            lines = safety_rules_text(event.safety)
        assert lines and all(line in html for line in lines), language
        assert event.safety_rules[language] in html


def test_demo_registration_form_asks_for_the_safety_declaration():
    load_demo()
    with translation.override("uk"):
        html = Client().get(reverse("registrations:register", kwargs={"slug": content.SLUG})).content.decode()
    assert 'name="safety_basis"' in html


def test_demo_lunch_question_counts_for_catering():
    load_demo()
    event = demo_event()

    lunch = event.questions.get(key="lunch")
    assert lunch.counts_for_catering and lunch.kind == "yes_no"
    summary = catering_summary(event=event)
    assert summary.lunch is not None and summary.lunch.question.key == "lunch"
    said_no = sum(1 for person in content.REGISTRATIONS if person["answers"].get("lunch") is False)
    assert said_no >= 1
    assert summary.lunch.no["active"] == said_no
    # Who cancelled (by answering "no" to "Are you still coming?") eats no lunch.
    cancelled = event.registrations.filter(state=State.CANCELLED).count()
    assert cancelled == 1
    assert summary.totals["active"] == len(content.REGISTRATIONS) - said_no - cancelled


def test_demo_declarations_are_realistic_and_consistent_with_the_rule():
    load_demo()
    event = demo_event()
    registrations = list(event.registrations.select_related("health_declaration").order_by("pk"))

    verdicts = {registration.email: registration.safety_verdict for registration in registrations}
    assert set(verdicts.values()) == {SafetyVerdict.MEETS, SafetyVerdict.DOES_NOT_MEET, SafetyVerdict.TO_BE_CHECKED}
    # Everyone accepted meets the rule: the demo organiser did not accept against it.
    assert all(r.safety_verdict == SafetyVerdict.MEETS for r in registrations if r.state == State.ACCEPTED)
    for registration in registrations:
        declaration = getattr(registration, "health_declaration", None)
        if registration.safety_verdict == SafetyVerdict.TO_BE_CHECKED:
            # "I will bring a test": nothing about health is stored, nothing consented to.
            assert declaration is None and registration.consent_health_at is None
        else:
            assert declaration is not None and registration.consent_health_at is not None
            assert declaration.date <= registration.created_at.date()
            assert declaration.basis in ("vaccinated", "recovered")
    assert {d.basis for d in HealthDeclaration.objects.all()} == {"vaccinated", "recovered"}
    # The stored verdicts are the engine's: recomputing them changes nothing.
    assert safety_verdicts_recompute(event=event, notify_changes=False) == []


def test_demo_loads_again_after_its_health_data_was_purged():
    """A demo loaded long ago: the meeting is over, its health data purged on schedule. Loading it
    again (what `make run` does every time) moves the meeting and keeps working."""
    with time_machine.travel(datetime(2026, 1, 7, 12, 0, tzinfo=WARSAW), tick=False):
        load_demo()
    event = demo_event()
    purge_at = health_data_due_at(event) + timedelta(hours=1)
    with time_machine.travel(purge_at, tick=False):
        assert len(health_data_purge()) == 1
    assert not HealthDeclaration.objects.exists()
    assert set(Registration.objects.filter(event=event).values_list("safety_verdict", flat=True)) == {""}

    with time_machine.travel(purge_at + timedelta(days=1), tick=False):
        output = load_demo()
        event = demo_event()
        assert "Moved the demo event" in output
        assert event.is_registration_open() and event.safety is not None
        # Declarations are gone: each counts as "to be checked" at the door, like "I will bring a test".
        verdicts = Registration.objects.filter(event=event).values_list("safety_verdict", flat=True)
        assert set(verdicts) == {SafetyVerdict.TO_BE_CHECKED}
        with translation.override("pl"):
            page = Client().get(reverse("events:detail", kwargs={"slug": event.slug}))
        assert page.status_code == 200
        assert "already loaded" in load_demo()
