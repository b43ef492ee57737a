"""The safety rule on the participant's side: the form's declaration, the live verdict, the pages."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from civicmeet.eligibility import SafetyPolicy
from civicmeet.events.tests.factories import EventFactory, OrganisationFactory
from civicmeet.registrations.models import HealthDeclaration, Registration, SafetyVerdict
from civicmeet.registrations.safety import SafetyInput

from .factories import submit
from .test_forms import valid_post

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


def event_starting_in(days: int, *, tz: str = "Europe/Warsaw", policy: dict | None = None, **overrides):
    """A published event with the invitation's safety rule, starting at 10:00 local time `days` from today."""
    zone = ZoneInfo(tz)
    start = datetime.combine(timezone.localdate(timezone=zone) + timedelta(days=days), time(10), tzinfo=zone)
    values = {
        "starts_at": start,
        "ends_at": start + timedelta(hours=6),
        "timezone": tz,
        # An hour before the start: open now whatever the time of day (12 hours before closed a
        # next-day event in the evening of the event's zone, and the test failed then).
        "registration_closes_at": start - timedelta(hours=1),
        "safety_policy": SafetyPolicy().to_data() if policy is None else policy,
    }
    values.update(overrides)
    return EventFactory(**values)


@pytest.fixture
def safe_event(organiser):
    event = event_starting_in(10, organisers=[organiser])
    event.co_organisers.set(
        [OrganisationFactory(name="Fundacja Zustricz"), OrganisationFactory(name="Żydowskie Stowarzyszenie Czulent")]
    )
    return event


def start_date(event):
    return timezone.localtime(event.starts_at, event.tz).date()


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"registrations:{name}", kwargs=kwargs)


def declared(**values):
    """A registration POST with a safety declaration (and the health consent unless told otherwise)."""
    values.setdefault("consent_health", "on")
    return valid_post(**values)


def html(response) -> str:
    return response.content.decode()


# -- The form --------------------------------------------------------------------------------------


def test_form_shows_the_rules_text_generated_from_the_policy(client, safe_event):
    safe_event.safety_policy = SafetyPolicy(vaccinated_after_days=21, test_kinds=("pcr",)).to_data()
    safe_event.save()
    page = html(client.get(url("register", slug=safe_event.slug)))
    assert '<legend><h2 id="section-safety">Safety rules</h2></legend>' in page
    assert "To keep everyone safe, the meeting is open to people who:" in page
    assert "at least 21 days after completing the prescribed vaccination cycle" in page
    assert "within the last 48 hours (PCR tests only)" in page
    for value in ("vaccinated", "recovered", "tested", "bring_test"):
        assert re.search(rf'<input type="radio" name="safety_basis" value="{value}"', page), value
    assert re.search(r'<input type="date" name="safety_vaccinated_on"', page)
    assert re.search(r'<input type="datetime-local" name="safety_taken_at"', page)
    assert "Date and time in the meeting&#x27;s time zone (Europe/Warsaw)." in page


def test_health_consent_states_purpose_storage_retention_and_joint_controllers(client, safe_event):
    safe_event.health_data_retention_days = 9
    safe_event.save()
    page = html(client.get(url("register", slug=safe_event.slug)))
    consent = page[page.index('name="consent_health"') :]
    assert "GDPR Art. 9" in consent
    assert "Purpose: checking whether you meet this meeting&#x27;s safety rule." in consent
    assert "Never a certificate, a document or a scan." in consent
    assert "Retention: deleted 9 days after the meeting." in consent
    assert "Joint controllers: Fundacja Zustricz, Żydowskie Stowarzyszenie Czulent." in consent


def test_inputs_ask_for_the_live_verdict_with_htmx(client, safe_event):
    page = html(client.get(url("register", slug=safe_event.slug)))
    check_url = url("safety_check", slug=safe_event.slug)
    for name in ("safety_basis", "safety_vaccinated_on", "safety_recovered_on", "safety_taken_at", "safety_test_kind"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert f'hx-post="{check_url}"' in tag, name
        assert 'hx-trigger="change"' in tag
        assert 'hx-target="#safety-verdict"' in tag
        assert 'hx-include="#safety-inputs"' in tag
        # Only the declaration and the CSRF token travel with the check, never the name or email.
        assert 'hx-params="safety_basis,safety_vaccinated_on,safety_recovered_on,safety_taken_at,' in tag
        assert "csrfmiddlewaretoken" in tag
    assert '<div id="safety-verdict" aria-live="polite" aria-atomic="true">' in page
    assert re.search(r'<noscript>\s*<p><button type="submit" name="check_safety" value="1"', page)


def test_event_without_rule_asks_nothing_and_stores_nothing(client, event):
    page = html(client.get(url("register", slug=event.slug)))
    assert "safety_basis" not in page and "consent_health" not in page
    response = client.post(
        url("register", slug=event.slug),
        declared(safety_basis="vaccinated", safety_vaccinated_on="2021-06-01"),
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.safety_verdict == ""
    assert registration.consent_health_at is None
    assert not HealthDeclaration.objects.exists()


@pytest.mark.parametrize(("days_before", "verdict"), [(14, "meets"), (13, "does_not_meet"), (20, "meets")])
def test_vaccinated_counts_calendar_days_before_the_start(client, safe_event, days_before, verdict):
    completed = start_date(safe_event) - timedelta(days=days_before)
    response = client.post(
        url("register", slug=safe_event.slug),
        declared(safety_basis="vaccinated", safety_vaccinated_on=completed.isoformat()),
    )
    assert response.status_code == 302, response.context["form"].errors
    registration = Registration.objects.get()
    assert registration.safety_verdict == verdict
    assert registration.consent_health_at is not None
    declaration = registration.health_declaration
    assert (declaration.basis, declaration.date, declaration.taken_at, declaration.test_kind) == (
        "vaccinated",
        completed,
        None,
        "",
    )


@pytest.mark.parametrize(("months_before", "verdict"), [(5, "meets"), (7, "does_not_meet")])
def test_recovered_counts_months_since_the_first_positive_test(client, safe_event, months_before, verdict):
    first_positive = start_date(safe_event) - timedelta(days=months_before * 31)
    response = client.post(
        url("register", slug=safe_event.slug),
        declared(safety_basis="recovered", safety_recovered_on=first_positive.isoformat()),
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.safety_verdict == verdict
    assert registration.health_declaration.date == first_positive


def test_test_time_is_read_in_the_events_time_zone(client, organiser):
    event = event_starting_in(1, tz="Europe/Kyiv")
    typed = timezone.localtime(event.starts_at, event.tz) - timedelta(hours=20)
    response = client.post(
        url("register", slug=event.slug),
        declared(safety_basis="tested", safety_taken_at=typed.strftime("%Y-%m-%dT%H:%M"), safety_test_kind="antigen"),
    )
    assert response.status_code == 302, response.context["form"].errors
    registration = Registration.objects.get()
    assert registration.health_declaration.taken_at == typed.replace(tzinfo=ZoneInfo("Europe/Kyiv"))
    assert registration.health_declaration.test_kind == "antigen"
    assert registration.safety_verdict == "meets"


def test_a_test_planned_before_the_meeting_shows_until_when_it_is_valid(client, safe_event):
    taken = timezone.localtime(safe_event.starts_at, safe_event.tz) - timedelta(hours=3)
    response = client.post(
        url("safety_check", slug=safe_event.slug),
        {"safety_basis": "tested", "safety_taken_at": taken.strftime("%Y-%m-%dT%H:%M"), "safety_test_kind": "pcr"},
    )
    page = html(response)
    assert 'data-outcome="meets"' in page
    assert "Meets the safety rule" in page
    valid_until = date_format(taken + timedelta(hours=48), "DATETIME_FORMAT")
    assert f"the rule is met until {valid_until}" in page


def test_bring_a_test_stores_nothing_and_needs_no_health_consent(client, safe_event):
    response = client.post(
        url("register", slug=safe_event.slug),
        valid_post(safety_basis="bring_test", safety_vaccinated_on="2021-06-01", safety_test_kind="pcr"),
    )
    assert response.status_code == 302, response.context["form"].errors
    registration = Registration.objects.get()
    assert registration.safety_verdict == SafetyVerdict.TO_BE_CHECKED
    assert registration.consent_health_at is None
    assert not HealthDeclaration.objects.exists()


def test_health_consent_is_required_for_a_declaration_with_a_date(client, safe_event):
    completed = start_date(safe_event) - timedelta(days=30)
    response = client.post(
        url("register", slug=safe_event.slug),
        declared(safety_basis="vaccinated", safety_vaccinated_on=completed.isoformat(), consent_health=None),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["consent_health"]
    assert "or choose to bring a test" in form.errors["consent_health"][0]
    assert 'aria-invalid="true"' in re.search(r'<input[^>]*name="consent_health"[^>]*>', html(response)).group(0)
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({}, "safety_basis", "Choose the one that applies to you."),
        ({"safety_basis": "vaccinated"}, "safety_vaccinated_on", "Give the date you completed the vaccination cycle."),
        ({"safety_basis": "recovered"}, "safety_recovered_on", "Give the date of your first positive test."),
        ({"safety_basis": "tested", "safety_test_kind": "pcr"}, "safety_taken_at", "Give the date and time"),
        ({"safety_basis": "tested", "safety_taken_at": "2021-10-01T08:00"}, "safety_test_kind", "Say which kind"),
        ({"safety_basis": "vaccinated", "safety_vaccinated_on": "2019-12-31"}, "safety_vaccinated_on", "before"),
        ({"safety_basis": "recovered", "safety_recovered_on": "01.13.2021"}, "safety_recovered_on", "valid date"),
        ({"safety_basis": "tested", "safety_taken_at": "yesterday", "safety_test_kind": "pcr"}, "safety_taken_at", ""),
        # The clocks in Warsaw went from 02:00 to 03:00 on 31 March 2024.
        (
            {"safety_basis": "tested", "safety_taken_at": "2024-03-31T02:30", "safety_test_kind": "pcr"},
            "safety_taken_at",
            "does not exist in Europe/Warsaw",
        ),
        (
            {"safety_basis": "tested", "safety_taken_at": "2021-10-01T08:00", "safety_test_kind": "saliva"},
            "safety_test_kind",
            "",
        ),
    ],
)
def test_declaration_errors_are_shown_next_to_the_right_field(client, safe_event, values, field, message):
    response = client.post(url("register", slug=safe_event.slug), declared(**values))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert not Registration.objects.exists()


def test_dates_in_the_future_and_tests_after_the_meeting_are_refused(client, safe_event):
    tomorrow = timezone.localdate(timezone=safe_event.tz) + timedelta(days=1)
    after = timezone.localtime(safe_event.ends_at, safe_event.tz) + timedelta(hours=1)
    response = client.post(
        url("register", slug=safe_event.slug), declared(safety_basis="recovered", safety_recovered_on=tomorrow)
    )
    assert response.context["form"].errors == {
        "safety_recovered_on": ["This date is in the future: give the date it happened."]
    }
    response = client.post(
        url("register", slug=safe_event.slug),
        declared(safety_basis="tested", safety_taken_at=after.strftime("%Y-%m-%dT%H:%M"), safety_test_kind="pcr"),
    )
    assert list(response.context["form"].errors) == ["safety_taken_at"]
    assert not Registration.objects.exists()


def test_values_left_behind_for_another_basis_are_ignored_and_not_stored(client, safe_event):
    first_positive = start_date(safe_event) - timedelta(days=40)
    response = client.post(
        url("register", slug=safe_event.slug),
        declared(
            safety_basis="recovered",
            safety_recovered_on=first_positive.isoformat(),
            safety_vaccinated_on="not a date",
            safety_taken_at="2021-10-01T08:00",
            safety_test_kind="pcr",
        ),
    )
    assert response.status_code == 302
    declaration = HealthDeclaration.objects.get()
    assert (declaration.basis, declaration.date, declaration.taken_at, declaration.test_kind) == (
        "recovered",
        first_positive,
        None,
        "",
    )


def test_failed_submit_keeps_the_declaration_and_shows_its_verdict(client, safe_event):
    completed = start_date(safe_event) - timedelta(days=30)
    response = client.post(
        url("register", slug=safe_event.slug),
        declared(first_name="", safety_basis="vaccinated", safety_vaccinated_on=completed.isoformat()),
    )
    page = html(response)
    assert list(response.context["form"].errors) == ["first_name"]
    assert re.search(r'value="vaccinated"[^>]*checked', page)
    assert f'value="{completed.isoformat()}"' in page
    assert 'data-outcome="meets"' in page


# -- The live verdict (htmx) and its no-JavaScript fallback ----------------------------------------


def test_live_check_returns_the_verdict_partial(client, safe_event):
    completed = start_date(safe_event) - timedelta(days=14)
    response = client.post(
        url("safety_check", slug=safe_event.slug),
        {"safety_basis": "vaccinated", "safety_vaccinated_on": completed.isoformat()},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = html(response)
    assert "<html" not in page
    assert 'data-outcome="meets"' in page
    assert "<strong>Meets the safety rule</strong>" in page
    assert "Vaccinated at least 14 days before the meeting: the rule is met." in page
    assert not Registration.objects.exists()


def test_live_check_one_day_short_does_not_meet_and_says_from_when(client, safe_event):
    completed = start_date(safe_event) - timedelta(days=13)
    response = client.post(
        url("safety_check", slug=safe_event.slug),
        {"safety_basis": "vaccinated", "safety_vaccinated_on": completed.isoformat()},
    )
    page = html(response)
    assert 'data-outcome="does_not_meet"' in page
    assert "Does not meet the safety rule" in page
    assert "the rule is met only from" in page


def test_live_check_for_bring_a_test_is_to_be_checked(client, safe_event):
    response = client.post(url("safety_check", slug=safe_event.slug), {"safety_basis": "bring_test"})
    page = html(response)
    assert 'data-outcome="to_be_checked"' in page
    assert "To be checked at the door" in page
    assert "within 48 hours before the meeting" in page


def test_live_check_explains_incomplete_input_with_status_200(client, safe_event):
    response = client.post(url("safety_check", slug=safe_event.slug), {"safety_basis": "vaccinated"})
    # 200, not 422: htmx swaps only successful answers into the live region.
    assert response.status_code == 200
    page = html(response)
    assert 'data-outcome=""' in page
    assert "Your declaration cannot be checked yet:" in page
    assert "Give the date you completed the vaccination cycle." in page


def test_live_check_escapes_what_was_typed(client, safe_event):
    response = client.post(url("safety_check", slug=safe_event.slug), {"safety_basis": SCRIPT})
    page = html(response)
    assert SCRIPT not in page
    assert ESCAPED_SCRIPT in page


def test_live_check_for_an_event_without_rule_says_so(client, event):
    response = client.post(url("safety_check", slug=event.slug), {"safety_basis": "vaccinated"})
    assert response.status_code == 200
    assert "This meeting has no safety rule" in html(response)


def test_live_check_rejects_get(client, safe_event):
    assert client.get(url("safety_check", slug=safe_event.slug)).status_code == 405


def test_live_check_is_404_for_unpublished_and_unknown_events(client, safe_event):
    safe_event.is_published = False
    safe_event.save()
    assert client.post(url("safety_check", slug=safe_event.slug), {"safety_basis": "bring_test"}).status_code == 404
    assert client.post(url("safety_check", slug="no-such-event"), {"safety_basis": "bring_test"}).status_code == 404


def test_live_check_needs_the_csrf_token(safe_event):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url("safety_check", slug=safe_event.slug), {"safety_basis": "bring_test"}).status_code == 403


def test_live_check_is_rate_limited_on_its_own(client, safe_event, settings):
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_SAFETY_CHECK = "2/m"
    settings.RATE_LIMIT_REGISTRATION = "1/m"
    cache.clear()
    try:
        statuses = [
            client.post(url("safety_check", slug=safe_event.slug), {"safety_basis": "bring_test"}).status_code
            for _n in range(3)
        ]
    finally:
        cache.clear()
    # Two checks pass although the registration budget is one: the budgets are separate.
    assert statuses == [200, 200, 429]


def test_check_button_without_javascript_shows_the_filled_form_and_registers_nobody(client, safe_event):
    completed = start_date(safe_event) - timedelta(days=20)
    response = client.post(
        url("register", slug=safe_event.slug),
        {
            "first_name": "Olena",
            "email": "",
            "safety_basis": "vaccinated",
            "safety_vaccinated_on": completed.isoformat(),
            "check_safety": "1",
        },
    )
    assert response.status_code == 200
    page = html(response)
    assert not Registration.objects.exists()
    assert 'data-outcome="meets"' in page
    assert re.search(r'<input type="text" name="first_name" value="Olena"', page)
    assert f'value="{completed.isoformat()}"' in page
    assert re.search(r'value="vaccinated"[^>]*checked', page)
    # Nothing flagged as an error: the person has not finished yet.
    assert 'id="error-summary"' not in page and 'aria-invalid="true"' not in page


def test_check_button_without_javascript_explains_incomplete_input(client, safe_event):
    response = client.post(
        url("register", slug=safe_event.slug),
        {"safety_basis": "tested", "safety_test_kind": "pcr", "check_safety": "1"},
    )
    page = html(response)
    assert "Give the date and time the test was taken." in page
    assert not Registration.objects.exists()


# -- Editing ---------------------------------------------------------------------------------------


def _vaccinated(event, days_before=30):
    completed = start_date(event) - timedelta(days=days_before)
    return submit(event, safety=SafetyInput(basis="vaccinated", date=completed), consent_health=True), completed


def test_edit_form_prefills_the_stored_declaration_and_its_verdict(client, safe_event):
    registration, completed = _vaccinated(safe_event)
    page = html(client.get(url("edit", token=registration.token)))
    assert re.search(r'value="vaccinated"[^>]*checked', page)
    assert re.search(rf'name="safety_vaccinated_on" value="{completed.isoformat()}"', page)
    assert re.search(r'name="consent_health"[^>]*checked', page)
    assert 'data-outcome="meets"' in page


def test_edit_prefills_a_test_time_in_the_events_zone(client, safe_event):
    taken = timezone.localtime(safe_event.starts_at, safe_event.tz) - timedelta(hours=5)
    registration = submit(
        safe_event, safety=SafetyInput(basis="tested", taken_at=taken, test_kind="pcr"), consent_health=True
    )
    page = html(client.get(url("edit", token=registration.token)))
    assert f'name="safety_taken_at" value="{taken.strftime("%Y-%m-%dT%H:%M")}"' in page
    assert re.search(r'value="pcr"[^>]*checked', page)


def test_edit_without_changes_keeps_the_declaration(client, safe_event):
    registration, completed = _vaccinated(safe_event)
    post = declared(safety_basis="vaccinated", safety_vaccinated_on=completed.isoformat())
    post.pop("email")
    post.pop("consent_processing")
    response = client.post(url("edit", token=registration.token), post)
    assert response.status_code == 302, response.context["form"].errors
    registration.refresh_from_db()
    assert registration.health_declaration.date == completed
    assert registration.safety_verdict == "meets"


def test_edit_to_bring_a_test_deletes_the_declaration(client, safe_event):
    registration, _completed = _vaccinated(safe_event)
    post = valid_post(safety_basis="bring_test")
    post.pop("email")
    response = client.post(url("edit", token=registration.token), post)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert not HealthDeclaration.objects.exists()
    assert registration.safety_verdict == SafetyVerdict.TO_BE_CHECKED


def test_edit_of_a_registration_without_declaration_preselects_bring_a_test(client, safe_event):
    registration = submit(safe_event)
    page = html(client.get(url("edit", token=registration.token)))
    assert re.search(r'value="bring_test"[^>]*checked', page)
    assert 'data-outcome="to_be_checked"' in page


def test_edit_check_button_saves_nothing(client, safe_event):
    registration, completed = _vaccinated(safe_event)
    response = client.post(
        url("edit", token=registration.token),
        {
            "safety_basis": "vaccinated",
            "safety_vaccinated_on": (completed + timedelta(days=20)).isoformat(),
            "check_safety": "1",
        },
    )
    assert response.status_code == 200
    assert 'data-outcome="does_not_meet"' in html(response)
    assert response.headers["Referrer-Policy"] == "strict-origin"
    registration.refresh_from_db()
    assert registration.health_declaration.date == completed


# -- Received and personal pages -------------------------------------------------------------------


def test_received_page_shows_the_basis_and_the_verdict(client, safe_event):
    registration, completed = _vaccinated(safe_event, days_before=13)
    page = html(client.get(url("received", token=registration.token)))
    assert '<h2 id="safety-title">Safety rule</h2>' in page
    assert "<dt>Basis</dt><dd>Vaccinated</dd>" in page
    assert "<dt>Vaccination cycle completed on</dt>" in page
    assert 'data-outcome="does_not_meet"' in page
    assert "Does not meet the safety rule." in page


def test_personal_page_shows_the_test_and_its_verdict(client, safe_event):
    taken = timezone.localtime(safe_event.starts_at, safe_event.tz) - timedelta(hours=5)
    registration = submit(
        safe_event, safety=SafetyInput(basis="tested", taken_at=taken, test_kind="antigen"), consent_health=True
    )
    page = html(client.get(url("personal", token=registration.token)))
    assert "<dt>Basis</dt><dd>Tested</dd>" in page
    assert "<dt>Kind of test</dt><dd>Rapid antigen test</dd>" in page
    assert "(Europe/Warsaw)" in page
    assert 'data-outcome="meets"' in page
    assert "Meets the safety rule." in page


def test_personal_page_for_bring_a_test_says_it_will_be_checked(client, safe_event):
    registration = submit(safe_event)
    page = html(client.get(url("personal", token=registration.token)))
    assert "You will bring a test result to the meeting" in page
    assert 'data-outcome="to_be_checked"' in page
    assert "To be checked at the door." in page


def test_personal_page_after_the_declaration_was_deleted_keeps_only_the_verdict(client, safe_event):
    registration, _completed = _vaccinated(safe_event)
    HealthDeclaration.objects.all().delete()  # what the scheduled purge does after the event
    page = html(client.get(url("personal", token=registration.token)))
    assert "<dt>Basis</dt>" not in page
    assert "Meets the safety rule. Your health declaration has been deleted" in page


def test_pages_of_an_event_without_rule_say_nothing_about_it(client, event):
    registration = submit(event)
    for name in ("received", "personal"):
        assert 'id="safety-title"' not in html(client.get(url(name, token=registration.token)))


def test_organiser_names_in_the_health_consent_are_escaped(client, safe_event):
    safe_event.co_organisers.set([OrganisationFactory(name=SCRIPT)])
    page = html(client.get(url("register", slug=safe_event.slug)))
    assert SCRIPT not in page
    assert ESCAPED_SCRIPT in page


def test_without_javascript_enter_sends_the_form_not_the_declaration_check(client, safe_event):
    # Enter in a field presses the form's first submit button (HTML's implicit submission): it must
    # be the one that sends, not "Check my declaration" of the safety section further down.
    page = html(client.get(url("register", slug=safe_event.slug)))
    form = page[page.index('<form method="post" novalidate class="form-steps"') :]
    first_submit = re.search(r'<button type="submit"[^>]*>', form).group(0)
    assert "data-default-submit" in first_submit
    assert "name=" not in first_submit  # sends the registration, as the visible button does
    assert form.index("data-default-submit") < form.index('name="check_safety"')
