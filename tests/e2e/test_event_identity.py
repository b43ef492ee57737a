"""The event's identity in a phone's browser: the cover, the co-organisers' logos and the
organisers' contact on the event page; an organiser uploading a cover on the identity page.

The screenshots illustrate docs/organiser-guide.md.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from civicmeet.core.images import COVER, LOGO, process_image
from civicmeet.core.tests.test_images import photo_with_gps
from civicmeet.demo import pictures
from civicmeet.events.models import Event
from civicmeet.events.services import event_identity_update
from civicmeet.events.tests.factories import EventFactory, OrganisationFactory, UserFactory
from civicmeet.organisations.models import OrganisationType

pytestmark = pytest.mark.django_db(transaction=True)


def assert_fits_phone(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways on a 360-px phone ({width} px)"


@pytest.fixture
def organiser():
    return UserFactory(email="anna@zustricz.example.org")


@pytest.fixture
def event(organiser):
    event = EventFactory(organisers=[organiser], slug="spotkanie-sieciujace-krakow")
    zustricz = OrganisationFactory(name="Fundacja Zustricz", type=OrganisationType.MIGRANT)
    czulent = OrganisationFactory(name="Żydowskie Stowarzyszenie Czulent", type=OrganisationType.NATIONAL_MINORITY)
    event.co_organisers.set([zustricz, czulent])
    return event_identity_update(
        event=event,
        contact={
            "contact_email": "spotkanie@zustricz.example.org",
            "contact_phone": "+48 12 422 33 44",
            "contact_languages": ["pl", "uk", "en"],
        },
        cover=process_image(pictures.cover_png(), COVER),
        logos={
            zustricz.pk: process_image(pictures.zustricz_logo_png(), LOGO),
            czulent.pk: process_image(pictures.czulent_logo_png(), LOGO),
        },
        actor=organiser,
    )


def test_event_page_on_a_phone_shows_cover_logos_and_contact(page, event, axe_check, screenshot):
    page.goto(f"/uk/e/{event.slug}/")
    cover = page.locator("img.event-cover")
    expect(cover).to_be_visible()
    # The browser chose a size from srcset and loaded it (a 2× phone 360 px wide: the 960-px one).
    page.wait_for_function("() => document.querySelector('img.event-cover').complete")
    chosen, shown = cover.evaluate("img => [img.currentSrc, img.getBoundingClientRect().width]")
    assert chosen.endswith(f"/images/{event.cover.variants.get(width=960).digest}.webp"), chosen
    assert shown <= 360
    logos = page.locator("img.event-logo")
    expect(logos).to_have_count(2)
    expect(page.get_by_role("img", name="Fundacja Zustricz")).to_be_visible()
    expect(page.get_by_role("img", name="Żydowskie Stowarzyszenie Czulent")).to_be_visible()
    contact = page.locator(".contact-card")
    expect(contact.locator("a[href='mailto:spotkanie@zustricz.example.org']")).to_be_visible()
    expect(contact.locator("a[href='tel:+48124223344']")).to_have_text("+48 12 422 33 44")
    expect(contact.locator("span[lang=uk]")).to_have_text("Українська")
    axe_check(page)
    assert_fits_phone(page)
    screenshot(page, "event-identity-uk")


def test_organiser_uploads_a_cover_on_a_phone(page, organiser, axe_check, screenshot):
    event = EventFactory(organisers=[organiser], slug="warsztaty-rzecznicze")
    event.co_organisers.set([OrganisationFactory(name="Fundacja Zustricz", type=OrganisationType.MIGRANT)])
    page.goto("/pl/accounts/login/")
    page.fill("#id_username", "anna@zustricz.example.org")
    page.fill("#id_password", "correct horse battery staple")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/pl/manage/")
    page.goto(f"/pl/manage/events/{event.slug}/identity/")
    axe_check(page)
    assert_fits_phone(page)
    # A wrong file first: the error is next to the field, in Polish.
    page.set_input_files("#id_cover", files=[{"name": "umowa.jpg", "mimeType": "image/jpeg", "buffer": b"%PDF-1.4"}])
    page.fill("#id_contact_email", "kontakt@zustricz.example.org")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_cover")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_cover_field .errorlist")).to_contain_text("Nie możemy odczytać tego pliku jako obrazu")
    expect(page.locator("#id_contact_email")).to_have_value("kontakt@zustricz.example.org")  # kept
    axe_check(page)
    assert_fits_phone(page)
    # Then a phone photo with its GPS position: saved, shown, stripped.
    page.set_input_files(
        "#id_cover", files=[{"name": "zdjecie.jpg", "mimeType": "image/jpeg", "buffer": photo_with_gps()}]
    )
    page.locator("main form button[type=submit]").click()
    expect(page.locator("figure.identity-preview img")).to_be_visible()
    event = Event.objects.get(pk=event.pk)
    assert event.contact_email == "kontakt@zustricz.example.org"
    assert event.cover is not None and event.cover.variants.count() == 3
    assert all(b"ExampleCam" not in bytes(variant.data) for variant in event.cover.variants.all())
    axe_check(page)
    assert_fits_phone(page)
    screenshot(page, "event-identity-organiser-pl")
