"""Event pages: the public list and event page, and the organisers' event management."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views import View

from civicmeet.accounts.models import TeamInvitation, TeamMember
from civicmeet.accounts.services import team_invitation_pending
from civicmeet.core.errors import DomainError
from civicmeet.core.i18n import local_text
from civicmeet.organisations.models import OrganisationType

from . import history, page_cache, selectors, services, team_invitations
from .forms import EventForm, QuestionFormSet, TeamInviteForm
from .forms.questions import question_rows, question_rows_apply, question_rows_data
from .models import Event
from .permissions import event_for_organiser
from .safety_text import safety_rules_intro, safety_rules_text

# Public pages ---------------------------------------------------------------------------------

# The invitation's audience, said as one sentence (translators get it whole, not in pieces).
INVITATION_AUDIENCE = frozenset(
    {OrganisationType.NATIONAL_MINORITY, OrganisationType.ETHNIC_MINORITY, OrganisationType.MIGRANT}
)
AUDIENCE_GROUPS: dict[str, Promise] = {
    OrganisationType.NATIONAL_MINORITY: gettext_lazy("national minority organisations"),
    OrganisationType.ETHNIC_MINORITY: gettext_lazy("ethnic minority organisations"),
    OrganisationType.MIGRANT: gettext_lazy("migrant organisations"),
    OrganisationType.OTHER: gettext_lazy("other organisations"),
}


def audience_text(audience_types) -> str:
    """Who the meeting is for, in the active language; '' when it is for everyone."""
    types = [value for value in OrganisationType.values if value in set(audience_types or ())]
    if not types:
        return ""
    if set(types) == INVITATION_AUDIENCE:
        return _("The meeting is for representatives of national minority, ethnic minority and migrant organisations.")
    conjunction = pgettext("joins the last two items of a list: a, b and c", "and")
    groups = get_text_list([str(AUDIENCE_GROUPS[value]) for value in types], conjunction)
    return _("The meeting is for representatives of %(groups)s.") % {"groups": groups}


class EventListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        now = timezone.now()
        events = list(selectors.event_list_public(now=now))
        for event in events:
            # For the template only.
            event.local_title = local_text(event.title, event.fallback_language)  # type: ignore[attr-defined]
            event.local_venue = local_text(event.venue, event.fallback_language)  # type: ignore[attr-defined]
            event.status = event.registration_status(now)  # type: ignore[attr-defined]
        return render(request, "events/event_list.html", {"events": events})


class EventDetailView(View):
    """The event page. Unpublished events: 404 to the public, a preview to the event's organisers."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        # Anonymous visitors usually get the stored page before reaching here
        # (page_cache.EventPageCacheMiddleware); this renders it, for them and everyone else.
        event = selectors.event_get_public(slug=slug)
        preview = event is None
        if event is None:
            event = event_for_organiser(request.user, slug)
        fallback = event.fallback_language
        agenda = local_text(event.agenda, fallback)
        context = {
            "event": event,
            "preview": preview,
            "status": event.registration_status(),
            "title": local_text(event.title, fallback),
            "description": local_text(event.description, fallback),
            "agenda": agenda,
            "agenda_items": [line.strip(" •-\t") for line in agenda.text.splitlines() if line.strip(" •-\t")],
            "venue": local_text(event.venue, fallback),
            "conditions": local_text(event.conditions, fallback),
            # The rule's text is generated from its parameters in the page's language, so it always
            # says what the rule checks; the organisers' own notes follow it.
            "safety_intro": safety_rules_intro() if event.safety else "",
            "safety_lines": safety_rules_text(event.safety),
            "safety_rules": local_text(event.safety_rules, fallback),
            "audience_text": audience_text(event.audience_types),
            "co_organisers": list(event.co_organisers.all()),
            "programme": event.programme,
            "multi_day": event.local(event.starts_at).date() != event.local(event.ends_at).date(),
        }
        response = render(request, "events/event_detail.html", context)
        if not preview and not request.user.is_authenticated:
            page_cache.mark_storable(response)
        return response


# Organisers -----------------------------------------------------------------------------------


def add_validation_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError next to the form's fields (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


class OrganiserMixin(LoginRequiredMixin):
    """Login required; the event (by slug) only for organisers on its team, else 404."""

    # Set by the View this is mixed into.
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_event(self) -> Event:
        return event_for_organiser(self.request.user, self.kwargs["slug"])


class EventCreateView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "events/event_form.html", {"form": EventForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = EventForm(request.POST)
        if form.is_valid():
            try:
                event = services.event_save(
                    creator=request.user,
                    data=form.event_data(),
                    co_organisers=form.cleaned_data["co_organisers"],
                    new_co_organisers=form.cleaned_data["new_co_organisers"],
                    interest_offers=list(form.cleaned_data.get("interest_offers") or []),
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            except DomainError as error:
                form.add_error("slug" if error.code == "slug_taken" else None, error.message)
            else:
                messages.success(request, _("The event was created. It is not published yet."))
                return redirect("events:edit", slug=event.slug)
        return render(request, "events/event_form.html", {"form": form})


class EventUpdateView(OrganiserMixin, View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = self.get_event()
        return render(request, "events/event_form.html", {"form": EventForm(event=event), "event": event})

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = self.get_event()
        form = EventForm(request.POST, event=event)
        if form.is_valid():
            try:
                services.event_save(
                    event=event,
                    data=form.event_data(),
                    co_organisers=form.cleaned_data["co_organisers"],
                    new_co_organisers=form.cleaned_data["new_co_organisers"],
                    interest_offers=list(form.cleaned_data.get("interest_offers") or []),
                    actor=request.user,
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The changes were saved."))
                for notice in event.change_notices:  # type: ignore[attr-defined]  # set by services.event_update
                    messages.info(request, notice)
                return redirect("events:edit", slug=event.slug)
        return render(request, "events/event_form.html", {"form": form, "event": event})


class EventPublishView(OrganiserMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = self.get_event()
        try:
            services.event_publish(event=event, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The event is published: anyone with its address can see it."))
        return redirect(_safe_next(request, reverse("events:edit", kwargs={"slug": event.slug})))


class EventUnpublishView(OrganiserMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = self.get_event()
        try:
            services.event_unpublish(event=event, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The event is no longer published: only its team can see it."))
        return redirect(_safe_next(request, reverse("events:edit", kwargs={"slug": event.slug})))


class EventQuestionsView(OrganiserMixin, View):
    """The event's own questions. Rows are added, moved and removed in place (POST with `op`:
    the rows come back in their new order, not saved; with htmx only the rows are swapped) and
    saved together (POST without `op`)."""

    template_name = "events/questions.html"
    rows_template_name = "events/_question_rows.html"
    prefix = "questions"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = self.get_event()
        formset = QuestionFormSet(event=event, prefix=self.prefix)
        return render(request, self.template_name, {"event": event, "formset": formset})

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = self.get_event()
        operation = request.POST.get("op", "")
        if operation:
            rows, (index, control) = question_rows_apply(question_rows(request.POST, self.prefix), operation)
            formset = QuestionFormSet(question_rows_data(rows, self.prefix), event=event, prefix=self.prefix).quiet()
            formset.focus(index, control)
            context = {"event": event, "formset": formset, "focus": control if index is None else ""}
            if request.headers.get("HX-Request") == "true":
                return render(request, self.rows_template_name, context)
            return render(request, self.template_name, context)
        formset = QuestionFormSet(request.POST, event=event, prefix=self.prefix)
        if formset.is_valid():
            try:
                services.questions_replace(event=event, questions=formset.questions_data(), actor=request.user)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The questions were saved."))
                return redirect("events:questions", slug=event.slug)
        return render(request, self.template_name, {"event": event, "formset": formset})


class EventHistoryView(OrganiserMixin, View):
    """Who changed what and when: the event, its questions, team and guests."""

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = self.get_event()
        entries = [(entry, history.change_lines(entry, event)) for entry in history.event_history(event=event)]
        return render(request, "events/history.html", {"event": event, "entries": entries})


class EventTeamView(OrganiserMixin, View):
    """The event's team: invite an email address (POST action=invite), withdraw an invitation
    (action=withdraw) or remove a member (action=remove)."""

    template_name = "events/team.html"

    def render_page(self, request: HttpRequest, event: Event, form: TeamInviteForm) -> HttpResponse:
        members = list(selectors.team_member_list(event=event))
        invitations = list(team_invitation_pending(team=event.team))
        now = timezone.now()
        for invitation in invitations:
            invitation.expired = invitation.expires_at <= now  # for the template
        context = {"event": event, "members": members, "invitations": invitations, "form": form}
        return render(request, self.template_name, context)

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = self.get_event()
        return self.render_page(request, event, TeamInviteForm(event=event))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = self.get_event()
        action = request.POST.get("action")
        if action == "remove":
            return self.remove(request, event)
        if action == "withdraw":
            return self.withdraw(request, event)
        form = TeamInviteForm(request.POST, event=event)
        if form.is_valid():
            try:
                invitation = team_invitations.team_invitation_send(
                    event=event,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    language=form.cleaned_data["language"],
                    organisation=form.cleaned_data["organisation"],
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error("email", error.messages)
            except DomainError as error:
                form.add_error("email", error.message)
            else:
                messages.success(
                    request,
                    _("An invitation to join as %(role)s was sent to %(email)s.")
                    % {"email": invitation.email, "role": invitation.get_role_display()},
                )
                return redirect("events:team", slug=event.slug)
        return self.render_page(request, event, form)

    def withdraw(self, request: HttpRequest, event: Event) -> HttpResponse:
        try:
            invitation_id = int(request.POST.get("invitation", ""))
        except ValueError:
            raise Http404("No such invitation") from None
        invitation = get_object_or_404(TeamInvitation, team_id=event.team_id, pk=invitation_id)
        try:
            team_invitations.team_invitation_withdraw(event=event, invitation=invitation, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email})
        return redirect("events:team", slug=event.slug)

    def remove(self, request: HttpRequest, event: Event) -> HttpResponse:
        try:
            member_id = int(request.POST.get("member", ""))
        except ValueError:
            raise Http404("No such team member") from None
        member = get_object_or_404(TeamMember.objects.select_related("user"), team_id=event.team_id, pk=member_id)
        try:
            services.team_member_remove(event=event, member=member, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("events:team", slug=event.slug)
        messages.success(request, _("%(email)s is no longer on the team.") % {"email": member.user.email})
        if member.user_id == request.user.pk and not request.user.is_staff:
            return redirect("registrations:event_list")
        return redirect("events:team", slug=event.slug)
