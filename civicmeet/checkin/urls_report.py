"""The grant programme's report and the live counters (organisers of the event only)."""

from django.urls import path

from . import views_report

urlpatterns = [
    path("manage/events/<slug:slug>/report/", views_report.ReportView.as_view(), name="report"),
    path("manage/events/<slug:slug>/report.pdf", views_report.ReportPdfView.as_view(), name="report_pdf"),
    path("manage/events/<slug:slug>/counters/", views_report.CountersView.as_view(), name="counters"),
    path("manage/events/<slug:slug>/report.xlsx", views_report.ReportXlsxView.as_view(), name="report_xlsx"),
]
