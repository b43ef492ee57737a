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

from civicmeet.core.middleware import LINK_PAGE_REFERRER_POLICY
from civicmeet.core.ratelimits import limit_registration_view
from civicmeet.organisations.permissions import is_moderator

from . import exports, selectors, services
from .forms import NewProjectForm, OfferForm, ProgrammeForm, ProjectForm, SignUpForm
from .models import OfferSignUp, Programme, Project, ProjectOffer, SignUpStatus
from .page_sections import programme_sections
from .permissions import may_manage_project, may_see_offer, may_see_project


def _private(response: HttpResponse) -> HttpResponse:
    """A page behind a personal link: no token in Referer, no indexing, no shared caching."""
    response.headers["Referrer-Policy"] = LINK_PAGE_REFERRER_POLICY
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    add_never_cache_headers(response)
    return response


def _language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE)[:2]


class ProgrammeListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "programmes/programme_list.html",
            {"programmes": list(selectors.programme_list()), "is_moderator": is_moderator(request.user)},
        )


class ProgrammeDetailView(View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        programme = get_object_or_404(Programme, slug=slug)
        projects = list(selectors.project_list(request.user, programme=programme))
        return render(
            request,
            "programmes/programme_detail.html",
            {
                "programme": programme,
                "projects": projects,
                "is_moderator": is_moderator(request.user),
                # Added by the apps above (the programme's events: events.programme_section).
                "sections": programme_sections(programme, request.user),
            },
        )


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
        chosen = request.POST.get("signup") or ""
        signup = offer.signups.filter(pk=int(chosen)).first() if chosen.isdigit() else None
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


# -- The team's and the moderators' editing pages ---------------------------------------------------


class SignInRequired(LoginRequiredMixin):
    """Representatives have no password: an anonymous visitor is sent to ask for a sign-in link."""

    login_url = "accounts:signin_link"


def _form_errors(form, error: ValidationError) -> None:
    """A service's errors per field, next to the inputs they are about (a text per language: next
    to the reader's language's input)."""
    localized = getattr(form, "localized", {})
    for field, errors in error.message_dict.items():
        if field in localized:
            target: str | None = form.localized_field_name(field)
        else:
            target = field if field in form.fields else None
        form.add_error(target, errors)


def _moderator(request: HttpRequest) -> None:
    if not is_moderator(request.user):
        raise Http404


def _managed_project(request: HttpRequest, slug: str) -> Project:
    """The project, for its team only (404 for everyone else)."""
    project = get_object_or_404(Project.objects.select_related("organisation", "programme"), slug=slug)
    if not may_manage_project(request.user, project):
        raise Http404
    return project


class ProgrammeCreateView(SignInRequired, View):
    """A moderator adds a programme (the National Fund, another funder's)."""

    template_name = "programmes/programme_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        _moderator(request)
        return render(request, self.template_name, {"form": ProgrammeForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        _moderator(request)
        form = ProgrammeForm(request.POST)
        if form.is_valid():
            try:
                programme = services.programme_create(
                    slug=form.cleaned_data["slug"], data=form.programme_data(), actor=request.user
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The programme is saved."))
                return redirect("programmes:programme", slug=programme.slug)
        return render(request, self.template_name, {"form": form}, status=400)


class ProjectCreateView(SignInRequired, View):
    """A moderator adds a project of a programme, run by an organisation of the directory."""

    template_name = "programmes/project_form.html"

    def _page(self, request, programme, form, status=200):
        return render(request, self.template_name, {"form": form, "programme": programme}, status=status)

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        _moderator(request)
        programme = get_object_or_404(Programme, slug=slug)
        return self._page(request, programme, NewProjectForm())

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        _moderator(request)
        programme = get_object_or_404(Programme, slug=slug)
        form = NewProjectForm(request.POST)
        if form.is_valid():
            try:
                project = services.project_save(
                    programme=programme,
                    organisation=form.cleaned_data["organisation"],
                    slug=form.cleaned_data["slug"],
                    data=form.project_data(),
                    partners=form.cleaned_data["partners"],
                    actor=request.user,
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The project is saved."))
                return redirect("programmes:project", slug=project.slug)
        return self._page(request, programme, form, status=400)


class ProjectEditView(SignInRequired, View):
    """The project's team changes the project (history: programmes.services.project_save)."""

    template_name = "programmes/project_form.html"

    def _page(self, request, project, form, status=200):
        history = list(
            project.log_entries.select_related("actor").filter(signup__isnull=True).order_by("-created_at", "-pk")[:20]
        )
        return render(
            request,
            self.template_name,
            {"form": form, "project": project, "programme": project.programme, "history": history},
            status=status,
        )

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        project = _managed_project(request, slug)
        return self._page(request, project, ProjectForm(project=project))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        project = _managed_project(request, slug)
        form = ProjectForm(request.POST, project=project)
        if form.is_valid():
            try:
                services.project_save(
                    project=project,
                    data=form.project_data(),
                    partners=form.cleaned_data["partners"],
                    actor=request.user,
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The project is saved."))
                return redirect("programmes:project", slug=project.slug)
        return self._page(request, project, form, status=400)


class OfferCreateView(SignInRequired, View):
    template_name = "programmes/offer_form.html"

    def _page(self, request, project, form, status=200):
        return render(request, self.template_name, {"form": form, "project": project, "offer": None}, status=status)

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        project = _managed_project(request, slug)
        initial = {"city": project.organisation.city, "region": project.organisation.region, "languages": ["pl"]}
        return self._page(request, project, OfferForm(initial=initial))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        project = _managed_project(request, slug)
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                offer = services.offer_save(project=project, data=form.offer_data(), actor=request.user)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The offer is saved."))
                return redirect("programmes:offer", pk=offer.pk)
        return self._page(request, project, form, status=400)


class OfferEditView(SignInRequired, View):
    template_name = "programmes/offer_form.html"

    def _page(self, request, offer, form, status=200):
        return render(
            request,
            self.template_name,
            {"form": form, "project": offer.project, "offer": offer, "seats_taken": getattr(offer, "taken", 0)},
            status=status,
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        offer = _managed_offer(request, pk)
        return self._page(request, offer, OfferForm(offer=offer))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        offer = _managed_offer(request, pk)
        form = OfferForm(request.POST, offer=offer)
        if form.is_valid():
            try:
                services.offer_save(offer=offer, data=form.offer_data(), actor=request.user)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("The offer is saved."))
                return redirect("programmes:offer", pk=offer.pk)
        return self._page(request, offer, form, status=400)
