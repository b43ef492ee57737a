"""Pages of representatives: the person's network home, an organisation's representatives, and the
moderators' review of requests. Thin: a permission check, one service, a message, a redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from civicmeet.core.errors import DomainError

from . import services_representatives as services
from .forms_representatives import ConsentForm, RepresentativeInviteForm, RepresentRequestForm
from .models import (
    Organisation,
    OrganisationAction,
    OrganisationLogEntry,
    OrganisationStatus,
    Representative,
    RepresentativeSource,
    RepresentativeStatus,
)
from .permissions import is_moderator, represents
from .views_directory import profile_url

S = RepresentativeStatus


class SignInRequiredMixin(LoginRequiredMixin):
    """Representatives have no password: an anonymous visitor is sent to ask for a sign-in link."""

    login_url = reverse_lazy("accounts:signin_link")


def _edit_url(organisation: Organisation) -> str:
    """The profile editor (engineer A's page) when it exists."""
    try:
        return reverse("directory:organisation_edit", kwargs={"pk": organisation.pk})
    except NoReverseMatch:
        return ""


def _profile_url(organisation: Organisation) -> str:
    try:
        return profile_url(organisation)
    except NoReverseMatch:
        return ""


class MyNetworkView(SignInRequiredMixin, View):
    """The signed-in person's network home: their organisations and requests, and a form to ask
    to represent another organisation."""

    template_name = "organisations/representatives/my_network.html"

    def page(self, request: HttpRequest, form: RepresentRequestForm | None = None, status: int = 200) -> HttpResponse:
        mine = list(
            Representative.objects.filter(user_id=request.user.pk or 0)
            .exclude(status=S.REMOVED)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        rows: list[dict[str, Any]] = [
            {
                "representative": rep,
                "organisation": rep.organisation,
                "edit_url": _edit_url(rep.organisation) if rep.status == S.APPROVED else "",
                "profile_url": _profile_url(rep.organisation),
                "consent_form": ConsentForm(initial={"contact_public": rep.contact_public}),
            }
            for rep in mine
        ]
        context = {
            "rows": rows,
            "approved": [row for row in rows if row["representative"].status == S.APPROVED],
            "pending": [row for row in rows if row["representative"].status == S.PENDING],
            "refused": [row for row in rows if row["representative"].status == S.REFUSED],
            "form": form or RepresentRequestForm(exclude_ids=[rep.organisation_id for rep in mine]),
            "is_moderator": is_moderator(request.user),
            "pending_reviews": (
                Representative.objects.filter(status=S.PENDING).count() if is_moderator(request.user) else 0
            ),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        # "Ask to represent it" on a profile brings its name along (?organisation=<id>).
        chosen = request.GET.get("organisation", "")
        if chosen.isdigit():
            organisation = Organisation.objects.filter(pk=int(chosen), status=OrganisationStatus.PUBLISHED).first()
            if organisation is not None:
                mine = Representative.objects.filter(user_id=request.user.pk or 0).exclude(status=S.REMOVED)
                form = RepresentRequestForm(
                    initial={"organisation": organisation.name},
                    exclude_ids=list(mine.values_list("organisation_id", flat=True)),
                )
                return self.page(request, form)
        return self.page(request)


class RepresentRequestView(SignInRequiredMixin, View):
    """POST: ask to represent an organisation of the directory (the form is on the network home)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        mine = Representative.objects.filter(user_id=request.user.pk or 0).exclude(status=S.REMOVED)
        form = RepresentRequestForm(request.POST, exclude_ids=list(mine.values_list("organisation_id", flat=True)))
        if not form.is_valid():
            return MyNetworkView().page(request, form, status=200)
        try:
            services.representative_request(
                organisation=form.cleaned_data["organisation"],
                user=request.user,
                role=form.cleaned_data["role"],
                language=get_language() or "pl",
                source=RepresentativeSource.REQUEST,
            )
        except DomainError as error:
            form.add_error("organisation", error.message)
            return MyNetworkView().page(request, form)
        messages.success(request, _("Your request is sent. The moderators will confirm it; you will get an email."))
        return redirect("directory:my_network")


class ConsentView(SignInRequiredMixin, View):
    """POST: the person's own consent to show their name and email to members."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        representative = get_object_or_404(Representative, pk=pk, user=request.user)
        form = ConsentForm(request.POST)
        form.is_valid()
        services.representative_consent_set(
            representative=representative,
            actor=request.user,
            contact_public=form.cleaned_data.get("contact_public", False),
        )
        messages.success(request, _("Your choice is saved."))
        return redirect("directory:my_network")


def _organisation_for_managers(request: HttpRequest, pk: int) -> Organisation:
    """The organisation if the user may manage its representatives (moderator or approved
    representative); 404 otherwise, so the page says nothing of who represents what."""
    organisation = get_object_or_404(Organisation, pk=pk)
    if not (is_moderator(request.user) or represents(request.user, organisation)):
        raise Http404
    return organisation


class RepresentativesView(SignInRequiredMixin, View):
    """An organisation's representatives, for its approved representatives and the moderators:
    who they are, invitations waiting, and a form to invite someone."""

    template_name = "organisations/representatives/list.html"

    def page(self, request: HttpRequest, organisation: Organisation, form=None) -> HttpResponse:
        representatives = list(
            Representative.objects.filter(organisation=organisation, status__in=[S.APPROVED, S.PENDING])
            .select_related("user")
            .order_by("status", "user__email")
        )
        context = {
            "organisation": organisation,
            "approved": [rep for rep in representatives if rep.status == S.APPROVED],
            "pending": [rep for rep in representatives if rep.status == S.PENDING],
            "form": form or RepresentativeInviteForm(initial={"language": get_language()}),
            "is_moderator": is_moderator(request.user),
        }
        return render(request, self.template_name, context)

    def get(self, request: HttpRequest, organisation_pk: int) -> HttpResponse:
        return self.page(request, _organisation_for_managers(request, organisation_pk))

    def post(self, request: HttpRequest, organisation_pk: int) -> HttpResponse:
        organisation = _organisation_for_managers(request, organisation_pk)
        form = RepresentativeInviteForm(request.POST)
        if not form.is_valid():
            return self.page(request, organisation, form)
        try:
            invited = services.representative_invite(
                organisation=organisation,
                email=form.cleaned_data["email"],
                name=form.cleaned_data["name"],
                role=form.cleaned_data["role"],
                language=form.cleaned_data["language"],
                actor=request.user,
            )
        except DomainError as error:
            form.add_error("email", error.message)
            return self.page(request, organisation, form)
        if invited.status == S.APPROVED:
            message = _("Invitation sent to %(email)s.")
        else:
            message = _("Invitation sent to %(email)s. The moderators will confirm the new representative.")
        messages.success(request, message % {"email": invited.user.email})
        return redirect("directory:representatives", organisation_pk=organisation.pk)


class RepresentativeRemoveView(SignInRequiredMixin, View):
    """POST: end a representation (the person, a colleague, a moderator)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        representative = get_object_or_404(Representative.objects.select_related("organisation", "user"), pk=pk)
        if not services.may_remove_representative(request.user, representative):
            raise Http404
        try:
            services.representative_remove(representative=representative, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if representative.user_id == request.user.pk:
                messages.success(
                    request,
                    _("You no longer represent “%(organisation)s”.")
                    % {"organisation": representative.organisation.name},
                )
                return redirect("directory:my_network")
            messages.success(
                request, _("%(email)s no longer represents the organisation.") % {"email": representative.user.email}
            )
        if request.POST.get("back") == "review" and is_moderator(request.user):
            return redirect("directory:representatives_review")
        return redirect("directory:representatives", organisation_pk=representative.organisation_id)


def _review_rows(pending: list[Representative]) -> list[dict[str, Any]]:
    """Each request with the history row that created it (from a registration: which event)."""
    ids = {rep.pk for rep in pending}
    origins: dict[int, dict] = {}
    if ids:
        entries = OrganisationLogEntry.objects.filter(
            organisation_id__in={rep.organisation_id for rep in pending}, action=OrganisationAction.REPRESENTATIVE
        ).order_by("created_at", "id")
        for entry in entries.only("changes", "organisation_id"):
            rep_id = entry.changes.get("representative")
            if rep_id in ids and entry.changes.get("status", [None, None])[1] == S.PENDING:
                origins[rep_id] = entry.changes
    return [{"representative": rep, "origin": origins.get(rep.pk, {})} for rep in pending]


class RepresentativesReviewView(SignInRequiredMixin, View):
    """The moderators' list of requests waiting for a decision."""

    template_name = "organisations/representatives/review.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if not is_moderator(request.user):
            raise Http404
        pending = list(
            Representative.objects.filter(status=S.PENDING)
            .select_related("user", "organisation")
            .order_by("created_at", "id")
        )
        return render(request, self.template_name, {"rows": _review_rows(pending)})


class RepresentativeDecideView(SignInRequiredMixin, View):
    """POST decision=approve|refuse, by a moderator."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not is_moderator(request.user):
            raise Http404
        representative = get_object_or_404(Representative.objects.select_related("organisation", "user"), pk=pk)
        decision = request.POST.get("decision")
        try:
            if decision == "approve":
                services.representative_approve(representative=representative, actor=request.user)
                message = _("%(email)s now represents “%(organisation)s”.")
            elif decision == "refuse":
                services.representative_refuse(representative=representative, actor=request.user)
                message = _("The request of %(email)s for “%(organisation)s” is refused.")
            else:
                messages.error(request, _("Choose approve or refuse."))
                return redirect("directory:representatives_review")
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                message % {"email": representative.user.email, "organisation": representative.organisation.name},
            )
        return redirect("directory:representatives_review")
