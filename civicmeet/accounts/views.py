from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from civicmeet.core.errors import DomainError
from civicmeet.core.ratelimits import limit_login_view

from . import services
from .forms import InvitationAccountForm, LoginForm
from .models import TeamInvitation, TeamRole


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
        response["Referrer-Policy"] = "no-referrer"  # the token is in the address
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
