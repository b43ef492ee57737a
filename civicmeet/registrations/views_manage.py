"""The organisers' side of registrations: dashboard, decisions, guests, catering, exports, outbox.

Every view loads the event through events.permissions (404 for anyone not on its team), reads
through selectors and writes through services only.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from civicmeet.core.errors import DomainError
from civicmeet.core.i18n import local_text
from civicmeet.events.permissions import event_for_organiser
from civicmeet.notifications.models import RETRYABLE_STATUSES
from civicmeet.notifications.services import email_retry

from . import export_tasks, exports, selectors, services
from .extensions import event_links
from .forms.manage import (
    CANCEL_BUTTON,
    DECISION_BUTTONS,
    DECISION_CHOICES,
    BulkDecisionForm,
    CancelForm,
    DecisionForm,
    EmailRetryForm,
    GuestForm,
    RegistrationFilterForm,
    UndoForm,
)
from .models import TRANSITIONS, ActorKind, Registration, SafetyVerdict, State
from .personal_link import personal_url
from .safety import registration_verdict_text

PAGE_SIZE = 50

EMAIL_KIND_LABELS = {
    "registration_received": gettext_lazy("Registration received"),
    "registration_link": gettext_lazy("Personal link sent again"),
    "registration_accepted": gettext_lazy("Accepted"),
    "registration_waitlisted": gettext_lazy("On the waiting list"),
    "registration_rejected": gettext_lazy("Not admitted"),
    "registration_cancelled": gettext_lazy("Cancelled"),
    "safety_verdict_changed": gettext_lazy("Safety rule verdict changed"),
}


def _with_kind_labels(emails):
    """Give each email a human name for its kind (unknown kinds show their code)."""
    for email in emails:
        email.kind_label = EMAIL_KIND_LABELS.get(email.kind, email.kind)
    return emails


class EventListView(LoginRequiredMixin, View):
    """The organiser's events with their registrations counted per state, and the events where the
    user is at the desk only (with the desk's link and nothing else). The apps above add links to
    each event (extensions.event_links: checkin's desk), for the whole list at once."""

    def get(self, request: HttpRequest) -> HttpResponse:
        events = list(selectors.event_list_with_counts(user=request.user))
        desk_events = list(selectors.event_list_at_desk(user=request.user))
        links = event_links(request.user, [*events, *desk_events])
        for event in (*events, *desk_events):
            event.local_title = local_text(event.title, event.fallback_language)  # type: ignore[attr-defined]  # for the template
            event.extra_links = links.get(event.pk, [])  # type: ignore[attr-defined]  # for the template
        return render(request, "registrations/manage/event_list.html", {"events": events, "desk_events": desk_events})


class EventManageMixin(LoginRequiredMixin):
    """Login required, then the event of the URL if the user organises it (else 404)."""

    nav_active = "registrations"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = event_for_organiser(request.user, kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def context(self, **extra) -> dict:
        return {"event": self.event, "active": self.nav_active, **extra}

    def dashboard_url(self) -> str:
        return reverse("registrations:dashboard", kwargs={"slug": self.event.slug})

    def detail_url(self, pk: int) -> str:
        return reverse("registrations:detail", kwargs={"slug": self.event.slug, "pk": pk})

    def get_registration(self, pk: int) -> Registration:
        registration = Registration.objects.filter(event=self.event, pk=pk).first()
        if registration is None:
            raise Http404("No such registration")
        return registration


def _flash_form_errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


class DashboardView(EventManageMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        filter_form = RegistrationFilterForm(request.GET or None, event=self.event)
        registrations = selectors.registration_list(event=self.event, filters=filter_form.filters())
        page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = selectors.audience_flags_set(event=self.event, registrations=page.object_list)
        counts = selectors.registration_counts(event=self.event)
        verdict_counts = [(value, label, counts.by_verdict.get(value, 0)) for value, label in SafetyVerdict.choices]
        return render(
            request,
            "registrations/manage/dashboard.html",
            self.context(
                counts=counts,
                verdict_counts=verdict_counts,
                has_safety_rule=self.event.safety_policy is not None,
                has_audience=bool(self.event.audience_types),
                filter_form=filter_form,
                page_obj=page,
                decision_choices=DECISION_CHOICES,
                # On the dashboard the buttons only lead to the confirmation: short labels, same colours.
                decision_buttons=[(key, label, DECISION_BUTTONS[key][1]) for key, label in DECISION_CHOICES],
                states=State,
            ),
        )


class RegistrationDetailView(EventManageMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        return self.render_detail(request, pk)

    def render_detail(
        self, request: HttpRequest, pk: int, *, decision_form=None, confirm_required=None
    ) -> HttpResponse:
        """The page; after a refused acceptance, `confirm_required` is the refusal to confirm past."""
        try:
            registration = selectors.registration_get(event=self.event, pk=pk)
        except Registration.DoesNotExist:
            raise Http404("No such registration") from None
        registration.event = self.event
        selectors.audience_flags_set(event=self.event, registrations=[registration])
        questions = list(self.event.questions.all())
        for question in questions:
            question.event = self.event
        answers = [
            (question.display_label(), exports.answer_text(question, (registration.answers or {}).get(question.key)))
            for question in questions
        ]
        allowed = TRANSITIONS[registration.state]
        decisions = [
            (key, *DECISION_BUTTONS[key]) for key, _label in DECISION_CHOICES if services.DECISIONS[key] in allowed
        ]
        return render(
            request,
            "registrations/manage/detail.html",
            self.context(
                registration=registration,
                answers=answers,
                decisions=decisions,
                can_cancel=State.CANCELLED in allowed,
                cancel_button=CANCEL_BUTTON,
                undo_seconds=settings.DECISION_UNDO_SECONDS,
                undone_action=services.UNDONE_ACTION,
                undo_offer=services.decision_undo_offer(registration=registration, actor=request.user),
                emails=_with_kind_labels(list(registration.emails.all())),
                decision_form=decision_form or DecisionForm(),
                declaration=getattr(registration, "health_declaration", None),
                verdict_text=registration_verdict_text(registration),
                needs_confirmation=registration.safety_verdict == SafetyVerdict.DOES_NOT_MEET
                and State.ACCEPTED in allowed,
                confirm_required=confirm_required,
                # A walk-in without an email gets no messages: the organisers print their documents
                # from their personal page.
                no_email_personal_url="" if registration.email else personal_url(registration),
            ),
        )


class RegistrationDecideView(RegistrationDetailView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        registration = self.get_registration(pk)
        form = DecisionForm(request.POST)
        if not form.is_valid():
            _flash_form_errors(request, form)
            return redirect(self.detail_url(pk))
        try:
            registration = services.registration_decide(
                registration=registration,
                decision=form.cleaned_data["decision"],
                actor=request.user,
                message=form.cleaned_data["message"],
                confirm=form.cleaned_data["confirm"],
                undoable=True,
            )
        except services.ConfirmationRequiredError as error:
            # The page again, with the refusal and a "Confirm and accept" button; the message typed stays.
            return self.render_detail(request, pk, decision_form=form, confirm_required=error.message)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            _decided(request, registration)
        return redirect(self.detail_url(pk))


def _decided(request: HttpRequest, registration: Registration) -> None:
    """Say what happened. While the decision can be undone, the page itself says so, with the
    Undo button (detail.html, `undo_offer`); otherwise a message does."""
    if services.decision_undo_offer(registration=registration, actor=request.user) is None:
        messages.success(
            request,
            _("%(name)s: %(state)s. The participant is being told by email.")
            % {"name": registration.full_name, "state": registration.get_state_display()},
        )


class RegistrationUndoView(EventManageMixin, View):
    """POST: undo the decision named by its history entry, while its window lasts."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        registration = self.get_registration(pk)
        form = UndoForm(request.POST)
        if not form.is_valid():
            _flash_form_errors(request, form)
            return redirect(self.detail_url(pk))
        try:
            registration = services.registration_decision_undo(
                registration=registration, entry_id=form.cleaned_data["entry"], actor=request.user
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Undone: %(name)s is back to “%(state)s”, and no email was sent.")
                % {"name": registration.full_name, "state": registration.get_state_display()},
            )
        return redirect(self.detail_url(pk))


class RegistrationCancelView(EventManageMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        registration = self.get_registration(pk)
        form = CancelForm(request.POST)
        if not form.is_valid():
            _flash_form_errors(request, form)
            return redirect(self.detail_url(pk))
        try:
            registration = services.registration_cancel(
                registration=registration,
                actor_kind=ActorKind.ORGANISER,
                actor=request.user,
                message=form.cleaned_data["message"],
                undoable=True,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if services.decision_undo_offer(registration=registration, actor=request.user) is None:
                messages.success(
                    request, _("The registration of %(name)s was cancelled.") % {"name": registration.full_name}
                )
        return redirect(self.detail_url(pk))


def _bulk_summary(decision: str, done: int, refused: int) -> str:
    # Counts as "label: number" so that no language needs plural agreement with two numbers.
    summary = {
        "accept": _("Accepted: %(done)d."),
        "waitlist": _("Put on the waiting list: %(done)d."),
        "reject": _("Rejected: %(done)d."),
    }[decision] % {"done": done}
    if refused:
        # Translators: followed by the list of people whose registration stayed as it was, with the reason.
        summary += " " + _("Left unchanged: %(refused)d, because:") % {"refused": refused}
    return summary


class _BulkMixin(EventManageMixin):
    def back_url(self, request: HttpRequest) -> str:
        # Back to the same filtered page; the query string is re-encoded, never echoed raw.
        query = QueryDict(request.POST.get("return_query", ""))
        url = self.dashboard_url()
        return f"{url}?{query.urlencode()}" if query else url

    def _back(self, request: HttpRequest) -> HttpResponseRedirect:
        return redirect(self.back_url(request))


class BulkConfirmView(_BulkMixin, View):
    """POST from the dashboard: the selected people and what the decision would do to them (seats
    left after, who would stay as they are and why, that each gets an email). Changes nothing;
    its form posts the same selection and message to BulkDecideView, which decides."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = BulkDecisionForm(request.POST, event=self.event)
        if not form.is_valid():
            _flash_form_errors(request, form)
            return self._back(request)
        preview = services.registration_decide_many_preview(
            event=self.event,
            registration_ids=[registration.pk for registration in form.cleaned_data["registrations"]],
            decision=form.cleaned_data["decision"],
            confirm=form.cleaned_data["confirm"],
        )
        _label, css = DECISION_BUTTONS[preview.decision]
        return render(
            request,
            "registrations/manage/bulk_confirm.html",
            self.context(
                preview=preview,
                to_label=State(preview.to_state).label,
                form=form,
                button_class=css,
                message=form.cleaned_data["message"],
                return_query=request.POST.get("return_query", ""),
                back_url=self.back_url(request),
            ),
        )


class BulkDecideView(_BulkMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = BulkDecisionForm(request.POST, event=self.event)
        if not form.is_valid():
            _flash_form_errors(request, form)
            return self._back(request)
        decision = form.cleaned_data["decision"]
        result = services.registration_decide_many(
            event=self.event,
            registration_ids=[registration.pk for registration in form.cleaned_data["registrations"]],
            decision=decision,
            actor=request.user,
            message=form.cleaned_data["message"],
            confirm=form.cleaned_data["confirm"],
        )
        summary = _bulk_summary(decision, len(result.done), len(result.refused))
        if not result.refused:
            messages.success(request, summary)
        else:
            messages.warning(request, summary)
            for registration, reason in result.refused:
                messages.warning(
                    request, _("%(name)s: %(reason)s") % {"name": registration.full_name, "reason": reason}
                )
        return self._back(request)


class GuestAddView(EventManageMixin, View):
    http_method_names = ["get", "head", "post"]
    template_name = "registrations/manage/guest_add.html"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(request, self.template_name, self.context(form=GuestForm()))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = GuestForm(request.POST)
        if form.is_valid():
            try:
                guest = services.guest_add(event=self.event, data=form.to_data(), actor=request.user)
            except services.AlreadyRegisteredError as error:
                form.add_error("email", error.message)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("%(name)s was added as a guest (outside the capacity) and is being told by email.")
                    % {"name": guest.full_name},
                )
                return redirect(self.detail_url(guest.pk))
        return render(request, self.template_name, self.context(form=form))


class CateringView(EventManageMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render(
            request,
            "registrations/manage/catering.html",
            self.context(summary=selectors.catering_summary(event=self.event)),
        )


class _ExportView(EventManageMixin, View):
    http_method_names = ["get", "head"]

    def registrations(self, request: HttpRequest):
        filters = RegistrationFilterForm(request.GET or None, event=self.event).filters()
        return selectors.registration_list(event=self.event, filters=filters)


class ExportCsvView(_ExportView):
    def get(self, request: HttpRequest, slug: str) -> StreamingHttpResponse:
        return exports.csv_response(self.event, self.registrations(request))


class ExportXlsxView(EventManageMixin, View):
    """POST (the dashboard's filters in the query string): enqueue the export, go to its status page.

    The workbook is built by a background task (export_tasks), never in the request."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        query = request.GET.copy()
        query.pop("page", None)
        export = export_tasks.export_xlsx_start(
            event=self.event, query=query.urlencode(), language=translation.get_language()
        )
        return redirect("registrations:export_status", slug=self.event.slug, export_id=export.id)


class _XlsxExportMixin(EventManageMixin):
    def get_export(self, export_id: str) -> export_tasks.XlsxExport:
        export = export_tasks.export_for_event(self.event, export_id)
        if export is None:
            raise Http404("No such export")
        return export


class ExportStatusView(_XlsxExportMixin, View):
    """'Being prepared' (htmx polls every 2 s; without JavaScript a link reloads), then the download link."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, slug: str, export_id: str) -> HttpResponse:
        export = self.get_export(export_id)
        return render(
            request,
            "registrations/manage/export_status.html",
            self.context(export=export, ready=export.ready, failed=export.state == export_tasks.ExportState.FAILED),
        )


class ExportDownloadView(_XlsxExportMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, slug: str, export_id: str) -> FileResponse:
        export = self.get_export(export_id)
        try:
            handle = open(export.path, "rb")  # noqa: SIM115 - FileResponse closes it
        except FileNotFoundError:
            raise Http404("Export not ready") from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=exports.export_filename(self.event, "xlsx"),
            content_type=exports.XLSX_CONTENT_TYPE,
        )
        response["Cache-Control"] = "no-store"
        return response


class OutboxView(EventManageMixin, View):
    """The event's emails, failed and pending first; POST retries one failed email now."""

    http_method_names = ["get", "head", "post"]

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        emails = selectors.email_list(event=self.event)
        page = Paginator(emails, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = _with_kind_labels(list(page.object_list))
        return render(
            request,
            "registrations/manage/outbox.html",
            self.context(
                page_obj=page,
                email_counts=selectors.email_counts(event=self.event),
                retryable=RETRYABLE_STATUSES,
            ),
        )

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = EmailRetryForm(request.POST, event=self.event)
        if not form.is_valid():
            _flash_form_errors(request, form)
        else:
            email = form.cleaned_data["email"]
            try:
                email_retry(email=email)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The email to %(to)s is being sent again.") % {"to": email.to})
        return redirect(reverse("registrations:outbox", kwargs={"slug": self.event.slug}))
