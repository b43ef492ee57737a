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


def test_organiser_creates_publishes_and_adds_questions_in_place(desktop, axe_check, screenshot):
    page = desktop
    UserFactory(email="anna@zustricz.example.org")
    OrganisationFactory(name="Fundacja Zustricz", type=OrganisationType.MIGRANT)
    page.goto("/en/accounts/login/")
    page.fill("#id_username", "anna@zustricz.example.org")
    page.fill("#id_password", "correct horse battery staple")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/en/manage/")

    page.goto("/en/manage/events/new/")
    # The address is proposed from the title while typing (static/js/event-form.js).
    page.locator("#id_title_0").press_sequentially("Warsztaty rzecznicze")
    expect(page.locator("#id_slug")).to_have_value("warsztaty-rzecznicze")
    page.fill("#id_title_1", "Адвокаційний воркшоп для організацій меншин")
    page.fill("#id_title_2", "Advocacy workshop for minority organisations")
    # The usual time zones come first; pick Kyiv's.
    assert page.locator("#id_timezone optgroup").first.get_attribute("label") == "Usual time zones"
    page.select_option("#id_timezone", "Europe/Kyiv")
    page.fill("#id_starts_at", "2030-03-10T10:00")
    page.fill("#id_ends_at", "2030-03-10T16:00")
    page.fill("#id_registration_opens_at", "2026-01-01T09:00")
    page.fill("#id_registration_closes_at", "2030-03-05T23:59")
    # Only the fallback language's long texts are open.
    expect(page.locator("#id_venue_0")).to_be_visible()
    expect(page.locator("#id_description_1")).to_be_hidden()
    page.fill("#id_venue_0", "Kraków, ul. Józefa 36")
    page.fill("#id_capacity", "25")
    page.fill("#id_seats_per_organisation", "2")
    for claim in ("#id_is_free", "#id_provides_materials", "#id_provides_catering"):
        expect(page.locator(claim)).not_to_be_checked()  # nothing promised unless ticked
    page.check("#id_is_free")
    page.get_by_label("Fundacja Zustricz").check()
    axe_check(page)
    screenshot(page, "organiser-event-form")
    page.locator("#section-rules").scroll_into_view_if_needed()
    screenshot(page, "organiser-event-form-rules")
    page.get_by_role("button", name="Create the event").click()
    page.wait_for_url("**/manage/events/warsztaty-rzecznicze/edit/")

    event = Event.objects.get(slug="warsztaty-rzecznicze")
    assert event.title["uk"] == "Адвокаційний воркшоп для організацій меншин"
    assert (event.capacity, event.seats_per_organisation, event.is_published) == (25, 2, False)
    assert (event.is_free, event.provides_materials, event.provides_catering) == (True, False, False)
    assert event.timezone == "Europe/Kyiv"
    assert event.local(event.starts_at).hour == 10  # read in the event's time zone
    assert list(event.co_organisers.values_list("name", flat=True)) == ["Fundacja Zustricz"]

    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The event is published")).to_be_visible()
    expect(page.get_by_role("button", name="Unpublish", exact=True)).to_be_visible()
    event.refresh_from_db()
    assert event.is_published

    # Questions added and reordered in place (htmx swaps the rows; nothing typed is lost).
    page.goto("/en/manage/events/warsztaty-rzecznicze/questions/")
    page.fill("#id_questions-0-label_0", "Jakie masz potrzeby dotyczące dostępności?")
    page.fill("#id_questions-0-label_2", "Any accessibility needs?")
    page.select_option("#id_questions-0-kind", QuestionKind.LONG_TEXT)
    page.get_by_role("button", name="Add a question").click()
    new_label = page.locator("#id_questions-1-label_0")
    expect(new_label).to_be_focused()  # typing goes on in the new row
    expect(page.locator("#id_questions-0-label_2")).to_have_value("Any accessibility needs?")
    new_label.fill("Czy weźmiesz udział w lunchu roboczym?")
    page.fill("#id_questions-1-label_1", "Чи візьмете ви участь у робочому обіді?")
    page.fill("#id_questions-1-label_2", "Will you join the working lunch?")
    page.select_option("#id_questions-1-kind", QuestionKind.YES_NO)
    page.check("#id_questions-1-required")
    page.check("#id_questions-1-counts_for_catering")
    page.locator("#questions-1-up").click()  # the lunch question first
    expect(page.locator("#id_questions-0-label_2")).to_have_value("Will you join the working lunch?")
    expect(page.locator("#id_questions-1-label_2")).to_have_value("Any accessibility needs?")
    expect(page.locator("#questions-0-down")).to_be_focused()
    expect(page.locator("#id_questions-0-counts_for_catering")).to_be_checked()
    axe_check(page)
    screenshot(page, "organiser-event-form-questions")
    page.get_by_role("button", name="Save the questions").click()
    expect(page.get_by_text("The questions were saved.")).to_be_visible()
    lunch, needs = event.questions.all()
    assert (lunch.kind, lunch.required, lunch.counts_for_catering, lunch.label["en"]) == (
        QuestionKind.YES_NO,
        True,
        True,
        "Will you join the working lunch?",
    )
    assert (needs.kind, needs.position) == (QuestionKind.LONG_TEXT, 1)
    screenshot(page, "organiser-questions")

    # The public page now offers registration, and the form asks the new question in Ukrainian.
    page.goto("/uk/e/warsztaty-rzecznicze/register/")
    assert "Чи візьмете ви участь у робочому обіді?" in page.content()
    axe_check(page)
