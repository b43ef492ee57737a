from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django_ratelimit.decorators import ratelimit

from civicmeet.core.errors import DomainError
from civicmeet.core.middleware import LINK_PAGE_REFERRER_POLICY
from civicmeet.core.ratelimits import limit_login_view

from . import services, signin_links
from .forms import InvitationAccountForm, LoginForm, SignInLinkForm
from .models import TeamInvitation, TeamRole, hash_token


@limit_login_view
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@limit_login_view  # setting a password is as sensitive as trying one
class InvitationView(View):
    """The one-time link of a team invitation: set up an account (name, password) and join, or,
    signed in, accept. A link that cannot be used gets a page that says why."""

    template_name = "accounts/invitation.html"

    def refused(self, request: HttpRequest, error: services.InvitationRefused) -> HttpResponse:
        status = 404 if error.code == "unknown" else 410
        context = {"message": error.message, "code": error.code}
        return render(request, "accounts/invitation_refused.html", context, status=status)

    def page(self, request: HttpRequest, invitation: TeamInvitation, form=None) -> HttpResponse:
        context = {
            "invitation": invitation,
            "role": TeamRole(invitation.role).label,
            "has_account": services.invitation_account_exists(invitation),
            "form": form or InvitationAccountForm(),
        }
        response = render(request, self.template_name, context)
        response["Referrer-Policy"] = LINK_PAGE_REFERRER_POLICY  # the token is in the address
        return response

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            invitation = services.team_invitation_get(token=token)
        except services.InvitationRefused as error:
            return self.refused(request, error)
        return self.page(request, invitation)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            invitation = services.team_invitation_get(token=token)
        except services.InvitationRefused as error:
            return self.refused(request, error)
        form = None
        try:
            if request.user.is_authenticated:
                member = services.team_invitation_accept(token=token, user=request.user)
            else:
                form = InvitationAccountForm(request.POST)
                if not form.is_valid():
                    return self.page(request, invitation, form)
                member = services.team_invitation_accept(
                    token=token, name=form.cleaned_data["name"], password=form.cleaned_data["password1"]
                )
                login(request, member.user, backend=settings.AUTHENTICATION_BACKENDS[0])
        except services.InvitationRefused as error:
            return self.refused(request, error)
        except ValidationError as error:
            assert form is not None
            form.add_error("password1", error)
            return self.page(request, invitation, form)
        except DomainError as error:
            form = form or InvitationAccountForm()
            form.add_error(None, error.message)
            return self.page(request, invitation, form)
        messages.success(request, _("Welcome to the team of “%(team)s”.") % {"team": invitation.team_name})
        target = invitation.landing_url
        if not (target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())):
            target = resolve_url(settings.LOGIN_REDIRECT_URL)
        return redirect(target)


# -- Sign-in by one-time link ---------------------------------------------------------------------


def _signin_address_key(group: str, request: HttpRequest) -> str:
    """The address typed, normalised and hashed: the per-address limit counts unknown addresses
    the same way as known ones, so it says nothing about which accounts exist."""
    return hash_token(signin_links.normalise_email(request.POST.get("email", "")).casefold())


def _signin_address_rate(group, request) -> str | None:
    return settings.RATE_LIMIT_SIGNIN_LINK_ADDRESS if settings.RATE_LIMITS_ENABLED else None


def _signin_ip_rate(group, request) -> str | None:
    return settings.RATE_LIMIT_SIGNIN_LINK if settings.RATE_LIMITS_ENABLED else None


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Referrer-Policy"] = LINK_PAGE_REFERRER_POLICY  # the token is in the address
    response["X-Robots-Tag"] = "noindex"
    return response


@method_decorator(
    ratelimit(group="signin_link_address", key=_signin_address_key, rate=_signin_address_rate, method="POST"),
    name="post",
)
@method_decorator(ratelimit(group="signin_link", key="ip", rate=_signin_ip_rate, method="POST"), name="post")
class SignInLinkRequestView(View):
    """Ask for a sign-in link. The answer is the same for every address, known or not."""

    template_name = "accounts/signin_link.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = SignInLinkForm(
            initial={"next": signin_links.safe_next(request.GET.get("next"), host=request.get_host())}
        )
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SignInLinkForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        next_url = signin_links.safe_next(form.cleaned_data["next"], host=request.get_host())
        signin_links.signin_link_request(
            email=form.cleaned_data["email"], language=get_language() or settings.LANGUAGE_CODE, next_url=next_url
        )
        return render(request, "accounts/signin_link_sent.html", {"email": form.cleaned_data["email"]})


class SignInLinkOpenView(View):
    """The link from the email. GET shows a "Sign in" button and changes nothing; POST signs in."""

    def refused(self, request: HttpRequest, error: signin_links.SignInLinkRefused) -> HttpResponse:
        status = 404 if error.code == "unknown" else 410
        context = {"message": error.message, "code": error.code}
        return _private(render(request, "accounts/signin_link_refused.html", context, status=status))

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            link = signin_links.signin_link_get(token=token)
        except signin_links.SignInLinkRefused as error:
            return self.refused(request, error)
        return _private(render(request, "accounts/signin_link_open.html", {"link": link}))

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            link = signin_links.signin_link_use(token=token)
        except signin_links.SignInLinkRefused as error:
            return self.refused(request, error)
        # login() rotates the session key (a session fixed before cannot be reused) and flushes
        # the session of anyone else who was signed in in this browser.
        login(request, link.user, backend=settings.AUTHENTICATION_BACKENDS[0])
        target = signin_links.safe_next(link.next_url, host=request.get_host(), secure=request.is_secure())
        return redirect(target or signin_links.landing_url(link.user))
