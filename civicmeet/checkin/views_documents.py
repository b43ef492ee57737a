"""The meeting's documents: the organisers' documents page, the background builds (badges, the
attendance list) with their status and download, the attendance list as XLSX, the caterer's sheet,
sending the certificates; and, behind the participant's personal link, their ticket and their
certificate as PDF.

Only the event's organisers (events.permissions: 404 for anyone else, desk members included — the
desk checks people in and sees only what it needs; badges are printed by the organisers before the
day). A participant's documents answer 404 unless they exist: the ticket only while accepted, the
certificate only after the event and only for someone checked in.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from civicmeet.core.errors import DomainError
from civicmeet.core.spreadsheets import XLSX_CONTENT_TYPE
from civicmeet.events.permissions import event_for_organiser
from civicmeet.registrations.personal_link import private_response, registration_by_token

from .documents import attendance, badges, catering, certificates, jobs, pdf, ticket
from .documents.common import document_filename
from .models import CheckIn

PDF_CONTENT_TYPE = "application/pdf"


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=PDF_CONTENT_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


class DocumentsMixin(LoginRequiredMixin):
    """Login required, then the event of the URL if the user organises it (else 404)."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = event_for_organiser(request.user, kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def context(self, **extra) -> dict:
        return {"event": self.event, "active": "documents", **extra}

    def back(self) -> HttpResponse:
        return redirect("checkin:documents", slug=self.event.slug)


class DocumentsView(DocumentsMixin, View):
    """What each document is for, and the buttons that make them."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = self.event
        return render(
            request,
            "checkin/documents/index.html",
            self.context(
                badge_count=badges.badges_count(event),
                present=CheckIn.objects.filter(event=event).count(),
                certificates=certificates.certificate_counts(event),
                event_over=certificates.event_is_over(event),
                pdf_available=pdf.available(),
            ),
        )


class DocumentStartView(DocumentsMixin, View):
    """POST: enqueue a big document (badges, the attendance list as PDF), go to its status page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str, kind: str) -> HttpResponse:
        if kind not in jobs.KINDS:
            raise Http404("No such document")
        if not pdf.available():
            messages.error(
                request, _("Documents cannot be made on this server yet: the PDF libraries are not installed.")
            )
            return self.back()
        job = jobs.document_start(event=self.event, kind=kind, language=translation.get_language())
        return redirect("checkin:document_status", slug=self.event.slug, job_id=job.id)


class _JobMixin(DocumentsMixin):
    def get_job(self, job_id: str) -> jobs.DocumentJob:
        job = jobs.job_for_event(self.event, job_id)
        if job is None:
            raise Http404("No such document")
        return job


class DocumentStatusView(_JobMixin, View):
    """'Being prepared: 96 of 300' (htmx polls every 2 s; without JavaScript a link reloads), then the download."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, slug: str, job_id: str) -> HttpResponse:
        job = self.get_job(job_id)
        return render(request, "checkin/documents/status.html", self.context(job=job))


class DocumentDownloadView(_JobMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, slug: str, job_id: str) -> FileResponse:
        job = self.get_job(job_id)
        if not job.ready:
            raise Http404("Document not ready")
        try:
            handle = open(job.path, "rb")  # noqa: SIM115 - FileResponse closes it
        except FileNotFoundError:
            raise Http404("Document not ready") from None
        response = FileResponse(
            handle, as_attachment=True, filename=job.filename(self.event), content_type=PDF_CONTENT_TYPE
        )
        response.headers["Cache-Control"] = "no-store"
        return response


class AttendanceXlsxView(DocumentsMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        target = io.BytesIO()
        attendance.attendance_xlsx(self.event, target, language=translation.get_language())
        response = HttpResponse(target.getvalue(), content_type=XLSX_CONTENT_TYPE)
        filename = document_filename(self.event, "attendance-list", "xlsx")
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.headers["Cache-Control"] = "no-store"
        return response


class CateringPdfView(DocumentsMixin, View):
    """The caterer's sheet: counts only, and notes without names; small, so made in the request."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        try:
            data = catering.catering_pdf(self.event, language=translation.get_language())
        except pdf.DocumentsUnavailable as error:
            messages.error(request, error.message)
            return self.back()
        return _pdf_response(data, document_filename(self.event, "catering", "pdf"))


class CertificatesSendView(DocumentsMixin, View):
    """POST: email every person present their certificate (in the background; never twice)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        try:
            counts = certificates.certificates_send_start(event=self.event, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return self.back()
        if counts.waiting:
            messages.success(
                request,
                ngettext(
                    "The certificate is being sent to %(count)d person present.",
                    "The certificates are being sent to %(count)d people present.",
                    counts.waiting,
                )
                % {"count": counts.waiting},
            )
        else:
            messages.info(request, _("Everyone present has already been sent their certificate."))
        return self.back()


class TicketPdfView(View):
    """The accepted participant's ticket as a PDF (404 unless accepted)."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        registration = registration_by_token(token)
        try:
            data = ticket.ticket_pdf(registration)
        except pdf.DocumentsUnavailable:
            raise Http404("Documents are not available on this server") from None
        if data is None:
            raise Http404("No ticket")
        return private_response(_pdf_response(data, ticket.ticket_filename(registration)))


class CertificatePdfView(View):
    """The participant's certificate of attendance, after the event, if they were checked in (else 404)."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        registration = registration_by_token(token)
        if not certificates.certificate_available(registration, timezone.now()):
            raise Http404("No certificate")
        try:
            data = certificates.certificate_pdf(registration)
        except pdf.DocumentsUnavailable:
            raise Http404("Documents are not available on this server") from None
        return private_response(_pdf_response(data, certificates.certificate_filename(registration)))
