"""The moderators' data pages: likely duplicates and their merge, import from a spreadsheet; and
the directory's export (CSV, XLSX, HSDS JSON) for everyone, as much as each reader may see.
Views stay thin: services in merge.py, duplicates_review.py and imports.py do the work."""

from __future__ import annotations

import csv
import io
import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicmeet.core.errors import DomainError

from . import exports
from .duplicates import Reason
from .duplicates_review import (
    duplicates_review,
    duplicates_scan_result,
    duplicates_scan_running,
    duplicates_scan_start,
    not_duplicates_record,
)
from .forms_data import ImportApplyForm, ImportUploadForm
from .imports import (
    Action,
    ImportFileError,
    PlanChanged,
    import_plan,
    organisations_import,
    plan_sign,
    spreadsheet_read,
    template_rows,
)
from .merge import MergeError, merge_counts, organisation_merge, relation_label
from .models import Organisation, OrganisationMerge
from .permissions import is_moderator
from .profile_sections import register_profile_section
from .selectors import organisation_slug


def _reason_text(reason: str) -> str:
    texts = {
        Reason.SAME: _("the same name once quotes, legal form and letters are set aside"),
        Reason.SAME_WORDS: _("the same words in another order"),
        Reason.CONTAINED: _("one name is contained in the other"),
        Reason.SIMILAR: _("a similar spelling"),
    }
    return texts.get(reason, reason)


def moderators_only(view):
    """Moderators only: a login first for the anonymous, 404 for everyone else (as the other
    moderation pages: nothing tells them the page exists)."""

    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_moderator(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def profile_url(organisation: Organisation) -> str:
    """The organisation's profile page (moderators see drafts there too)."""
    return reverse("directory:organisation", kwargs={"pk": organisation.pk, "slug": organisation_slug(organisation)})


# -- Duplicates -----------------------------------------------------------------------------------


@require_GET
@moderators_only
def duplicates_view(request: HttpRequest) -> HttpResponse:
    items = duplicates_review()
    for item in items:
        item.rows = [(match, other, _reason_text(match.reason)) for match, other in item.matches]  # type: ignore[attr-defined]
    finished_at, pairs = duplicates_scan_result()
    return render(
        request,
        "organisations/data/duplicates.html",
        {
            "items": items,
            "scan_finished_at": parse_datetime(finished_at) if finished_at else None,
            "scan_pairs": pairs,
            "scan_running": duplicates_scan_running(),
        },
    )


@require_POST
@moderators_only
def duplicates_scan_view(request: HttpRequest) -> HttpResponse:
    duplicates_scan_start(actor=request.user)
    messages.success(
        request,
        _(
            "The whole directory is being compared. It takes a minute or so for a large directory: open this page again then."
        ),
    )
    return redirect("directory:duplicates")


@require_POST
@moderators_only
def not_duplicates_view(request: HttpRequest) -> HttpResponse:
    first = get_object_or_404(Organisation, pk=_int(request.POST.get("first")))
    second = get_object_or_404(Organisation, pk=_int(request.POST.get("second")))
    not_duplicates_record(first=first, second=second, actor=request.user)
    messages.success(
        request,
        _("“%(first)s” and “%(second)s” will not be suggested as duplicates again.")
        % {"first": first, "second": second},
    )
    return redirect("directory:duplicates")


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# -- Merge ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@moderators_only
def merge_view(request: HttpRequest, survivor: int, duplicate: int) -> HttpResponse:
    """Both profiles side by side and what would move; the POST merges."""
    keep = get_object_or_404(Organisation.objects.prefetch_related("names", "communities"), pk=survivor)
    fold = get_object_or_404(Organisation.objects.prefetch_related("names", "communities"), pk=duplicate)
    error = None
    if request.method == "POST":
        try:
            organisation_merge(survivor=keep, duplicate=fold, actor=request.user)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(
                request,
                _("“%(duplicate)s” has been merged into “%(survivor)s”.")
                % {"duplicate": fold.name, "survivor": keep.name},
            )
            return redirect(profile_url(keep))
    if keep.pk == fold.pk:
        error = error or MergeError(_("An organisation cannot be merged into itself.")).message
    counts = [(relation.label, count) for relation, count in merge_counts(fold)]
    return render(
        request,
        "organisations/data/merge.html",
        {"survivor": keep, "duplicate": fold, "counts": counts, "error": error, "same": keep.pk == fold.pk},
        status=409 if error and request.method == "POST" else 200,
    )


@require_GET
@moderators_only
def merge_history_view(request: HttpRequest, organisation_pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    merges = list(OrganisationMerge.objects.filter(survivor=organisation).select_related("merged_by"))
    for record in merges:
        record.moved_rows = _moved_labels(record.moved)  # type: ignore[attr-defined]
    return render(
        request,
        "organisations/data/merge_history.html",
        {"organisation": organisation, "merges": merges, "profile_url": profile_url(organisation)},
    )


def _moved_labels(moved: dict[str, int]) -> list[tuple[str, int]]:
    return [(relation_label(key), count) for key, count in moved.items()]


# -- Import ---------------------------------------------------------------------------------------


def _dry_run_context(spreadsheet, plans, status: str) -> dict:
    return {
        "plans": plans,
        "unknown_headers": spreadsheet.unknown_headers,
        "apply_form": ImportApplyForm(initial={"plan": plan_sign(spreadsheet, plans), "status": status}),
        "counts": {
            "create": sum(p.action == Action.CREATE for p in plans),
            "update": sum(p.action == Action.UPDATE for p in plans),
            "refuse": sum(p.action == Action.REFUSE for p in plans),
        },
        "to_apply": sum(p.action != Action.REFUSE for p in plans),
        "status": status,
    }


@require_http_methods(["GET", "POST"])
@moderators_only
def import_view(request: HttpRequest) -> HttpResponse:
    """The upload; its POST answers with the dry run (nothing is written)."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            spreadsheet = spreadsheet_read(data=upload.read(), filename=upload.name or "")
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            plans = import_plan(spreadsheet)
            context.update(_dry_run_context(spreadsheet, plans, form.cleaned_data["status"]))
            return render(request, "organisations/data/import_dry_run.html", context)
    return render(request, "organisations/data/import.html", context, status=200)


@require_POST
@moderators_only
def import_apply_view(request: HttpRequest) -> HttpResponse:
    form = ImportApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The dry run could not be read. Upload the file again."))
        return redirect("directory:import")
    try:
        result = organisations_import(
            token=form.cleaned_data["plan"], actor=request.user, status=form.cleaned_data["status"]
        )
    except PlanChanged as changed:
        from .imports import plan_unsign

        spreadsheet, _signed = plan_unsign(form.cleaned_data["plan"])
        context = _dry_run_context(spreadsheet, changed.plans, form.cleaned_data["status"])
        context["changed"] = changed.message
        return render(request, "organisations/data/import_dry_run.html", context, status=409)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("directory:import")
    return render(
        request,
        "organisations/data/import_done.html",
        {
            "result": result,
            "created": [(o, profile_url(o)) for o in result.created],
            "updated": [(o, profile_url(o)) for o in result.updated],
        },
    )


@require_GET
@moderators_only
def import_template_view(request: HttpRequest, extension: str) -> HttpResponse:
    language = translation.get_language() or "pl"
    rows = template_rows(language)
    name = _("organisations-template")
    filename = f"{name}.{extension}"
    if extension == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";").writerows(rows)
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type=exports.CSV_CONTENT_TYPE)
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.create_sheet(_("Organisations")[:31], 0)
        for row in rows:
            sheet.append(row)
        buffer_bytes = io.BytesIO()
        workbook.save(buffer_bytes)
        response = HttpResponse(buffer_bytes.getvalue(), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# -- Export (everyone: what they may see) -------------------------------------------------------


@require_GET
def export_view(request: HttpRequest, extension: str) -> HttpResponseBase:
    language = translation.get_language() or "pl"
    name = _("organisations")
    filename = f"{name}.{extension}"
    if extension == "csv":
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            exports.csv_lines(request.user, language), content_type=exports.CSV_CONTENT_TYPE
        )
    elif extension == "xlsx":
        response = HttpResponse(exports.xlsx_bytes(request.user), content_type=exports.XLSX_CONTENT_TYPE)
    else:
        data = {
            "hsds_version": "3.0",
            "organizations": exports.hsds_export(request.user, base_url=request.build_absolute_uri("/")[:-1]),
        }
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def export_page_view(request: HttpRequest) -> HttpResponse:
    return render(request, "organisations/data/export.html", {"moderator": is_moderator(request.user)})


def _data_section(organisation, user) -> dict | None:
    return {"organisation_id": organisation.pk} if is_moderator(user) else None


def register_data_section() -> None:
    """The profile's "For moderators" section: its merge history and the duplicates page."""
    register_profile_section(
        key="data", order=90, template="organisations/data/_profile_section.html", context=_data_section
    )
