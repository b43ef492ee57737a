"""The ticket on the personal page, on a phone: the QR code as the page draws it at 360 px decodes
to the ticket's code (read by the same scanner library the desk uses), in pl / uk / en, with axe."""

from __future__ import annotations

import base64

import pytest
from playwright.sync_api import expect

from civicmeet.checkin.tickets import ticket_code
from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.registrations.services import registration_decide
from civicmeet.registrations.tests.factories import submit

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["pl", "uk", "en"]
# What a desk's camera needs: the code fills at least this many CSS pixels across (41 modules of a
# version-6 code at >= 6 px each, the quiet zone included).
MIN_QR_PX = 240

DECODE = """async ([png, workerUrl]) => {
    const engine = new Worker(workerUrl);
    try {
        const result = await QrScanner.scanImage(png, {qrEngine: engine, returnDetailedScanResult: true});
        return result.data;
    } finally {
        engine.terminate();
    }
}"""


def _assert_fits_phone(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways on a 360-px phone ({width} px)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_ticket_on_a_phone_decodes_to_its_code(page, axe_check, screenshot, language):
    organiser = UserFactory(email="anna@zustricz.example.org")
    event = EventFactory(organisers=[organiser])
    registration = submit(
        event, first_name="Олена", last_name="Коваленко", organisation_name="Fundacja Zustricz", language=language
    )
    registration = registration_decide(registration=registration, decision="accept", actor=organiser)
    code = ticket_code(registration)

    page.goto(f"/{language}/r/{registration.token}/#ticket")

    ticket = page.locator("[data-ticket]")
    expect(ticket).to_contain_text("Олена Коваленко")
    expect(ticket).to_contain_text("Fundacja Zustricz")
    expect(ticket.locator(".ticket-code code")).to_have_text(code)
    qr = ticket.locator("[data-ticket-qr] svg")
    box = qr.bounding_box()
    assert box is not None
    assert box["width"] >= MIN_QR_PX and abs(box["width"] - box["height"]) < 1, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    _assert_fits_phone(page)
    axe_check(page)

    png = base64.b64encode(qr.screenshot(animations="disabled")).decode("ascii")
    page.add_script_tag(url="/static/vendor/qr-scanner/qr-scanner.umd.min.js")
    decoded = page.evaluate(DECODE, [f"data:image/png;base64,{png}", "/static/vendor/qr-scanner/qr-scanner-worker.js"])
    assert decoded == code
    if language == "uk":
        ticket.scroll_into_view_if_needed()
        screenshot(page, "ticket-personal-page-uk", full_page=False)
