"""Pages of programmes, projects and offers; the sign-up form; the person's own sign-up page; the
project team's list of sign-ups with its exports. Views are thin: permissions from
programmes.permissions, changes through programmes.services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import View

from civicmeet.core.ratelimits import limit_registration_view

from . import exports, selectors, services
from .forms import SignUpForm
from .models import OfferSignUp, Programme, Project, ProjectOffer, SignUpStatus
from .permissions import may_manage_project, may_see_offer, may_see_project


def _private(response: HttpResponse) -> HttpResponse:
    """A page behind a personal link: no token in Referer, no indexing, no shared caching."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


def _language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE)[:2]


class ProgrammeListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "programmes/programme_list.html", {"programmes": list(selectors.programme_list())})


class ProgrammeDetailView(View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        programme = get_object_or_404(Programme, slug=slug)
        projects = list(selectors.project_list(request.user, programme=programme))
        return render(request, "programmes/programme_detail.html", {"programme": programme, "projects": projects})


def _visible_project(request: HttpRequest, slug: str) -> Project:
    project = get_object_or_404(Project.objects.select_related("organisation", "programme"), slug=slug)
    if not may_see_project(request.user, project):
        raise Http404
    return project


class ProjectDetailView(View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        project = _visible_project(request, slug)
        offers = list(selectors.offer_list(request.user, project=project))
        for offer in offers:
            offer.seats_left = selectors.seats_left(offer)  # type: ignore[attr-defined]
        return render(
            request,
            "programmes/project_detail.html",
            {
                "project": project,
                "partners": list(project.partners.all()),
                "offers": offers,
                "is_team": may_manage_project(request.user, project),
            },
        )


def _visible_offer(request: HttpRequest, pk: int) -> ProjectOffer:
    offer = selectors.offer_get(pk)
    if offer is None or not may_see_offer(request.user, offer):
        raise Http404
    return offer


@limit_registration_view
class OfferDetailView(View):
    template_name = "programmes/offer_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        offer = _visible_offer(request, pk)
        return self._page(request, offer, SignUpForm(language=_language()))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        offer = _visible_offer(request, pk)
        form = SignUpForm(request.POST, language=_language())
        if not form.is_valid():
            return self._page(request, offer, form)
        try:
            signup, token = services.offer_signup(offer=offer, data=form.signup_data())
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self._page(request, offer, form)
        except services.SignUpError as error:
            form.add_error(None, error.message)
            return self._page(request, offer, form, status=409)
        return redirect("programmes:signup", token=token)

    def _page(self, request: HttpRequest, offer: ProjectOffer, form: SignUpForm, *, status: int = 200) -> HttpResponse:
        context: dict[str, Any] = {
            "offer": offer,
            "project": offer.project,
            "form": form,
            "seats_left": selectors.seats_left(offer),
            "refusal": services.signup_refusal(offer),
            "is_team": may_manage_project(request.user, offer.project),
        }
        return render(request, self.template_name, context, status=status)


class SignUpPersonalView(View):
    """The person's own sign-up: GET shows it, POST cancels it."""

    def _signup(self, token: str) -> OfferSignUp:
        signup = services.signup_by_token(token)
        if signup is None:
            raise Http404
        return signup

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        signup = self._signup(token)
        return _private(render(request, "programmes/signup_personal.html", {"signup": signup, "offer": signup.offer}))

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        signup = self._signup(token)
        try:
            services.signup_cancel(signup=signup)
        except services.SignUpError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your sign-up was cancelled."))
        return _private(redirect("programmes:signup", token=token))


def _managed_offer(request: HttpRequest, pk: int) -> ProjectOffer:
    """The offer, for its project's team only (404 for everyone else: nothing to learn from a 403)."""
    offer = selectors.offer_get(pk)
    if offer is None or not may_manage_project(request.user, offer.project):
        raise Http404
    return offer


class SignUpListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        offer = _managed_offer(request, pk)
        signups = list(selectors.signup_list(offer))
        counts = {status: 0 for status in SignUpStatus.values}
        for signup in signups:
            counts[signup.status] += 1
        response = render(
            request,
            "programmes/signup_list.html",
            {
                "offer": offer,
                "project": offer.project,
                "signups": signups,
                "counts": counts,
                "seats_left": selectors.seats_left(offer),
            },
        )
        add_never_cache_headers(response)
        return response

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The team cancels one sign-up (someone wrote they cannot come)."""
        offer = _managed_offer(request, pk)
        signup = offer.signups.filter(pk=request.POST.get("signup")).first()
        if signup is None:
            raise Http404
        try:
            services.signup_cancel(signup=signup, actor=request.user)
        except services.SignUpError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The sign-up was cancelled."))
        return redirect("programmes:signups", pk=offer.pk)


class SignUpExportView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        if fmt not in ("csv", "xlsx"):
            raise Http404
        offer = _managed_offer(request, pk)
        signups = selectors.signup_list(offer)
        if fmt == "csv":
            response = HttpResponse(exports.csv_text(signups), content_type=exports.CSV_CONTENT_TYPE)
        else:
            response = HttpResponse(exports.xlsx_bytes(signups), content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(offer.pk, fmt)}"'
        add_never_cache_headers(response)
        return response
