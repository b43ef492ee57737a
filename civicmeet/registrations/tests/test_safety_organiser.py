"""The admission rules on the organisers' side: verdicts and audience in the list, filters, counts,
explicit confirmation when accepting someone who does not meet the safety rule, and exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from civicmeet.eligibility import SafetyPolicy
from civicmeet.events.tests.factories import EventFactory
from civicmeet.registrations.models import HealthDeclaration, Registration, Role, SafetyVerdict, State
from civicmeet.registrations.safety import SafetyInput
from civicmeet.registrations.selectors import RegistrationFilters, registration_counts, registration_list
from civicmeet.registrations.services import guest_add, registration_decide

from .factories import registration_data, submit

pytestmark = pytest.mark.django_db

AUDIENCE = ["ethnic_minority", "migrant", "national_minority"]


def url(name: str, event, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"registrations:{name}", kwargs={"slug": event.slug, **kwargs})


def flashes(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def event(organiser):
    return EventFactory(organisers=[organiser], safety_policy=SafetyPolicy().to_data(), audience_types=AUDIENCE)


@pytest.fixture
def org_client(client, organiser):
    client.force_login(organiser)
    return client


def vaccinated(event, days_before: int = 30) -> SafetyInput:
    return SafetyInput(basis="vaccinated", date=event.local(event.starts_at).date() - timedelta(days=days_before))


def pcr_test(event, hours_before: int | None) -> SafetyInput:
    taken_at = None if hours_before is None else event.starts_at - timedelta(hours=hours_before)
    return SafetyInput(basis="tested", taken_at=taken_at, test_kind="pcr")


@pytest.fixture
def people(event):
    """One registration per verdict, and one from outside the intended audience."""
    return {
        "meets": submit(event, first_name="Meets", safety=vaccinated(event), consent_health=True),
        "fails": submit(event, first_name="Fails", safety=pcr_test(event, 100), consent_health=True),
        "later": submit(event, first_name="Later", safety=pcr_test(event, None), consent_health=True),
        "outside": submit(
            event,
            first_name="Outside",
            organisation_name="Klub Sportowy",
            organisation_type="other",
            safety=vaccinated(event),
            consent_health=True,
        ),
    }


def test_people_fixture_has_the_expected_verdicts(people):
    assert people["meets"].safety_verdict == SafetyVerdict.MEETS
    assert people["fails"].safety_verdict == SafetyVerdict.DOES_NOT_MEET
    assert people["later"].safety_verdict == SafetyVerdict.TO_BE_CHECKED


# -- Selectors --------------------------------------------------------------------------------------


def test_list_filters_by_verdict_and_audience(event, people):
    def names(**filters):
        return {r.first_name for r in registration_list(event=event, filters=RegistrationFilters(**filters))}

    assert names(safety_verdict="does_not_meet") == {"Fails"}
    assert names(safety_verdict="meets") == {"Meets", "Outside"}
    assert names(safety_verdict="to_be_checked") == {"Later"}
    assert names(outside_audience=True) == {"Outside"}


def test_outside_audience_never_matches_an_event_for_everyone(organiser):
    event = EventFactory(organisers=[organiser], audience_types=[])
    submit(event, organisation_type="other")
    assert not registration_list(event=event, filters=RegistrationFilters(outside_audience=True)).exists()
    assert registration_counts(event=event).outside_audience == 0


def test_counts_per_verdict_and_outside_the_audience_in_one_query(event, people, organiser, django_assert_num_queries):
    registration_decide(registration=people["later"], decision="reject", actor=organiser)
    with django_assert_num_queries(1):
        counts = registration_counts(event=event)
    # A rejected registration no longer counts: these are the people who may come.
    assert counts.by_verdict == {"meets": 2, "does_not_meet": 1, "to_be_checked": 0}
    assert counts.outside_audience == 1


def test_a_guest_without_organisation_is_not_outside_the_audience(event, organiser):
    guest = guest_add(
        event=event, data=registration_data(organisation_name="", organisation_type="other"), actor=organiser
    )
    assert guest.organisation is None
    assert not registration_list(event=event, filters=RegistrationFilters(outside_audience=True)).exists()


# -- Dashboard --------------------------------------------------------------------------------------


def test_dashboard_shows_each_verdict_and_the_audience_flag(org_client, event, people):
    response = org_client.get(url("dashboard", event))
    body = response.content.decode()
    assert '<span class="state verdict verdict-does_not_meet">Does not meet the safety rule</span>' in body
    assert '<span class="state verdict verdict-meets">Meets the safety rule</span>' in body
    assert '<span class="state verdict verdict-to_be_checked">To be checked at the door</span>' in body
    flagged = {r.first_name for r in response.context["page_obj"] if r.outside_audience}
    assert flagged == {"Outside"}
    assert body.count('class="state audience-outside"') == 1
    assert response.context["counts"].by_verdict["meets"] == 2


def test_dashboard_filters_by_verdict_and_audience(org_client, event, people):
    response = org_client.get(url("dashboard", event), {"safety_verdict": "does_not_meet"})
    assert [r.first_name for r in response.context["page_obj"]] == ["Fails"]
    response = org_client.get(url("dashboard", event), {"outside_audience": "on"})
    assert [r.first_name for r in response.context["page_obj"]] == ["Outside"]


def test_dashboard_without_rules_offers_no_rule_filters_or_column(org_client, organiser):
    event = EventFactory(organisers=[organiser], safety_policy=None, audience_types=[])
    submit(event)
    response = org_client.get(url("dashboard", event), {"safety_verdict": "meets"})
    assert len(response.context["page_obj"]) == 1  # the filter is not offered, so it is ignored
    body = response.content.decode()
    assert 'name="safety_verdict"' not in body
    assert 'name="outside_audience"' not in body
    assert "verdict-" not in body


def test_dashboard_query_count_does_not_grow_with_rows(org_client, event, organiser, django_assert_max_num_queries):
    for n in range(30):
        safety = [vaccinated(event), pcr_test(event, 100), pcr_test(event, None), None][n % 4]
        registration = submit(
            event,
            organisation_name=f"Organisation {n % 5}",
            organisation_type=["migrant", "other"][n % 2],
            safety=safety,
            consent_health=safety is not None,
        )
        if n % 3 == 0 and registration.safety_verdict != SafetyVerdict.DOES_NOT_MEET:
            registration_decide(registration=registration, decision="accept", actor=organiser)
    # session, user, event, page count, page rows, counts (verdicts and audience included), organisations
    with django_assert_max_num_queries(7):
        response = org_client.get(url("dashboard", event), {"safety_verdict": "", "state": ""})
    assert len(response.context["page_obj"]) == 30


# -- Detail and the explicit confirmation -----------------------------------------------------------


def test_detail_shows_the_declaration_and_the_verdict_sentence(org_client, event, people):
    body = org_client.get(url("detail", event, pk=people["fails"].pk)).content.decode()
    assert "Does not meet the safety rule" in body
    assert 'id="verdict-text"' in body
    assert "more than 48 hours old" in body
    assert "Tested" in body and "PCR test" in body


def test_detail_query_count_is_fixed(org_client, event, people, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = org_client.get(url("detail", event, pk=people["fails"].pk))
    assert response.context["declaration"].basis == "tested"


def test_detail_flags_a_registration_outside_the_audience(org_client, event, people):
    body = org_client.get(url("detail", event, pk=people["outside"].pk)).content.decode()
    assert "Outside the intended audience" in body
    body = org_client.get(url("detail", event, pk=people["meets"].pk)).content.decode()
    assert "Outside the intended audience" not in body


def test_accepting_someone_who_does_not_meet_the_rule_asks_for_confirmation(org_client, event, people):
    fails = people["fails"]
    response = org_client.post(url("decide", event, pk=fails.pk), {"decision": "accept", "message": "Welcome"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="confirm-required"' in body
    assert "does not meet the event&#x27;s safety rule" in body
    assert 'name="confirm" value="1"' in body
    assert 'name="message" value="Welcome"' in body  # the message typed is not lost
    assert Registration.objects.get(pk=fails.pk).state == State.SUBMITTED


def test_confirm_and_accept_accepts(org_client, event, people):
    fails = people["fails"]
    response = org_client.post(
        url("decide", event, pk=fails.pk), {"decision": "accept", "confirm": "1", "message": "Welcome"}
    )
    assert response.status_code == 302
    assert Registration.objects.get(pk=fails.pk).state == State.ACCEPTED


def test_accepting_someone_who_meets_the_rule_needs_no_confirmation(org_client, event, people):
    response = org_client.post(url("decide", event, pk=people["meets"].pk), {"decision": "accept"})
    assert response.status_code == 302
    assert Registration.objects.get(pk=people["meets"].pk).state == State.ACCEPTED


def test_detail_offers_the_confirmation_up_front_only_when_needed(org_client, event, people):
    assert 'name="confirm"' in org_client.get(url("detail", event, pk=people["fails"].pk)).content.decode()
    assert 'name="confirm"' not in org_client.get(url("detail", event, pk=people["meets"].pk)).content.decode()


def test_decide_still_rejects_get(org_client, event, people):
    assert org_client.get(url("decide", event, pk=people["fails"].pk)).status_code == 405


def test_bulk_accept_leaves_people_who_do_not_meet_the_rule_without_confirmation(org_client, event, people):
    ids = [people["meets"].pk, people["fails"].pk]
    response = org_client.post(url("bulk_decide", event), {"registrations": ids, "decision": "accept"}, follow=True)
    states = dict(Registration.objects.filter(pk__in=ids).values_list("first_name", "state"))
    assert states == {"Meets": State.ACCEPTED, "Fails": State.SUBMITTED}
    texts = flashes(response)
    assert "Accepted: 1. Left unchanged: 1, because:" in texts
    assert any(text.startswith("Fails ") and "safety rule" in text for text in texts)


def test_bulk_accept_with_confirmation_accepts_them_too(org_client, event, people):
    ids = [people["meets"].pk, people["fails"].pk]
    org_client.post(url("bulk_decide", event), {"registrations": ids, "decision": "accept", "confirm": "1"})
    assert set(Registration.objects.filter(pk__in=ids).values_list("state", flat=True)) == {State.ACCEPTED}


def test_dashboard_offers_the_bulk_confirmation(org_client, event, people):
    assert 'name="confirm"' in org_client.get(url("dashboard", event)).content.decode()


def test_manage_navigation_links_to_data_protection(org_client, event, people):
    body = org_client.get(url("detail", event, pk=people["meets"].pk)).content.decode()
    assert url("data_protection", event) in body


# -- Exports --------------------------------------------------------------------------------------


def csv_dicts(response) -> list[dict]:
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_export_has_the_verdict_and_audience_but_no_health_dates(org_client, event, people):
    rows = {row["First name"]: row for row in csv_dicts(org_client.get(url("export_csv", event)))}
    assert rows["Fails"]["Safety rule"] == "Does not meet the safety rule"
    assert rows["Later"]["Safety rule"] == "To be checked at the door"
    assert rows["Outside"]["Outside the intended audience"] == "Yes"
    assert rows["Meets"]["Outside the intended audience"] == "No"
    text = str(rows)
    for registration in people.values():
        declaration = HealthDeclaration.objects.filter(registration=registration).first()
        if declaration is None:  # "will bring a test" stores nothing
            continue
        if declaration.date:
            assert declaration.date.isoformat() not in text
        if declaration.taken_at:
            assert event.local(declaration.taken_at).strftime("%Y-%m-%d") not in text
    assert "vaccinated" not in text.lower()
    assert "PCR" not in text


def test_export_follows_the_verdict_filter(org_client, event, people):
    rows = csv_dicts(org_client.get(url("export_csv", event), {"safety_verdict": "meets"}))
    assert {row["First name"] for row in rows} == {"Meets", "Outside"}


def test_export_without_rules_has_no_rule_columns(org_client, organiser):
    event = EventFactory(organisers=[organiser], safety_policy=None, audience_types=[])
    submit(event)
    headers = csv_dicts(org_client.get(url("export_csv", event)))[0].keys()
    assert "Safety rule" not in headers
    assert "Outside the intended audience" not in headers


def test_export_query_count_stays_constant_with_rules(org_client, event, django_assert_max_num_queries):
    for n in range(20):
        submit(event, organisation_type=["migrant", "other"][n % 2], safety=vaccinated(event), consent_health=True)
    with django_assert_max_num_queries(6):
        rows = csv_dicts(org_client.get(url("export_csv", event)))
    assert len(rows) == 20


def test_guest_role_is_unaffected_by_the_audience_count(event, organiser):
    guest_add(event=event, data=registration_data(organisation_type="other"), actor=organiser)
    counts = registration_counts(event=event)
    assert counts.outside_audience == 1  # guests may come through the door too, so they are counted
    assert Registration.objects.get(role=Role.GUEST).organisation.type == "other"
