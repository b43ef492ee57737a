"""The documents on a phone (360 px), in pl/uk/en with axe-core: the organisers' documents page,
a badge sheet built in the background (its status page while it is made and when it is ready, the
download read back as text), and the participant's certificate from their personal page. The
badge sheet and a certificate are rendered from the downloaded PDFs with pdftoppm into
docs/screenshots/ (badges-sheet.png, certificate-uk.png)."""

from __future__ import annotations

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from civicmeet.checkin.documents import jobs
from civicmeet.checkin.tests.documents_helpers import AVRAHAM, LUCJA, OLENA, in_order, pdf_text, requires_pdf
from civicmeet.checkin.tests.factories import accepted, checked_in
from civicmeet.events.models import Event
from civicmeet.events.tests.factories import EventFactory, UserFactory
from civicmeet.organisations.models import Organisation

from .conftest import SCREENSHOTS
from .test_every_page import _problems

pytestmark = [pytest.mark.django_db(transaction=True), requires_pdf]

SLUG = "spotkanie-sieciujace"


@pytest.fixture
def world():
    organiser = UserFactory(email="anna@zustricz.example.org", first_name="Anna", last_name="Kowalska")
    event = EventFactory(organisers=[organiser], slug=SLUG)
    olena = checked_in(event, organiser, **OLENA).registration
    checked_in(event, organiser, **LUCJA)
    accepted(event, organiser, **AVRAHAM)
    event.co_organisers.add(
        Organisation.objects.get(name="Fundacja Zustricz"),
        Organisation.objects.get(name="Żydowskie Stowarzyszenie Czulent"),
    )
    return {"organiser": organiser, "event": event, "olena": olena}


def end(event) -> None:
    start = timezone.now() - timedelta(days=1)
    Event.objects.filter(pk=event.pk).update(
        starts_at=start.replace(hour=8, minute=0), ends_at=start.replace(hour=15, minute=0)
    )


def sign_in(context, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}])


def render_page(data: bytes, name: str) -> None:
    """The PDF's first page as docs/screenshots/<name>.png (poppler's pdftoppm, 60 dpi)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    source = SCREENSHOTS / f"{name}.pdf"
    source.write_bytes(data)
    try:
        subprocess.run(  # noqa: S603 - fixed arguments of our own
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(source), str(SCREENSHOTS / name)],
            check=True,
        )
    finally:
        source.unlink()


def test_documents_page_and_a_badge_sheet_on_a_phone(page, base_url, world, axe_check):
    event = world["event"]
    sign_in(page.context, base_url, world["organiser"])
    problems: list[str] = []
    for language in ("pl", "uk", "en"):
        page.goto(f"/{language}/manage/events/{SLUG}/documents/")
        expect(page.locator("#badges form")).to_have_count(2)
        problems += _problems(page, axe_check, f"documents ({language})")

        # A job still being made: its progress, in every language.
        job = jobs.DocumentJob(
            id=f"{language}-progress".ljust(32, "x"),
            event_id=event.pk,
            kind="badges_sheet",
            state=jobs.JobState.PENDING,
            created_at=timezone.now(),
            done=96,
            total=300,
        )
        jobs.jobs_dir().mkdir(parents=True, exist_ok=True)
        jobs._write_sidecar(job)
        page.goto(f"/{language}/manage/events/{SLUG}/documents/jobs/{job.id}/")
        expect(page.locator("#document-progress")).to_have_attribute("value", "96")
        problems += _problems(page, axe_check, f"document being made ({language})")

    # The real thing, in English: the button, the status page, the download.
    page.goto(f"/en/manage/events/{SLUG}/documents/")
    page.get_by_role("button", name="A4 sheets of 8 badges (PDF)").click()
    expect(page.locator("#document-download")).to_be_visible()
    problems += _problems(page, axe_check, "document ready (en)")
    with page.expect_download() as download_info:
        page.locator("#document-download").click()
    data = Path(download_info.value.path()).read_bytes()
    text = pdf_text(data)
    assert "Олена Коваль" in text and "אברהם כהן" in text and "Łucja Żółkiewska" in text
    render_page(data, "badges-sheet")
    assert problems == [], "\n".join(problems)


def test_the_participant_downloads_their_certificate_after_the_event(page, base_url, world, axe_check):
    olena = world["olena"]
    end(world["event"])
    problems: list[str] = []
    for language in ("pl", "uk", "en"):
        page.goto(f"/{language}/r/{olena.token}/")
        expect(page.locator("#documents a")).to_have_count(2)  # the ticket and the certificate
        problems += _problems(page, axe_check, f"personal page with documents ({language})")
    with page.expect_download() as download_info:
        page.locator(f'#documents a[href$="/r/{olena.token}/certificate.pdf"]').click()
    data = Path(download_info.value.path()).read_bytes()
    assert in_order(pdf_text(data), "Сертифікат про участь", "Олена Коваль", "Fundacja Zustricz")
    render_page(data, "certificate-uk")
    assert problems == [], "\n".join(problems)
