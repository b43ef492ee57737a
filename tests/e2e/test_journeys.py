"""The core journey in a real browser: a Ukrainian-speaking participant registers on a phone, an
organiser accepts them, and the decision email reaches them with a calendar file.

The screenshots taken here illustrate docs/organiser-guide.md and the README.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from playwright.sync_api import expect

from civicmeet.events.models import Event
from civicmeet.registrations.models import Registration, State

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "spotkanie-sieciujace-krakow"
DESKTOP = {"width": 1280, "height": 900}


def assert_fits_phone(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways on a 360-px phone ({width} px)"


@pytest.fixture
def demo(capsys):
    call_command("load_demo")
    capsys.readouterr()
    mail.outbox.clear()


def _fill_registration(page) -> None:
    """The form in its steps (static/js/form-steps.js): each section, then Next."""
    page.fill("#id_first_name", "Мар'яна")
    page.fill("#id_last_name", "Шевчук")
    page.fill("#id_email", "maryana.shevchuk@example.org")
    page.fill("#id_phone", "+48 512 345 678")
    page.check("input[name=language][value=uk]")
    page.locator("[data-steps-next]").click()
    page.fill("#id_organisation_name", "Fundacja Zustricz")
    page.check("input[name=organisation_type][value=migrant]")
    page.fill("#id_organisation_role", "координаторка проєктів")
    page.locator("[data-steps-next]").click()
    page.check("input[name=dietary][value=halal]")
    page.fill("#id_interpreting_needs", "переклад з польської на українську")
    page.check("input[name=q_lunch][value=yes]")
    page.locator("[data-steps-next]").click()
    if page.locator("#section-safety").is_visible():
        # The demo's safety rule: nothing declared now, a test brought to the meeting.
        page.check("input[name=safety_basis][value=bring_test]")
        page.locator("[data-steps-next]").click()
    page.check("#id_consent_processing")


def test_ukrainian_participant_registers_and_organiser_accepts(
    demo, page, browser, base_url, axe_check, screenshot, settings
):
    # The decision's email waits out the undo window (tests/e2e/test_organiser_decisions.py walks
    # that); here it goes out at once, so the journey can follow it to the participant.
    settings.DECISION_UNDO_SECONDS = 0
    # 1. The event page, in Ukrainian, on a phone.
    page.goto(f"/uk/e/{SLUG}/")
    assert page.locator("html").get_attribute("lang") == "uk"
    title_uk = Event.objects.get(slug=SLUG).title["uk"]
    expect(page.locator("h1")).to_have_text(title_uk)
    axe_check(page)
    assert_fits_phone(page)
    screenshot(page, "event-page-uk")

    # 2. The form: a mistake first, then a complete registration.
    page.locator(f"a[href='/uk/e/{SLUG}/register/']").first.click()
    page.wait_for_url(f"**/uk/e/{SLUG}/register/")
    page.fill("#id_first_name", "Мар'яна")
    page.fill("#id_email", "not-an-email")
    page.locator("[data-steps-next]").click()
    # The step is checked before going on: the error next to the field, the step still open.
    expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_first_name")).to_have_value("Мар'яна")  # nothing typed is lost
    axe_check(page)
    assert_fits_phone(page)
    _fill_registration(page)
    screenshot(page, "registration-form-uk")
    page.locator("[data-steps-submit] button[type=submit]").click()

    # 3. Received: plainly not yet an admission, with the personal link; an email in Ukrainian.
    page.wait_for_url(re.compile(r"/uk/r/[^/]+/received/$"))
    expect(page.locator("h1")).to_have_text("Заявку отримано")
    axe_check(page)
    assert_fits_phone(page)
    screenshot(page, "registration-received-uk")
    registration = Registration.objects.get(email="maryana.shevchuk@example.org")
    assert registration.state == State.SUBMITTED
    assert registration.language == "uk"
    assert registration.phone == "+48512345678"
    assert registration.answers == {"lunch": True}
    assert registration.last_name == "Шевчук"
    received = mail.outbox[-1]
    assert received.to == ["maryana.shevchuk@example.org"]
    assert received.extra_headers["Content-Language"] == "uk"
    assert received.subject == f"Заявку отримано (ще не підтверджено): {title_uk}"
    assert "ЩЕ НЕ означає, що вас прийнято до участі" in " ".join(received.body.split())
    assert registration.token in received.body

    # 4. An organiser, on a laptop, accepts with a message.
    context = browser.new_context(base_url=base_url, viewport=DESKTOP)
    organiser = context.new_page()
    organiser.goto("/en/accounts/login/")
    organiser.fill("#id_username", "organiser@civicmeet.local")
    organiser.fill("#id_password", "civicmeet-demo")
    organiser.locator("main form button[type=submit]").click()
    # Logged in once the login's answer has arrived (going on at once would cancel it).
    organiser.wait_for_url("**/en/manage/")
    organiser.goto(f"/en/manage/events/{SLUG}/")
    axe_check(organiser)
    screenshot(organiser, "organiser-dashboard")
    organiser.get_by_role("link", name=re.compile("Мар'яна")).first.click()
    # The dashboard has a message box and an accept button of its own (the bulk decision): only
    # on the registration's own page are they hers.
    organiser.wait_for_url(re.compile(rf"/en/manage/events/{SLUG}/registrations/{registration.pk}/$"))
    organiser.fill("textarea[name=message]", "Чекаємо на вас! Обід о 13:00.")
    screenshot(organiser, "organiser-registration-detail")
    organiser.locator("button[name=decision][value=accept]").click()
    # The decision is taken once the page says so (it answers with the same address).
    expect(organiser.locator("main [data-status=accepted]").first).to_be_visible()
    axe_check(organiser)
    registration.refresh_from_db()
    assert registration.state == State.ACCEPTED
    entry = registration.log.last()
    assert (entry.from_state, entry.to_state, entry.actor.email) == (
        State.SUBMITTED,
        State.ACCEPTED,
        "organiser@civicmeet.local",
    )

    # 5. The decision email: in Ukrainian, with the organisers' message and a calendar file.
    accepted = mail.outbox[-1]
    assert accepted.to == ["maryana.shevchuk@example.org"]
    assert "Чекаємо на вас! Обід о 13:00." in accepted.body
    assert accepted.subject == f"Вас прийнято до участі: {title_uk}"
    (filename, content, mimetype) = accepted.attachments[0]
    assert filename.endswith(".ics") and mimetype == "text/calendar" and "BEGIN:VEVENT" in content

    # 6. The participant follows the link in the email and sees the decision and its history.
    personal_url = re.search(r"https?://\S+/r/[\w-]+/", accepted.body).group(0)
    page.goto(urlsplit(personal_url).path)  # the email's host is SITE_URL; the test server differs
    assert "/uk/r/" in page.url
    expect(page.locator("[data-state=accepted] [data-status=accepted]")).to_have_count(1)
    assert "Чекаємо на вас!" in page.content()
    axe_check(page)
    assert_fits_phone(page)
    screenshot(page, "personal-page-uk")

    # 7. The language switcher keeps the page (the browser itself prefers English here).
    page.locator(".language-switcher a[hreflang=pl]").click()
    page.wait_for_url(re.compile(r"/pl/r/[^/]+/$"))
    assert page.locator("html").get_attribute("lang") == "pl"
    context.close()
