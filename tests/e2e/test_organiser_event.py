"""An organiser sets up a new event in the browser: the form, publishing, a custom question.

The screenshots illustrate docs/organiser-guide.md.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from civicmeet.events.models import Event, QuestionKind
from civicmeet.events.tests.factories import OrganisationFactory, UserFactory
from civicmeet.organisations.models import OrganisationType

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def desktop(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport=DESKTOP)
    yield context.new_page()
    context.close()


def test_organiser_creates_publishes_and_adds_a_question(desktop, axe_check, screenshot):
    page = desktop
    UserFactory(email="anna@zustricz.example.org")
    OrganisationFactory(name="Fundacja Zustricz", type=OrganisationType.MIGRANT)
    page.goto("/en/accounts/login/")
    page.fill("#id_username", "anna@zustricz.example.org")
    page.fill("#id_password", "correct horse battery staple")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/manage/")

    page.goto("/en/manage/events/new/")
    page.fill("#id_slug", "warsztaty-rzecznicze")
    page.fill("#id_title_0", "Warsztaty rzecznicze dla organizacji mniejszości")
    page.fill("#id_title_1", "Адвокаційний воркшоп для організацій меншин")
    page.fill("#id_title_2", "Advocacy workshop for minority organisations")
    page.fill("#id_venue_0", "Kraków, ul. Józefa 36")
    page.fill("#id_starts_at", "2030-03-10T10:00")
    page.fill("#id_ends_at", "2030-03-10T16:00")
    page.fill("#id_registration_opens_at", "2026-01-01T09:00")
    page.fill("#id_registration_closes_at", "2030-03-05T23:59")
    page.fill("#id_capacity", "25")
    page.fill("#id_seats_per_organisation", "2")
    page.get_by_label("Fundacja Zustricz").check()
    axe_check(page)
    screenshot(page, "organiser-event-form")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url("**/manage/events/warsztaty-rzecznicze/edit/")

    event = Event.objects.get(slug="warsztaty-rzecznicze")
    assert event.title["uk"] == "Адвокаційний воркшоп для організацій меншин"
    assert (event.capacity, event.seats_per_organisation, event.is_published) == (25, 2, False)
    assert event.local(event.starts_at).hour == 10  # read in the event's time zone
    assert list(event.co_organisers.values_list("name", flat=True)) == ["Fundacja Zustricz"]

    page.get_by_role("button", name="Publish").click()
    # Published once the page says so (it answers with the same address).
    expect(page.get_by_text("The event is published")).to_be_visible()
    expect(page.get_by_role("button", name="Unpublish", exact=True)).to_be_visible()
    event.refresh_from_db()
    assert event.is_published

    page.goto("/en/manage/events/warsztaty-rzecznicze/questions/")
    page.fill("#id_questions-0-label_0", "Czy weźmiesz udział w lunchu roboczym?")
    page.fill("#id_questions-0-label_1", "Чи візьмете ви участь у робочому обіді?")
    page.fill("#id_questions-0-label_2", "Will you join the working lunch?")
    page.select_option("#id_questions-0-kind", QuestionKind.YES_NO)
    page.check("#id_questions-0-required")
    axe_check(page)
    screenshot(page, "organiser-questions")
    page.get_by_role("button", name="Save the questions").click()
    expect(page.get_by_text("The questions were saved.")).to_be_visible()
    question = event.questions.get()
    assert (question.kind, question.required, question.label["en"]) == (
        QuestionKind.YES_NO,
        True,
        "Will you join the working lunch?",
    )

    # The public page now offers registration, and the form asks the new question in Ukrainian.
    page.goto("/uk/e/warsztaty-rzecznicze/register/")
    assert "Чи візьмете ви участь у робочому обіді?" in page.content()
    axe_check(page)
