"""The safety rule's live verdict in a real browser, in Polish, on a phone: the verdict appears as the
participant types, without a page load and without registering anyone.

The screenshot illustrates the registration form's safety section in the documentation.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicmeet.eligibility import SafetyPolicy
from civicmeet.events.tests.factories import EventFactory, OrganisationFactory
from civicmeet.registrations.models import Registration

pytestmark = pytest.mark.django_db(transaction=True)

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def meeting():
    """The invitation's meeting with its safety rule, starting in three days at 10:00 in Kraków."""
    start = datetime.combine(timezone.localdate(timezone=WARSAW) + timedelta(days=3), time(10), tzinfo=WARSAW)
    event = EventFactory(
        slug="spotkanie-sieciujace-krakow",
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        registration_closes_at=start - timedelta(hours=12),
        safety_policy=SafetyPolicy().to_data(),
    )
    event.co_organisers.set(
        [OrganisationFactory(name="Fundacja Zustricz"), OrganisationFactory(name="Żydowskie Stowarzyszenie Czulent")]
    )
    return event


def _declare_vaccination(page, completed) -> None:
    page.fill("#id_safety_vaccinated_on", completed.isoformat())
    # Leaving the field is what commits a typed date (and fires `change`) on a phone.
    page.locator("#id_safety_vaccinated_on").blur()


def test_polish_participant_sees_the_verdict_while_typing(meeting, page, axe_check, screenshot):
    page.goto(f"/pl/e/{meeting.slug}/register/")
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.locator("h1").inner_text() == meeting.title["pl"]
    form_url = page.url
    # A marker that a page load would wipe out: the verdicts below must arrive without one.
    page.evaluate("() => { window.__noReload = true; }")
    verdict = page.locator("#safety-verdict .verdict")
    start = timezone.localtime(meeting.starts_at, WARSAW).date()
    # The form's steps: about you, the organisation, needs, then the safety rule.
    page.fill("#id_first_name", "Ewa")
    page.fill("#id_last_name", "Nowak")
    page.fill("#id_email", "ewa.nowak@example.org")
    page.locator("[data-steps-next]").click()
    page.fill("#id_organisation_name", "Stowarzyszenie Romów w Polsce")
    page.check("input[name=organisation_type][value=ethnic_minority]")
    page.locator("[data-steps-next]").click()
    page.locator("[data-steps-next]").click()
    expect(page.locator("#section-safety")).to_be_visible()

    # Vaccinated 20 days before the start: meets the rule.
    page.check("input[name=safety_basis][value=vaccinated]")
    _declare_vaccination(page, start - timedelta(days=20))
    expect(verdict).to_have_attribute("data-outcome", "meets")
    expect(verdict).to_contain_text("Spełnia zasadę bezpieczeństwa")
    assert page.locator("#safety-verdict").get_attribute("aria-live") == "polite"

    # Only 5 days before the start: does not meet it.
    _declare_vaccination(page, start - timedelta(days=5))
    expect(verdict).to_have_attribute("data-outcome", "does_not_meet")
    expect(verdict).to_contain_text("Nie spełnia zasady bezpieczeństwa")
    expect(verdict).to_contain_text("zasada jest spełniona dopiero od")

    # "I will bring a test": to be checked at the door.
    page.check("input[name=safety_basis][value=bring_test]")
    expect(verdict).to_have_attribute("data-outcome", "to_be_checked")
    expect(verdict).to_contain_text("Do sprawdzenia przy wejściu")

    assert page.url == form_url
    assert page.evaluate("() => window.__noReload === true")
    assert page.locator("html").get_attribute("lang") == "pl"
    assert Registration.objects.count() == 0
    axe_check(page)
    # The safety section with its verdict, as the phone shows it (not the whole long form).
    page.locator("#id_safety_basis_field").scroll_into_view_if_needed()
    screenshot(page, "safety-live-verdict-pl", full_page=False)
