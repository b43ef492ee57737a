"""Badges, the attendance list, certificates and the caterer's sheet (PDF, XLSX); the participant's
ticket and certificate behind their personal link (views_documents.py)."""

from django.urls import path

from . import views_documents

urlpatterns = [
    path("manage/events/<slug:slug>/documents/", views_documents.DocumentsView.as_view(), name="documents"),
    # One address per document built in the background (POST starts it).
    path(
        "manage/events/<slug:slug>/documents/badges-sheets/",
        views_documents.DocumentStartView.as_view(),
        {"kind": "badges_sheet"},
        name="badges_sheet_start",
    ),
    path(
        "manage/events/<slug:slug>/documents/badges/",
        views_documents.DocumentStartView.as_view(),
        {"kind": "badges_single"},
        name="badges_single_start",
    ),
    path(
        "manage/events/<slug:slug>/documents/attendance-list/",
        views_documents.DocumentStartView.as_view(),
        {"kind": "attendance_pdf"},
        name="attendance_pdf_start",
    ),
    path(
        "manage/events/<slug:slug>/documents/jobs/<str:job_id>/",
        views_documents.DocumentStatusView.as_view(),
        name="document_status",
    ),
    path(
        "manage/events/<slug:slug>/documents/jobs/<str:job_id>/download/",
        views_documents.DocumentDownloadView.as_view(),
        name="document_download",
    ),
    path(
        "manage/events/<slug:slug>/documents/attendance.xlsx",
        views_documents.AttendanceXlsxView.as_view(),
        name="attendance_xlsx",
    ),
    path(
        "manage/events/<slug:slug>/documents/catering.pdf",
        views_documents.CateringPdfView.as_view(),
        name="catering_pdf",
    ),
    path(
        "manage/events/<slug:slug>/documents/certificates/send/",
        views_documents.CertificatesSendView.as_view(),
        name="certificates_send",
    ),
    path("r/<str:token>/ticket.pdf", views_documents.TicketPdfView.as_view(), name="ticket_pdf"),
    path("r/<str:token>/certificate.pdf", views_documents.CertificatePdfView.as_view(), name="certificate_pdf"),
]
