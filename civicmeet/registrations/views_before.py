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
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import View

from civicmeet.core.errors import DomainError
from civicmeet.core.ratelimits import limit_registration_view

from .models import OfferState, ReconfirmAnswer, Registration, SeatOffer, State, seat_filter
from .offers import offer_accept, offer_by_token, offer_decline, offer_make, offers_fill, waitlist, waitlist_move
from .personal_link import private_response
from .reconfirmation import reconfirmation_answer, reconfirmation_by_token, reconfirmation_summary
from .reminders import reminder_due_at
from .views_manage import EventManageMixin


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


# -- The organisers' page: who answered what, the waiting list in its order, its offers -----------


class BeforeTheDayView(EventManageMixin, View):
    """Who answered "Are you still coming?" and who has not; the waiting list in its order, with
    each person's offer, the seats free, and the buttons to move people and offer seats."""

    http_method_names = ["get", "head"]
    nav_active = "before_the_day"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = self.event
        now = timezone.now()
        waiting = list(waitlist(event))
        offers: dict[int, SeatOffer] = {}
        for made in SeatOffer.objects.filter(event=event, registration__in=[r.pk for r in waiting]).order_by("id"):
            offers[made.registration_id] = made  # the latest per person
        rows = []
        for place, registration in enumerate(waiting, start=1):
            offer = offers.get(registration.pk)
            holding = offer is not None and offer.state == OfferState.PENDING and offer.expires_at > now
            rows.append({"place": place, "registration": registration, "offer": offer, "holding": holding})
        accepted = Registration.objects.filter(seat_filter(), event=event).count()
        held = sum(1 for row in rows if row["holding"])
        return render(
            request,
            "registrations/manage/before_the_day.html",
            self.context(
                summary=reconfirmation_summary(event),
                rows=rows,
                seats={
                    "capacity": event.capacity,
                    "accepted": accepted,
                    "held": held,
                    "free": max(event.capacity - accepted - held, 0),
                },
                reminder_at=reminder_due_at(event),
            ),
        )


class _BeforeTheDayAction(EventManageMixin, View):
    http_method_names = ["post"]

    def page_url(self) -> str:
        return reverse("registrations:before_the_day", kwargs={"slug": self.event.slug}) + "#waiting-list"


class WaitlistMoveView(_BeforeTheDayAction):
    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        registration = self.get_registration(pk)
        try:
            waitlist_move(
                event=self.event,
                registration=registration,
                direction=request.POST.get("direction", ""),
                actor=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        return redirect(self.page_url())


class OfferMakeView(_BeforeTheDayAction):
    def post(self, request: HttpRequest, slug: str, pk: int) -> HttpResponse:
        registration = self.get_registration(pk)
        try:
            offer_make(registration=registration, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The seat was offered to %(name)s by email.") % {"name": registration.full_name},
            )
        return redirect(self.page_url())


class OffersFillView(_BeforeTheDayAction):
    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        made = offers_fill(event=self.event, actor=request.user)
        if made:
            messages.success(
                request,
                ngettext(
                    "%(count)d seat was offered to the next person on the waiting list.",
                    "%(count)d seats were offered to the next people on the waiting list.",
                    len(made),
                )
                % {"count": len(made)},
            )
        else:
            messages.info(request, _("No seat was offered: there is no free seat, or nobody left to offer it to."))
        return redirect(self.page_url())
