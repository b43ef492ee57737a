"""Organisers choose the event's admission rules; the event page describes them from their parameters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from civicmeet.eligibility import SafetyPolicy
from civicmeet.events.forms import EventForm
from civicmeet.events.models import Event
from civicmeet.events.tests.factories import EventFactory
from civicmeet.events.views import audience_text
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.registrations.models import SafetyVerdict
from civicmeet.registrations.safety import SafetyInput
from civicmeet.registrations.services import registration_decide
from civicmeet.registrations.tests.factories import submit

from .test_forms import event_form_data
from .test_views_manage import event_post_data

pytestmark = pytest.mark.django_db

INVITATION_POLICY = SafetyPolicy().to_data()


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def flashes(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def safety_form(**overrides):
    return EventForm(data=event_form_data(safety_rule="safety", **overrides))


# The form ---------------------------------------------------------------------------------------


def test_form_stores_the_policy_as_its_data():
    form = safety_form(
        vaccinated_after_days="21", recovered_within_months="3", tested_within_hours="72", test_kinds=["pcr"]
    )
    assert form.is_valid(), form.errors
    assert form.event_data()["safety_policy"] == {
        "vaccinated_after_days": 21,
        "recovered_within_months": 3,
        "tested_within_hours": 72,
        "test_kinds": ["pcr"],
    }


def test_form_without_a_rule_stores_none_and_ignores_the_parameters():
    form = EventForm(data=event_form_data(safety_rule="none", test_kinds=[]))
    assert form.is_valid(), form.errors
    assert form.event_data()["safety_policy"] is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("vaccinated_after_days", "366", "from 0 to 365"),
        ("vaccinated_after_days", "-1", "from 0 to 365"),
        ("recovered_within_months", "61", "from 0 to 60"),
        ("tested_within_hours", "0", "from 1 to 720"),
        ("tested_within_hours", "721", "from 1 to 720"),
        ("tested_within_hours", "", "Enter a whole number."),
        ("recovered_within_months", "six", "Enter a whole number."),
    ],
)
def test_form_puts_a_bad_parameter_error_next_to_that_parameter(field, value, message):
    form = safety_form(**{field: value})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])
    other_fields = set(form.errors) - {field}
    assert not other_fields, form.errors


def test_form_requires_at_least_one_test_kind():
    form = safety_form(test_kinds=[])
    assert not form.is_valid()
    assert "at least one kind of test" in " ".join(form.errors["test_kinds"])


def test_form_refuses_an_unknown_test_kind():
    form = safety_form(test_kinds=["saliva"])
    assert not form.is_valid()
    assert "test_kinds" in form.errors


def test_form_keeps_health_data_no_longer_than_other_personal_data():
    form = EventForm(data=event_form_data(health_data_retention_days="400", personal_data_retention_days="30"))
    assert not form.is_valid()
    assert "health_data_retention_days" in form.errors
    assert EventForm(
        data=event_form_data(health_data_retention_days="30", personal_data_retention_days="30")
    ).is_valid()


def test_form_stores_audience_privacy_notice_and_retention():
    form = EventForm(
        data=event_form_data(
            audience_types=["migrant", "national_minority"],
            privacy_notice_pl="Administratorami danych są Fundacja Zustricz i Stowarzyszenie Czulent.",
            privacy_notice_en="The joint controllers are the Zustricz Foundation and the Czulent Association.",
            health_data_retention_days="7",
            personal_data_retention_days="180",
        )
    )
    assert form.is_valid(), form.errors
    data = form.event_data()
    assert data["audience_types"] == ["migrant", "national_minority"]
    assert set(data["privacy_notice"]) == {"pl", "en"}
    assert (data["health_data_retention_days"], data["personal_data_retention_days"]) == (7, 180)


def test_edit_form_starts_from_the_events_rule():
    event = EventFactory(safety_policy={**INVITATION_POLICY, "tested_within_hours": 24}, audience_types=["migrant"])
    form = EventForm(event=event)
    assert form["safety_rule"].value() == "safety"
    assert form["tested_within_hours"].value() == 24
    assert form["audience_types"].value() == ["migrant"]
    without = EventForm(event=EventFactory(safety_policy=None))
    assert without["safety_rule"].value() == "none"
    assert without["vaccinated_after_days"].value() == 14  # the invitation's numbers as a starting point


# Create and edit --------------------------------------------------------------------------------


def test_create_event_with_the_safety_rule_and_audience(client, organiser):
    client.force_login(organiser)
    data = event_post_data(
        safety_rule="safety",
        tested_within_hours="72",
        audience_types=["national_minority", "ethnic_minority", "migrant"],
        health_data_retention_days="10",
    )
    response = client.post(url("events:create"), data)
    assert response.status_code == 302
    event = Event.objects.get(slug="spotkanie-sieciujace-2021")
    assert event.safety_policy == {**INVITATION_POLICY, "tested_within_hours": 72}
    assert event.audience_types == ["ethnic_minority", "migrant", "national_minority"]
    assert event.health_data_retention_days == 10


def test_create_event_shows_a_parameter_error_and_keeps_the_input(client, organiser):
    client.force_login(organiser)
    response = client.post(url("events:create"), event_post_data(safety_rule="safety", tested_within_hours="1000"))
    assert response.status_code == 200
    assert "tested_within_hours" in response.context["form"].errors
    body = response.content.decode()
    assert 'value="1000"' in body
    assert 'aria-invalid="true"' in body
    assert not Event.objects.exists()


def test_edit_page_offers_the_admission_and_data_protection_settings(client, organiser, event):
    client.force_login(organiser)
    body = client.get(url("events:edit", slug=event.slug)).content.decode()
    for name in (
        "safety_rule",
        "vaccinated_after_days",
        "recovered_within_months",
        "tested_within_hours",
        "test_kinds",
        "audience_types",
        "privacy_notice_pl",
        "health_data_retention_days",
        "personal_data_retention_days",
    ):
        assert f'name="{name}"' in body, name
    assert reverse("registrations:data_protection", kwargs={"slug": event.slug}) in body


def _tested(event, hours_before: int) -> SafetyInput:
    return SafetyInput(basis="tested", taken_at=event.starts_at - timedelta(hours=hours_before), test_kind="pcr")


def test_shrinking_the_hours_recomputes_verdicts_and_tells_accepted_participants(client, organiser, run_on_commit):
    event = EventFactory(organisers=[organiser], safety_policy={**INVITATION_POLICY, "tested_within_hours": 72})
    accepted = submit(event, safety=_tested(event, 60), consent_health=True)
    waiting = submit(event, safety=_tested(event, 60), consent_health=True)
    unaffected = submit(event, safety=_tested(event, 24), consent_health=True)
    registration_decide(registration=accepted, decision="accept", actor=organiser)
    assert accepted.safety_verdict == SafetyVerdict.MEETS
    client.force_login(organiser)
    data = event_post_data(
        slug=None,
        title_en="Networking meeting",
        safety_rule="safety",
        tested_within_hours="48",
        starts_at=event.local(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        ends_at=event.local(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        registration_opens_at=event.local(event.registration_opens_at).strftime("%Y-%m-%dT%H:%M"),
        registration_closes_at=event.local(event.registration_closes_at).strftime("%Y-%m-%dT%H:%M"),
    )
    with run_on_commit(execute=False):
        response = client.post(url("events:edit", slug=event.slug), data)
    assert response.status_code == 302
    for registration in (accepted, waiting, unaffected):
        registration.refresh_from_db()
    assert accepted.safety_verdict == SafetyVerdict.DOES_NOT_MEET
    assert waiting.safety_verdict == SafetyVerdict.DOES_NOT_MEET
    assert unaffected.safety_verdict == SafetyVerdict.MEETS
    changed_emails = OutgoingEmail.objects.filter(kind="safety_verdict_changed")
    assert [email.subject_id for email in changed_emails] == [accepted.pk]
    assert any("verdict changed for 2 registrations" in text for text in flashes(response))


def test_saving_without_changing_the_rule_sends_nothing(client, organiser):
    event = EventFactory(organisers=[organiser], safety_policy=INVITATION_POLICY)
    accepted = submit(event, safety=_tested(event, 24), consent_health=True)
    registration_decide(registration=accepted, decision="accept", actor=organiser)
    client.force_login(organiser)
    data = event_post_data(
        slug=None,
        safety_rule="safety",
        capacity="30",
        starts_at=event.local(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        ends_at=event.local(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        registration_opens_at=event.local(event.registration_opens_at).strftime("%Y-%m-%dT%H:%M"),
        registration_closes_at=event.local(event.registration_closes_at).strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post(url("events:edit", slug=event.slug), data)
    assert response.status_code == 302
    assert not OutgoingEmail.objects.filter(kind="safety_verdict_changed").exists()
    assert not any("verdict" in text for text in flashes(response))


def test_removing_the_rule_clears_verdicts(client, organiser):
    event = EventFactory(organisers=[organiser], safety_policy=INVITATION_POLICY)
    registration = submit(event, safety=_tested(event, 24), consent_health=True)
    client.force_login(organiser)
    data = event_post_data(
        slug=None,
        safety_rule="none",
        starts_at=event.local(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        ends_at=event.local(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        registration_opens_at=event.local(event.registration_opens_at).strftime("%Y-%m-%dT%H:%M"),
        registration_closes_at=event.local(event.registration_closes_at).strftime("%Y-%m-%dT%H:%M"),
    )
    assert client.post(url("events:edit", slug=event.slug), data).status_code == 302
    event.refresh_from_db()
    registration.refresh_from_db()
    assert event.safety_policy is None
    assert registration.safety_verdict == ""


# The public page --------------------------------------------------------------------------------


def test_event_page_rules_text_follows_the_parameters(client):
    event = EventFactory(safety_policy={**INVITATION_POLICY, "tested_within_hours": 72, "test_kinds": ["pcr"]})
    body = client.get(url("events:detail", slug=event.slug)).content.decode()
    assert "within the last 72 hours (PCR tests only)" in body
    assert "48 hours" not in body
    assert "at least 14 days after completing" in body
    assert "within 6 months of their first positive test" in body


def test_event_page_in_polish_shows_the_rule_with_its_numbers(client):
    event = EventFactory(safety_policy={**INVITATION_POLICY, "vaccinated_after_days": 21})
    body = client.get(url("events:detail", "pl", slug=event.slug)).content.decode()
    assert 'id="safety-rules"' in body
    assert "21" in body


def test_event_page_keeps_the_organisers_notes_below_the_rule(client):
    event = EventFactory(safety_policy=INVITATION_POLICY, safety_rules={"en": "A testing point is <b>next door</b>."})
    body = client.get(url("events:detail", slug=event.slug)).content.decode()
    assert body.index("within the last 48 hours") < body.index("A testing point is")
    assert "&lt;b&gt;next door&lt;/b&gt;" in body


def test_event_page_without_a_rule_shows_no_generated_text(client):
    event = EventFactory(safety_policy=None)
    body = client.get(url("events:detail", slug=event.slug)).content.decode()
    assert 'id="safety-rules"' not in body


def test_event_page_states_the_invitations_audience(client):
    event = EventFactory(audience_types=["national_minority", "ethnic_minority", "migrant"])
    body = client.get(url("events:detail", slug=event.slug)).content.decode()
    assert "The meeting is for representatives of national minority, ethnic minority and migrant organisations." in body


def test_event_page_for_everyone_says_nothing_about_the_audience(client):
    body = client.get(url("events:detail", slug=EventFactory(audience_types=[]).slug)).content.decode()
    assert "The meeting is for representatives" not in body


def test_audience_text_lists_other_combinations():
    with translation.override("en"):
        assert audience_text(["migrant", "national_minority"]) == (
            "The meeting is for representatives of national minority organisations and migrant organisations."
        )
        assert audience_text(["migrant"]) == "The meeting is for representatives of migrant organisations."
        assert audience_text([]) == ""


def test_event_page_links_to_the_privacy_notice(client, event):
    body = client.get(url("events:detail", slug=event.slug)).content.decode()
    assert url("registrations:privacy_notice", slug=event.slug) in body


def test_new_event_form_starts_without_a_rule_but_with_the_invitations_numbers():
    form = EventForm()
    assert form["safety_rule"].value() == "none"
    assert (form["vaccinated_after_days"].value(), form["tested_within_hours"].value()) == (14, 48)
    assert set(form["test_kinds"].value()) == {"pcr", "antigen"}
    assert form["health_data_retention_days"].value() == 14
