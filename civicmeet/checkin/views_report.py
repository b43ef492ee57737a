"""The grant programme's report (page, PDF, XLSX) and the live counters of the day.

Organisers of the event only (404 for everyone else, the desk role included): the figures are read
through `report` (a constant number of queries) and `services.checkin_counts`; nothing is written.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from openpyxl import Workbook

from civicmeet.core.spreadsheets import XLSX_CONTENT_TYPE, xlsx_headers, xlsx_value
from civicmeet.events.models import Event
from civicmeet.events.permissions import event_for_organiser

from . import charts, report
from .documents.pdf import DocumentsUnavailable, render_pdf
from .services import checkin_counts


class _OrganiserEventMixin(LoginRequiredMixin):
    """Login required, then the event of the URL if the user organises it (else 404)."""

    event: Event

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = event_for_organiser(request.user, kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)


class _ReadView(_OrganiserEventMixin, View):
    http_method_names = ["get", "head"]


def report_context(request: HttpRequest, event: Event, *, with_charts: bool = True) -> dict:
    """Everything the report shows, for the page, the PDF and the workbook alike."""
    now = timezone.now()
    event_report = report.event_report(event, now=now)
    # The same figures across the events of the event's grant programme (None: it is part of none).
    events = report.programme_events(event, user=request.user, now=now)
    series = report.series_report(events) if events is not None else None
    return {
        "event": event,
        "report": event_report,
        "figures": event_report.figures,
        "programme": event.programme,
        "series": series,
        "charts": _charts(event_report.figures, series) if with_charts else {},
        "generated_at": now,
    }


def _charts(figures: report.Figures, series: report.SeriesReport | None) -> dict:
    registered, present = _("Registered"), _("Present")
    charts_ = {
        "summary": charts.bar_chart(
            [label for _key, label, _value in figures.summary_rows],
            [(_("People"), [value for _key, _label, value in figures.summary_rows])],
        )
    }
    if figures.by_type:
        charts_["by_type"] = charts.bar_chart(
            [row.label for row in figures.by_type],
            [
                (registered, [row.registered for row in figures.by_type]),
                (present, [row.present for row in figures.by_type]),
            ],
        )
    if figures.languages:
        charts_["languages"] = charts.bar_chart(
            [row.label for row in figures.languages],
            [
                (registered, [row.registered for row in figures.languages]),
                (present, [row.present for row in figures.languages]),
            ],
        )
    if series is not None and len(series.events) > 1:
        charts_["series"] = charts.bar_chart(
            # The date first: events of one series often share their title.
            [f"{row.event.local(row.event.starts_at):%Y-%m-%d} {row.event.display_title()}" for row in series.events],
            [
                (_("Admitted"), [row.admitted for row in series.events]),
                (present, [row.present for row in series.events]),
            ],
        )
    return charts_


class ReportView(_ReadView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(request, "checkin/report.html", report_context(request, self.event))


class ReportPdfView(_ReadView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        language = translation.get_language()
        try:
            pdf = render_pdf("checkin/report_pdf.html", report_context(request, self.event), language=language)
        except DocumentsUnavailable as error:
            messages.error(request, error.message)
            return redirect("checkin:report", slug=self.event.slug)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="report-{self.event.slug}.pdf"'
        response["Cache-Control"] = "no-store"
        return response


def report_xlsx(context: dict) -> bytes:
    """The report's tables as a workbook, one sheet each; every text a plain string cell."""
    figures: report.Figures = context["figures"]
    series: report.SeriesReport | None = context["series"]
    programme = context["programme"]
    registered, present = _("Registered"), _("Present")
    sheets: list[tuple[str, list[str], list[list]]] = [
        (
            _("Summary"),
            [_("Figure"), _("Count")],
            [
                [_("Programme"), programme.display_name() if programme else _("Not part of a programme")],
                *[[label, value] for _key, label, value in figures.summary_rows],
                [_("Guests"), figures.guests],
                [_("Guests present"), figures.guests_present],
                [_("Organisations registered"), figures.organisations_registered],
                [_("Organisations present"), figures.organisations_present],
                [_("New organisations"), figures.organisations_new],
                [_("Returning organisations"), figures.organisations_returning],
            ],
        ),
        (
            _("By type"),
            [_("Type of organisation"), registered, present],
            [[row.label, row.registered, row.present] for row in figures.by_type],
        ),
        (
            _("By community"),
            [_("Community"), registered, present],
            [[row.label, row.registered, row.present] for row in figures.by_community],
        ),
        (
            _("Languages"),
            [_("Language"), registered, present],
            [[row.label, row.registered, row.present] for row in figures.languages],
        ),
        (
            _("Needs"),
            [_("Need"), _("Asked for (admitted)"), _("Of them present")],
            [[row.label, row.asked, row.present] for row in figures.needs],
        ),
    ]
    if series is not None:
        sheets.append(_programme_sheet(series))
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        sheet.append(xlsx_headers(sheet, headers))
        for row in rows:
            sheet.append([xlsx_value(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _programme_sheet(series: report.SeriesReport) -> tuple[str, list[str], list[list]]:
    """The programme's events, a row each, and the totals across them."""
    return (
        _("Events"),
        [
            _("Event"),
            _("Starts"),
            _("Registrations"),
            _("Admitted"),
            _("Present"),
            _("No-shows"),
            _("Organisations present"),
        ],
        [
            [
                row.event.display_title(),
                timezone.make_naive(row.event.starts_at, row.event.tz),
                row.registrations,
                row.admitted,
                row.present,
                row.no_shows,
                row.organisations_present,
            ]
            for row in series.events
        ]
        + [
            [
                _("All these events"),
                None,
                series.figures.registrations,
                series.figures.admitted,
                series.figures.present,
                series.figures.no_shows,
                series.figures.organisations_present,
            ]
        ],
    )


class ReportXlsxView(_ReadView):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        response = HttpResponse(
            report_xlsx(report_context(request, self.event, with_charts=False)), content_type=XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = f'attachment; filename="report-{self.event.slug}.xlsx"'
        response["Cache-Control"] = "no-store"
        return response


def counters_context(event: Event) -> dict:
    """The live counters: `services.checkin_counts`, each hour named in the event's time, and a chart."""
    counts = checkin_counts(event)
    hours = []
    for moment, count in counts["per_hour"]:
        start = datetime.fromisoformat(moment).astimezone(event.tz)
        hours.append({"start": start, "end": start + timedelta(hours=1), "count": count})
    chart = (
        charts.bar_chart(
            [f"{hour['start']:%H}:00" for hour in hours],
            [(_("Check-ins"), [hour["count"] for hour in hours])],
            horizontal=False,
        )
        if hours
        else None
    )
    return {
        "event": event,
        "counts": counts,
        "not_yet": max(counts["accepted"] - counts["present"], 0),
        "hours": hours,
        "chart": chart,
        "updated_at": timezone.now(),
    }


class CountersView(_ReadView):
    """The day's counters for organisers; the page reloads its figures every few seconds (htmx),
    and without JavaScript a link reloads it."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        response = render(request, "checkin/counters.html", counters_context(self.event))
        response["Cache-Control"] = "no-store"
        return response
