"""The organisers' page "Cover, logos and contact": how the event shows who runs it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from civicmeet.core.errors import DomainError

from . import selectors, services
from .forms.identity import EventIdentityForm
from .models import Event
from .views import OrganiserMixin, add_validation_errors


class EventIdentityView(OrganiserMixin, View):
    template_name = "events/identity.html"

    def get_event(self) -> Event:
        event = super().get_event()
        # The pictures shown on the page, without their bytes.
        return selectors.event_with_identity(Event.objects.filter(pk=event.pk)).get()

    def render_page(self, request: HttpRequest, event: Event, form: EventIdentityForm) -> HttpResponse:
        return render(request, self.template_name, {"event": event, "form": form})

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = self.get_event()
        return self.render_page(request, event, EventIdentityForm(event=event))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        event = self.get_event()
        form = EventIdentityForm(request.POST, request.FILES, event=event)
        if form.is_valid():
            try:
                services.event_identity_update(
                    event=event,
                    contact=form.contact_data(),
                    cover=form.cover_data(),
                    logos=form.logos_data(),
                    actor=request.user,
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("events:identity", slug=event.slug)
        return self.render_page(request, event, form)
