"""The documents' pages: who may make and download them, the background build with its progress,
the participant's ticket and certificate behind the personal link."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from civicmeet.checkin.documents import jobs
from civicmeet.events.tests.factories import EventFactory
from civicmeet.notifications.models import OutgoingEmail
from civicmeet.registrations.personal_link import PERSONAL_PAGE_REFERRER_POLICY

from .documents_helpers import AVRAHAM, LUCJA, OLENA, in_order, pdf_text, requires_pdf
from .factories import accepted, checked_in, desk_member
from .test_documents_certificates import end_event

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _private_documents(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def url(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(f"checkin:{name}", kwargs=kwargs)


@pytest.fixture
def org_client(client, organiser):
    client.force_login(organiser)
    return client


def start(client, event, name: str = "badges_sheet_start") -> str:
    response = client.post(url(name, slug=event.slug))
    assert response.status_code == 302, response
    job_id = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert response["Location"] == url("document_status", slug=event.slug, job_id=job_id)
    return job_id


def test_documents_page_lists_the_documents_for_organisers(org_client, event, organiser, django_assert_max_num_queries):
    accepted(event, organiser, **OLENA)
    checked_in(event, organiser, **LUCJA)
    with django_assert_max_num_queries(12):
        response = org_client.get(url("documents", slug=event.slug))
    page = response.content.decode()
    assert response.status_code == 200
    for name in (
        "badges_sheet_start",
        "badges_single_start",
        "attendance_pdf_start",
        "attendance_xlsx",
        "catering_pdf",
    ):
        assert url(name, slug=event.slug) in page
    assert "Badges for 2 accepted people" in page
    assert "You can send them once the event is over." in page  # no button before the end


def test_the_dashboard_links_to_the_documents(org_client, event):
    with translation.override("en"):
        dashboard = reverse("registrations:dashboard", kwargs={"slug": event.slug})
    assert url("documents", slug=event.slug) in org_client.get(dashboard).content.decode()


@pytest.mark.parametrize("name", ["documents", "attendance_xlsx", "catering_pdf"])
def test_desk_members_and_outsiders_get_404(client, event, outsider, name):
    for user in (desk_member(event), outsider):
        client.force_login(user)
        assert client.get(url(name, slug=event.slug)).status_code == 404


def test_anonymous_is_sent_to_log_in(client, event):
    response = client.get(url("documents", slug=event.slug))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@requires_pdf
def test_badge_sheet_is_built_and_downloaded(org_client, event, organiser):
    for person in (OLENA, AVRAHAM, LUCJA):
        accepted(event, organiser, **person)
    job_id = start(org_client, event)
    assert len(job_id) == 32  # token_urlsafe(24): 192 bits
    page = org_client.get(url("document_status", slug=event.slug, job_id=job_id)).content.decode()
    download = url("document_download", slug=event.slug, job_id=job_id)
    assert download in page
    response = org_client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-badges-sheets.pdf"'
    text = pdf_text(b"".join(response.streaming_content))
    assert "Олена Коваль" in text and "אברהם כהן" in text and "Łucja Żółkiewska" in text
    files = sorted(path.name for path in (Path(django_settings.VAR_DIR) / "documents").iterdir())
    assert files == [f"{job_id}.json", f"{job_id}.pdf"]


@requires_pdf
@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_document_and_the_status_page_shows_progress(org_client, event, organiser, settings):
    settings.TASKS = DATABASE_TASKS
    accepted(event, organiser, **OLENA)
    job_id = start(org_client, event, "attendance_pdf_start")
    status_url = url("document_status", slug=event.slug, job_id=job_id)
    page = org_client.get(status_url).content.decode()
    assert "being made" in page
    assert 'hx-trigger="every 2s"' in page
    assert f'href="{status_url}"' in page  # "Check again" without JavaScript
    assert org_client.get(url("document_download", slug=event.slug, job_id=job_id)).status_code == 404

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    job = jobs.job_get(job_id)
    assert job is not None and job.ready
    assert "being made" not in org_client.get(status_url).content.decode()


def test_progress_is_shown_while_the_job_runs(org_client, event):
    job = jobs.DocumentJob(
        id="a" * 32,
        event_id=event.pk,
        kind="badges_sheet",
        state=jobs.JobState.PENDING,
        created_at=timezone.now(),
        done=96,
        total=300,
    )
    jobs.jobs_dir().mkdir(parents=True)
    jobs._write_sidecar(job)
    page = org_client.get(url("document_status", slug=event.slug, job_id=job.id)).content.decode()
    assert "96 of 300 done" in page
    assert '<progress id="document-progress" max="300" value="96">' in page


@requires_pdf
@pytest.mark.parametrize("name", ["document_status", "document_download"])
def test_a_job_is_for_its_events_organisers_only(client, organiser, outsider, event, name):
    client.force_login(organiser)
    job_id = start(client, event)
    other = EventFactory(organisers=[organiser])
    assert client.get(url(name, slug=other.slug, job_id=job_id)).status_code == 404
    for user in (outsider, desk_member(event)):
        client.force_login(user)
        assert client.get(url(name, slug=event.slug, job_id=job_id)).status_code == 404


@requires_pdf
def test_an_expired_job_answers_404_and_is_deleted(org_client, event):
    job_id = start(org_client, event)
    with time_machine.travel(timezone.now() + jobs.JOB_TTL + timedelta(minutes=1)):
        assert org_client.get(url("document_status", slug=event.slug, job_id=job_id)).status_code == 404
    assert not list((Path(django_settings.VAR_DIR) / "documents").glob(f"{job_id}*"))


def test_starting_needs_post(org_client, event):
    assert org_client.get(url("badges_sheet_start", slug=event.slug)).status_code == 405


def test_attendance_xlsx_download(org_client, event, organiser):
    checked_in(event, organiser, **OLENA)
    response = org_client.get(url("attendance_xlsx", slug=event.slug))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-attendance-list.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[6][1] == "Олена Коваль"


@requires_pdf
def test_catering_pdf_download(org_client, event, organiser):
    accepted(event, organiser, dietary="kosher")
    response = org_client.get(url("catering_pdf", slug=event.slug))
    assert response.status_code == 200
    assert in_order(pdf_text(response.content), "Kosher", "1")


@requires_pdf
def test_sending_certificates_from_the_page_once(org_client, event, organiser):
    checked_in(event, organiser, **OLENA)
    refused = org_client.post(url("certificates_send", slug=event.slug), follow=True)
    assert "once the event is over" in refused.content.decode()
    assert not OutgoingEmail.objects.filter(kind="certificate_of_attendance").exists()
    end_event(event)
    first = org_client.post(url("certificates_send", slug=event.slug), follow=True).content.decode()
    assert "The certificate is being sent to 1 person present." in first
    second = org_client.post(url("certificates_send", slug=event.slug), follow=True).content.decode()
    assert "Everyone present has already been sent their certificate." in second
    assert OutgoingEmail.objects.filter(kind="certificate_of_attendance").count() == 1
    assert "Sent so far: 1 of 1 people present." in second


# -- The participant's documents -----------------------------------------------------------------


def personal(client, registration) -> str:
    with translation.override("en"):
        return client.get(reverse("registrations:personal", kwargs={"token": registration.token})).content.decode()


@requires_pdf
def test_accepted_participant_downloads_their_ticket(client, event, organiser):
    olena = accepted(event, organiser, **OLENA)
    ticket_url = url("ticket_pdf", token=olena.token)
    assert ticket_url in personal(client, olena)
    response = client.get(ticket_url)
    assert response.status_code == 200
    assert response["Referrer-Policy"] == PERSONAL_PAGE_REFERRER_POLICY  # the token never leaves in a Referer
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    text = pdf_text(response.content)
    assert in_order(text, "Ваш квиток", "Олена Коваль", "Fundacja Zustricz")
    assert "Мережева зустріч організацій меншин і мігрантів" in text
    assert "Kraków" in text


def test_no_ticket_unless_accepted(client, event):
    from civicmeet.registrations.tests.factories import submit

    waiting = submit(event, **OLENA)
    assert client.get(url("ticket_pdf", token=waiting.token)).status_code == 404
    assert url("ticket_pdf", token=waiting.token) not in personal(client, waiting)
    assert client.get(url("ticket_pdf", token="x" * 43)).status_code == 404


@requires_pdf
def test_certificate_from_the_personal_page_after_the_event_only_if_present(client, event, organiser):
    olena = checked_in(event, organiser, **OLENA).registration
    absent = accepted(event, organiser, **AVRAHAM)
    certificate_url = url("certificate_pdf", token=olena.token)
    assert client.get(certificate_url).status_code == 404  # the event has not happened yet
    assert certificate_url not in personal(client, olena)
    end_event(event)
    assert certificate_url in personal(client, olena)
    response = client.get(certificate_url)
    assert response.status_code == 200
    assert in_order(pdf_text(response.content), "Сертифікат про участь", "Олена Коваль")
    assert client.get(url("certificate_pdf", token=absent.token)).status_code == 404
    assert url("certificate_pdf", token=absent.token) not in personal(client, absent)
