"""From the participant's personal page: "become your organisation's representative in the network"."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from civicmeet.core.errors import DomainError
from civicmeet.core.ratelimits import limit_registration_view
from civicmeet.organisations.models import RepresentativeSource
from civicmeet.organisations.services_representatives import representative_request_by_email

from .personal_link import registration_by_token


@limit_registration_view  # it sends an email: the registration form's budget per address
class RepresentView(View):
    """POST: the registration's email asks to represent the registration's organisation; a
    moderator decides. An email with a sign-in link to the network home follows."""

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        registration = registration_by_token(token)
        organisation = registration.organisation
        if organisation is None or not registration.email:
            return redirect("registrations:personal", token=token)
        event = registration.event
        try:
            representative_request_by_email(
                organisation=organisation,
                email=registration.email,
                name=registration.full_name,
                role=registration.organisation_role,
                language=registration.language,
                source=RepresentativeSource.REGISTRATION,
                details={"event": event.slug, "event_title": event.display_title(), "registration": registration.pk},
            )
        except DomainError as error:
            messages.info(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Thank you. The moderators will confirm that you represent your organisation; "
                    "we have emailed you a link to sign in to the network."
                ),
            )
        return redirect("registrations:personal", token=token)
