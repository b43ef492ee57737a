"""Data protection pages: the privacy notice, access and erasure on request, the organisers' overview.

Participants act through their personal link (the token is the key); organisers act on a
person's request from the registration's page. All writes go through civicmeet.registrations.privacy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import View

from civicmeet.core.errors import DomainError
from civicmeet.core.i18n import local_text
from civicmeet.events.models import Event
from civicmeet.events.permissions import events_for_organiser
from civicmeet.organisations.models import OrganisationType

from . import privacy
from .models import ActorKind, Dietary, Registration, Role, SafetyVerdict, State
from .personal_link import private_response, registration_by_token
from .views_manage import EventManageMixin


def _json_download(data: dict, filename: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False),
        content_type="application/json; charset=utf-8",
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    private_response(response)
    # Personal data: not even the browser keeps a copy beyond the download itself.
    response.headers["Cache-Control"] = "no-store"
    return response


def _export_filename(registration: Registration) -> str:
    return f"{registration.event.slug}-registration-{registration.pk}.json"


def _active_registration(token: str) -> Registration:
    registration = registration_by_token(token)
    if registration.anonymised_at is not None:
        raise Http404
    return registration


# How the aggregate figures kept in DataPurge.stats are shown: a label per key, and the labels of
# the values counted under it.
STATS_LABELS = {
    "declarations": gettext_lazy("Health declarations deleted"),
    "meets": SafetyVerdict.MEETS.label,
    "does_not_meet": SafetyVerdict.DOES_NOT_MEET.label,
    "to_be_checked": SafetyVerdict.TO_BE_CHECKED.label,
    "states": gettext_lazy("By status"),
    "roles": gettext_lazy("By role"),
    "organisation_types": gettext_lazy("By type of organisation"),
    "languages": gettext_lazy("By language"),
    "dietary": gettext_lazy("By diet"),
    "safety_verdicts": gettext_lazy("By safety rule verdict"),
    "state_before_erasure": gettext_lazy("Status before the erasure"),
    "requested_by": gettext_lazy("Erased by"),
}


def _value_labels() -> dict[str, Mapping[str, str | Promise]]:
    organisation_types = {value: str(label) for value, label in OrganisationType.choices}
    organisation_types[""] = str(gettext_lazy("No organisation"))
    return {
        "states": dict(State.choices),
        "state_before_erasure": dict(State.choices),
        "roles": dict(Role.choices),
        "organisation_types": organisation_types,
        "languages": dict(settings.LANGUAGES),
        "dietary": dict(Dietary.choices),
        "safety_verdicts": dict(SafetyVerdict.choices),
        "requested_by": dict(ActorKind.choices),
    }


def stats_rows(stats: dict) -> list[tuple[str, str]]:
    """DataPurge.stats as (label, text) rows in the active language; unknown keys show as stored."""
    values = _value_labels()
    rows = []
    for key, value in stats.items():
        labels = values.get(key, {})
        if isinstance(value, dict):
            text = ", ".join(f"{labels.get(item, item)}: {number}" for item, number in value.items()) or "—"
        else:
            text = str(labels.get(value, value))
        rows.append((str(STATS_LABELS.get(key, key)), text))
    return rows


def _retention_context(event: Event) -> dict:
    return {
        "health_days": event.health_data_retention_days,
        "personal_days": event.personal_data_retention_days,
        "health_due_at": privacy.health_data_due_at(event),
        "personal_due_at": privacy.personal_data_due_at(event),
    }


class PrivacyNoticeView(View):
    """The joint controllers' privacy notice for one event (public for published events)."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = (
            Event.objects.filter(slug=slug, is_published=True).prefetch_related("co_organisers").first()
            or events_for_organiser(request.user).filter(slug=slug).prefetch_related("co_organisers").first()
        )
        if event is None:
            raise Http404("No such event")
        return render(
            request,
            "registrations/privacy/notice.html",
            {
                "event": event,
                "event_title": event.display_title(),
                "controllers": list(event.co_organisers.all()),
                "notice": local_text(event.privacy_notice, event.fallback_language),
                "purpose": local_text(event.processing_purpose, event.fallback_language),
                "has_safety_rule": event.safety is not None,
                **_retention_context(event),
            },
        )


class ParticipantDataView(View):
    """The participant's own data as a JSON download (right of access and to data portability)."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        registration = _active_registration(token)
        return _json_download(privacy.registration_export_data(registration), _export_filename(registration))


class ParticipantEraseView(View):
    """The participant erases their registration: a confirmation page, then the erasure."""

    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        registration = _active_registration(token)
        event = registration.event
        response = render(
            request,
            "registrations/privacy/erase_confirm.html",
            {"event": event, "event_title": event.display_title(), "registration": registration},
        )
        return private_response(response)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        registration = _active_registration(token)
        event = registration.event
        try:
            privacy.registration_erase(registration=registration, actor_kind=ActorKind.PARTICIPANT)
        except DomainError as error:
            messages.error(request, error.message)
            return private_response(redirect("registrations:personal", token=registration.token))
        # The personal link is dead now, so there is nothing to redirect back to.
        response = render(
            request, "registrations/privacy/erased.html", {"event": event, "event_title": event.display_title()}
        )
        return private_response(response)


class OrganiserDataView(EventManageMixin, View):
    """An organiser downloads what is stored about a person, to answer their access request."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        registration = self.get_registration(pk)
        registration.event = self.event
        return _json_download(privacy.registration_export_data(registration), _export_filename(registration))


class OrganiserEraseView(EventManageMixin, View):
    """An organiser erases a person's data on their request.

    POST only. A POST without `confirm` shows what will happen and asks again; the erasure
    happens on the second, confirmed POST.
    """

    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        registration = self.get_registration(pk)
        registration.event = self.event
        if registration.anonymised_at is not None:
            messages.info(request, _("This registration has already been anonymised."))
            return redirect(self.dashboard_url())
        if request.POST.get("confirm") != "yes":
            return render(
                request,
                "registrations/privacy/organiser_erase_confirm.html",
                self.context(registration=registration),
            )
        try:
            privacy.registration_erase(registration=registration, actor_kind=ActorKind.ORGANISER, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(self.detail_url(pk))
        messages.success(
            request,
            _("The personal data of registration no. %(number)d has been erased. Only the counts remain.")
            % {"number": registration.pk},
        )
        return redirect(self.dashboard_url())


class DataProtectionView(EventManageMixin, View):
    """The event's retention settings, the coming purges and the record of past ones."""

    http_method_names = ["get", "head"]
    nav_active = "data_protection"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        summary = privacy.data_protection_summary(event=self.event)
        for purge in summary.purges:
            purge.stats_rows = stats_rows(purge.stats)  # type: ignore[attr-defined]  # for the template only
        return render(
            request,
            "registrations/privacy/data_protection.html",
            self.context(
                summary=summary,
                has_safety_rule=self.event.safety is not None,
                **_retention_context(self.event),
            ),
        )
