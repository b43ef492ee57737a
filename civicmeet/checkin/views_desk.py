"""The check-in desk: a page for a phone (camera scanning, name search, an offline queue) and the JSON
endpoints its script calls. Organisers and desk members of the event only (404 for anyone else).

Every check-in goes through `checkin.services` (`checkin_record`, `walk_in`); the views only read
the request, call one service and turn its result or its refusal into HTML or JSON. The page works
without JavaScript too: a GET search form and a POST form per person.
"""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django_ratelimit.decorators import ratelimit

from civicmeet.core.errors import DomainError
from civicmeet.core.middleware import allow_features
from civicmeet.events.safety_text import verdict_display
from civicmeet.registrations.models import Registration, State
from civicmeet.registrations.safety import registration_verdict, registration_verdict_text
from civicmeet.registrations.services import AlreadyRegisteredError
from civicmeet.search.folding import fold

from . import services
from .forms_desk import BASIS_CHOICES, DeskCheckInForm, WalkInForm
from .permissions import event_for_desk, is_event_organiser

# Results of the page's own name search (without JavaScript); the script searches the cached list.
SEARCH_LIMIT = 20
# The phone keeps the list of people for working offline until the event is over, and this long after.
LIST_KEPT_AFTER_END = timedelta(hours=6)
# A client id is a UUID; longer ids are refused before they reach the database.
CLIENT_ID_MAX = 100
# A QR code may hold anything; a ticket's code is short. Longer ones are refused as unknown.
CODE_MAX = 500


def _desk_rate(group, request) -> str | None:
    # Per signed-in person, generous: a desk sending a queue of 200 check-ins after the Wi-Fi came
    # back must not be refused (its script retries a 429 later, with the same client ids).
    return getattr(settings, "RATE_LIMIT_DESK", "600/m") if settings.RATE_LIMITS_ENABLED else None


limit_desk = ratelimit(group="desk", key="user", rate=_desk_rate, block=True)


def matches(entries: list[dict], query: str) -> list[dict]:
    """The entries of `desk_list` whose name or organisation holds every word of `query`, in any
    case and with or without diacritics (the same folding as the script's: civicmeet.search.folding)."""
    words = [word for word in fold(query).split() if word]
    if not words:
        return []
    return [entry for entry in entries if all(word in entry["folded"] for word in words)]


def result_message(result) -> str:
    """What the desk reads after a check-in: checked in now, or already at 10:02 by Anna."""
    data = result.as_json()
    name = data["name"]
    if not result.already:
        return _("%(name)s is checked in.") % {"name": name}
    when = _local_time(result.registration.event, data["checked_in_at"])
    by = data.get("checked_in_by") or ""
    if by:
        return _("%(name)s was already checked in at %(time)s by %(person)s.") % {
            "name": name,
            "time": when,
            "person": by,
        }
    return _("%(name)s was already checked in at %(time)s.") % {"name": name, "time": when}


def _local_time(event, iso: str | None) -> str:
    moment = parse_datetime(iso) if iso else None
    if moment is None:
        return ""
    return formats.time_format(event.local(moment), "TIME_FORMAT")


def result_json(result) -> dict[str, Any]:
    """`CheckInResult.as_json()` with what the page shows: the verdict in words and one sentence."""
    return {
        **result.as_json(),
        "replayed": result.replayed,
        "verdict_text": result.verdict_text,
        "message": result_message(result),
    }


def refused_json(error: DomainError) -> dict[str, Any]:
    """A refusal: a ticket not valid here (its reason code) or another rule (the error's code)."""
    return {"reason": getattr(error, "reason", error.code), "message": str(error.message)}


class DeskMixin(LoginRequiredMixin):
    """Login required, then the event of the URL if the user is on its team as an organiser or at the
    desk (else 404)."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.event = event_for_desk(request.user, kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def desk_url(self, query: str = "") -> str:
        url = reverse("checkin:desk", kwargs={"slug": self.event.slug})
        return f"{url}?{_query_string(query)}" if query else url


def _query_string(query: str) -> str:
    return urlencode({"q": query})


def _page_context(event, request: HttpRequest, **extra) -> dict[str, Any]:
    return {
        "event": event,
        "counts": services.checkin_counts(event),
        "has_rule": event.safety is not None,
        "basis_choices": BASIS_CHOICES,
        "client_id": uuid.uuid4().hex,
        # The phone forgets the list of people this long after the event's end.
        "forget_after": event.ends_at + LIST_KEPT_AFTER_END,
        # A desk member sees no link to the organisers' pages (they would answer 404).
        "is_organiser": is_event_organiser(request.user, event),
        **extra,
    }


@method_decorator(allow_features("camera"), name="dispatch")
class DeskView(DeskMixin, View):
    """The desk page. The camera is allowed here and nowhere else (Permissions-Policy)."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        query = request.GET.get("q", "").strip()[:100]
        found: list[dict] | None = None
        if query:
            found = matches(services.desk_list(self.event), query)[:SEARCH_LIMIT]
            _add_verdicts(self.event, found)
        context = _page_context(self.event, request, query=query, found=found)
        return render(request, "checkin/desk.html", context)


def _add_verdicts(event, entries: list[dict]) -> None:
    """The safety rule's verdict recomputed now for the few people the search found."""
    if event.safety is None or not entries:
        return
    registrations = Registration.objects.select_related("event").in_bulk([entry["id"] for entry in entries])
    for entry in entries:
        registration = registrations.get(entry["id"])
        entry["verdict_text"] = registration_verdict_text(registration) if registration else ""


@method_decorator(limit_desk, name="dispatch")
class DeskCheckInFormView(DeskMixin, View):
    """The form of one person in the page's search results (the page without JavaScript)."""

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = DeskCheckInForm(request.POST)
        query = request.POST.get("q", "")[:100]
        if not form.is_valid():
            messages.error(request, _("The check-in could not be recorded: search for the person again."))
            return redirect(self.desk_url(query))
        registration = Registration.objects.filter(event=self.event, pk=form.cleaned_data["registration"]).first()
        if registration is None:
            messages.error(request, _("This person is not registered for this event."))
            return redirect(self.desk_url(query))
        try:
            result = services.checkin_record(
                event=self.event,
                client_id=form.cleaned_data["client_id"],
                actor=request.user,
                registration=registration,
                basis=form.cleaned_data["basis"],
                source="name",
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(self.desk_url(query))
        message = result_message(result)
        if result.verdict_text:
            message = f"{message} {result.verdict_text}"
        if result.already:
            messages.warning(request, message)
        else:
            messages.success(request, message)
        return redirect(self.desk_url(query))


class DeskListView(DeskMixin, View):
    """The people the desk may check in, for the script to cache (only what the desk needs)."""

    def get(self, request: HttpRequest, slug: str) -> JsonResponse:
        response = JsonResponse({"people": services.desk_list(self.event), "counts": _counts(self.event)})
        response["Cache-Control"] = "no-store"
        return response


class DeskVerdictView(DeskMixin, View):
    """The safety rule's verdict on an accepted person of this event, recomputed now: what the desk
    shows beside the name before it records the basis the person showed."""

    def get(self, request: HttpRequest, slug: str, pk: int) -> JsonResponse:
        registration = (
            Registration.objects.select_related("event")
            .filter(event=self.event, pk=pk, state=State.ACCEPTED, anonymised_at__isnull=True)
            .first()
        )
        if registration is None:
            return JsonResponse(
                {"reason": "unknown", "message": _("This person is not registered for this event.")}, status=404
            )
        shown = verdict_display(self.event, registration_verdict(registration)) if self.event.safety else None
        response = JsonResponse(
            {
                "verdict": shown["outcome"] if shown else "",
                "verdict_text": registration_verdict_text(registration) if shown else "",
            }
        )
        response["Cache-Control"] = "no-store"
        return response


class DeskServiceWorkerView(DeskMixin, View):
    """The desk's service worker (static/js/desk-sw.js), served under the desk's address so that its
    scope is the desk's pages and nothing else of the site."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        script = (Path(settings.BASE_DIR) / "static" / "js" / "desk-sw.js").read_bytes()
        response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
        response["Cache-Control"] = "no-cache"
        return response


def _counts(event) -> dict[str, Any]:
    return services.checkin_totals(event)


def _json_body(request: HttpRequest) -> dict[str, Any] | None:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"reason": "invalid", "message": message}, status=400)


def _client_id(body: dict[str, Any]) -> str | None:
    client_id = body.get("client_id")
    if not isinstance(client_id, str) or not client_id.strip() or len(client_id) > CLIENT_ID_MAX:
        return None
    return client_id.strip()


@method_decorator(limit_desk, name="dispatch")
class DeskCheckInView(DeskMixin, View):
    """POST {client_id, code | registration_id, basis?}: 201 for a first check-in, 200 for a person
    already checked in (or the same client id again), 409 for a ticket not valid here."""

    def post(self, request: HttpRequest, slug: str) -> JsonResponse:
        body = _json_body(request)
        if body is None:
            return _bad_request(_("The request could not be read."))
        client_id = _client_id(body)
        if client_id is None:
            return _bad_request(_("The request has no valid client id."))
        basis = body.get("basis") or ""
        if basis not in {value for value, _label in BASIS_CHOICES}:
            return _bad_request(_("Choose one of the bases of the safety rule."))
        code, registration_id = body.get("code"), body.get("registration_id")
        kwargs: dict[str, Any] = {}
        if isinstance(code, str) and code and registration_id is None:
            if len(code) > CODE_MAX:
                return JsonResponse(
                    {"reason": "unknown", "message": _("This code is not a ticket of civicmeet.")}, status=409
                )
            kwargs = {"code": code, "source": "qr"}
        elif isinstance(registration_id, int) and not isinstance(registration_id, bool) and code is None:
            registration = Registration.objects.filter(event=self.event, pk=registration_id).first()
            if registration is None:
                return JsonResponse(
                    {"reason": "unknown", "message": _("This person is not registered for this event.")}, status=409
                )
            kwargs = {"registration": registration, "source": "name"}
        else:
            return _bad_request(_("Send either a ticket's code or a person."))
        try:
            result = services.checkin_record(
                event=self.event, client_id=client_id, actor=request.user, basis=basis, **kwargs
            )
        except DomainError as error:
            return JsonResponse(refused_json(error), status=409)
        data = result_json(result)
        data["counts"] = _counts(self.event)
        status = 200 if (result.already or result.replayed) else 201
        return JsonResponse(data, status=status)


def _walk_in(event, form: WalkInForm, user) -> Any:
    return services.walk_in(event=event, data=form.to_data(), actor=user, client_id=form.cleaned_data["client_id"])


def _form_errors(form) -> dict[str, list[str]]:
    return {name: [str(message) for message in errors] for name, errors in form.errors.items()}


@method_decorator(limit_desk, name="dispatch")
class DeskWalkInView(DeskMixin, View):
    """Someone who did not register: registered, accepted and checked in at once while seats remain."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = WalkInForm(initial={"client_id": uuid.uuid4().hex, "language": request.LANGUAGE_CODE})
        return self.render_form(request, form)

    def render_form(self, request: HttpRequest, form: WalkInForm, status: int = 200) -> HttpResponse:
        context = {"event": self.event, "form": form, "counts": services.checkin_counts(self.event)}
        return render(request, "checkin/desk_walk_in.html", context, status=status)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = WalkInForm(request.POST)
        if not form.is_valid():
            return self.render_form(request, form, status=400)
        try:
            result = _walk_in(self.event, form, request.user)
        except ValidationError as error:
            _attach(form, error)
            return self.render_form(request, form, status=400)
        except DomainError as error:
            _attach_domain(form, error)
            return self.render_form(request, form, status=409)
        messages.success(request, result_message(result))
        return redirect(self.desk_url())


def _attach_domain(form: WalkInForm, error: DomainError) -> None:
    # An email already registered belongs next to the email (the person may be found by name);
    # no seat left, or no consent, is about the whole form.
    field = "email" if isinstance(error, AlreadyRegisteredError) else None
    form.add_error(field, error.message)


def _attach(form: WalkInForm, error: ValidationError) -> None:
    """A service's field errors next to their fields (the others at the top of the form)."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@method_decorator(limit_desk, name="dispatch")
class DeskWalkInJsonView(DeskMixin, View):
    """The walk-in form as JSON: 201 with the check-in, 400 with the errors per field, 409 when full."""

    def post(self, request: HttpRequest, slug: str) -> JsonResponse:
        body = _json_body(request)
        if body is None:
            return _bad_request(_("The request could not be read."))
        form = WalkInForm({key: value for key, value in body.items() if isinstance(value, str | bool)})
        if not form.is_valid():
            return JsonResponse({"reason": "invalid", "errors": _form_errors(form)}, status=400)
        try:
            result = _walk_in(self.event, form, request.user)
        except ValidationError as error:
            _attach(form, error)
            return JsonResponse({"reason": "invalid", "errors": _form_errors(form)}, status=400)
        except AlreadyRegisteredError as error:
            _attach_domain(form, error)
            return JsonResponse({**refused_json(error), "errors": _form_errors(form)}, status=409)
        except DomainError as error:
            return JsonResponse(refused_json(error), status=409)
        data = result_json(result)
        data["counts"] = _counts(self.event)
        return JsonResponse(data, status=200 if result.replayed else 201)
