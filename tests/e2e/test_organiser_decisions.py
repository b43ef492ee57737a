"""An organiser decides on a laptop: accept, see the undo, undo, accept again; then a bulk
decision through its confirmation page. The screenshots illustrate docs/organiser-guide.md."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.notifications.models import EmailStatus
from civicmeet.registrations.models import LogEntry, Registration, State
from civicmeet.registrations.services import UNDONE_ACTION
from civicmeet.registrations.tests.factories import submit

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page) -> None:
    page.goto("/en/accounts/login/")
    page.fill("#id_username", "anna@zustricz.example.org")
    page.fill("#id_password", "correct horse battery staple")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/manage/")


def test_organiser_accepts_undoes_accepts_again_and_confirms_a_bulk_decision(desktop, axe_check, screenshot, settings):
    settings.DECISION_UNDO_SECONDS = 600  # a slow browser must not miss the window
    page = desktop
    organiser = UserFactory(email="anna@zustricz.example.org")
    event = EventFactory(organisers=[organiser], slug="spotkanie-sieciujace", capacity=3)
    marjana = submit(event, first_name="Mar'yana", last_name="Shevchuk", email="maryana@example.org")
    others = [
        submit(event, first_name="Iryna", last_name="Bondar", organisation_name="Fundacja Nasz Wybór"),
        submit(event, first_name="Sara", last_name="Goldberg", organisation_name="Stowarzyszenie Czulent"),
        submit(event, first_name="Ahmed", last_name="Nasser", organisation_name="Fundacja Ocalenie"),
    ]
    _log_in(page)

    page.goto(f"/en/manage/events/{event.slug}/registrations/{marjana.pk}/")
    reject = page.get_by_role("button", name="Reject and tell them")
    expect(reject).to_have_class("btn btn-danger")
    expect(page.get_by_role("button", name="Put on the waiting list and tell them")).to_have_class("btn btn-secondary")
    axe_check(page)
    screenshot(page, "organiser-registration")

    page.get_by_role("button", name="Accept and tell them").click()
    done = page.locator("#decision-done")
    expect(done).to_contain_text("Mar'yana Shevchuk is accepted; the email goes out at")
    expect(page.get_by_role("link", name="Next registration waiting for a decision").first).to_be_visible()
    expect(page.get_by_role("button", name="Put on the waiting list and tell them")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel the registration and tell them")).to_have_class("btn btn-danger")
    axe_check(page)
    screenshot(page, "organiser-decision-undo")
    email = LogEntry.objects.filter(registration=marjana).latest("id").email
    assert email.status == EmailStatus.PENDING

    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("Undone: Mar'yana Shevchuk is back to")).to_be_visible()
    expect(page.locator("#decision-done")).to_have_count(0)
    assert Registration.objects.get(pk=marjana.pk).state == State.SUBMITTED
    email.refresh_from_db()
    assert email.status == EmailStatus.WITHDRAWN
    assert LogEntry.objects.filter(registration=marjana, action=UNDONE_ACTION).exists()

    page.get_by_role("button", name="Accept and tell them").click()
    expect(page.locator("#decision-done")).to_contain_text("is accepted")
    assert Registration.objects.get(pk=marjana.pk).state == State.ACCEPTED

    # Bulk: select everyone waiting, choose accept, read the consequences, confirm.
    page.goto(f"/en/manage/events/{event.slug}/")
    for person in others:
        page.locator(f"#select-{person.pk}").check()
    page.fill("#bulk-message", "Do zobaczenia w Krakowie!")
    axe_check(page)
    screenshot(page, "organiser-bulk-select")
    page.locator("#bulk-decision").get_by_role("button", name="Accept…").click()
    expect(page.get_by_role("heading", name="Accept 2 people?")).to_be_visible()
    expect(page.locator("#seats-after")).to_contain_text("2 now, 0 after (capacity 3)")
    expect(page.locator("#bulk-people")).to_contain_text("No seats left")
    expect(page.locator("#bulk-message-preview")).to_have_text("Do zobaczenia w Krakowie!")
    assert set(Registration.objects.filter(pk__in=[p.pk for p in others]).values_list("state", flat=True)) == {
        State.SUBMITTED
    }
    axe_check(page)
    screenshot(page, "organiser-bulk-confirm")
    page.get_by_role("button", name="Accept 2 people and tell them").click()
    expect(page.get_by_text("Accepted: 2. Left unchanged: 1, because:")).to_be_visible()
    states = [Registration.objects.get(pk=p.pk).state for p in others]
    assert states == [State.ACCEPTED, State.ACCEPTED, State.SUBMITTED]
