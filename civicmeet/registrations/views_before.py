"""The participant's answers before the day: "Are you still coming?" and a seat offered from the
waiting list. No login: the link's own token (stored hashed) is the key.

Opening a link only shows a page: a mail scanner that follows links answers nothing. The answer is
the POST of one of the page's buttons (with CSRF), and the same answer twice changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import View

from civicmeet.core.errors import DomainError
from civicmeet.core.ratelimits import limit_registration_view

from .models import OfferState, ReconfirmAnswer, State
from .offers import offer_accept, offer_by_token, offer_decline
from .personal_link import private_response
from .reconfirmation import reconfirmation_answer, reconfirmation_by_token


def _event_context(event) -> dict[str, Any]:
    return {"event": event, "event_title": event.display_title()}


@limit_registration_view
class ReconfirmView(View):
    """GET: the question with its two buttons; POST answer=yes|no."""

    def _get_object(self, token: str):
        reconfirmation = reconfirmation_by_token(token)
        if reconfirmation is None:
            raise Http404
        return reconfirmation

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        reconfirmation = self._get_object(token)
        registration = reconfirmation.registration
        event = registration.event
        open_ = (
            registration.state == State.ACCEPTED
            and reconfirmation.answer != ReconfirmAnswer.NO
            and event.starts_at > timezone.now()
        )
        response = render(
            request,
            "registrations/participant/reconfirm.html",
            {
                **_event_context(event),
                "registration": registration,
                "reconfirmation": reconfirmation,
                "can_answer": open_,
            },
        )
        return private_response(response)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        reconfirmation = self._get_object(token)
        answer = request.POST.get("answer", "")
        try:
            result = reconfirmation_answer(reconfirmation=reconfirmation, answer=answer)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            if answer == ReconfirmAnswer.YES:
                messages.success(request, _("Thank you: we have noted that you are coming. See you there!"))
            elif result.changed:
                messages.success(
                    request,
                    _("Thank you for telling us. Your registration is cancelled and your seat goes to someone else."),
                )
            else:
                messages.info(request, _("You have already told us that you cannot come."))
        return private_response(redirect("registrations:reconfirm", token=token))


@limit_registration_view
class OfferView(View):
    """GET: the offered seat with "accept" and "decline"; POST action=accept|decline."""

    def _get_object(self, token: str):
        offer = offer_by_token(token)
        if offer is None:
            raise Http404
        return offer

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        offer = self._get_object(token)
        registration = offer.registration
        event = offer.event
        registration.event = event
        is_open = (
            offer.state == OfferState.PENDING
            and offer.expires_at > timezone.now()
            and registration.state == State.WAITLISTED
        )
        response = render(
            request,
            "registrations/participant/offer.html",
            {
                **_event_context(event),
                "registration": registration,
                "offer": offer,
                "is_open": is_open,
                "expired": offer.state == OfferState.EXPIRED
                or (offer.state == OfferState.PENDING and offer.expires_at <= timezone.now()),
            },
        )
        return private_response(response)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        offer = self._get_object(token)
        action = request.POST.get("action", "")
        try:
            if action == "accept":
                offer_accept(offer=offer)
                messages.success(
                    request, _("The seat is yours: you are accepted. We have sent you an email with the details.")
                )
            elif action == "decline":
                offer_decline(offer=offer)
                messages.success(request, _("Thank you for telling us. The seat will be offered to the next person."))
            else:
                raise DomainError(_("Choose whether you accept the seat."))
        except DomainError as error:
            messages.error(request, error.message)
        return private_response(redirect("registrations:offer", token=token))
