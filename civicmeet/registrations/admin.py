"""Admin for registrations: a view for looking things up, not the organisers' tool.

Nothing is edited here: every change goes through the services (the organisers' pages and the
API), so that it is locked, checked, logged, recomputed and told to the participant. The one
action is the erasure of personal data on request, through privacy.registration_erase, after a
confirmation page.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_permission_codename
from django.template.response import TemplateResponse
from django.utils.translation import gettext, gettext_lazy, ngettext

from civicmeet.core.admin import ReadOnlyModelAdmin, ReadOnlyTabularInline
from civicmeet.core.errors import DomainError

from . import privacy
from .models import ActorKind, DataPurge, LogEntry, Reconfirmation, Registration, Reminder, SeatOffer


class LogEntryInline(ReadOnlyTabularInline):
    model = LogEntry
    fields = readonly_fields = ("created_at", "action", "from_state", "to_state", "actor_kind", "actor", "message")
    ordering = ["created_at", "id"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "event", "organisation", "state", "role", "language", "created_at"]
    list_filter = ["state", "role", "language", "dietary", "event"]
    search_fields = ["first_name", "last_name", "email", "organisation__name"]
    list_select_related = ["event", "organisation"]
    # The token is the person's personal link: it is not shown, not even to administrators.
    exclude = ["token"]
    inlines = [LogEntryInline]
    date_hierarchy = "created_at"
    actions = ["erase"]

    def has_erase_permission(self, request) -> bool:
        # Erasure removes the person for good: it asks for the delete permission, which the
        # admin's own delete page never uses (deleting a registration would skip the services).
        codename = get_permission_codename("delete", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    @admin.action(description=gettext_lazy("Erase the selected registrations' personal data"), permissions=["erase"])
    def erase(self, request, queryset):
        """First the confirmation page; its "yes" posts the action again with `post=yes`."""
        if request.POST.get("post") != "yes":
            return TemplateResponse(
                request,
                "admin/registrations/registration/erase_selected_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": gettext("Erase personal data"),
                    "subtitle": None,
                    "opts": self.opts,
                    "queryset": queryset,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "media": self.media,
                },
            )
        erased = 0
        for registration in queryset:
            if registration.anonymised_at is not None:
                continue
            number = registration.pk
            try:
                privacy.registration_erase(
                    registration=registration, actor_kind=ActorKind.ORGANISER, actor=request.user
                )
            except DomainError as error:
                self.message_user(
                    request,
                    gettext("Registration no. %(number)d: %(error)s") % {"number": number, "error": error.message},
                    messages.WARNING,
                )
            else:
                erased += 1
        self.message_user(
            request,
            ngettext(
                "The personal data of %(count)d registration has been erased. Only the counts remain.",
                "The personal data of %(count)d registrations has been erased. Only the counts remain.",
                erased,
            )
            % {"count": erased},
        )
        return None


@admin.register(DataPurge)
class DataPurgeAdmin(ReadOnlyModelAdmin):
    """The record of personal data removed on schedule or on request (what, how many, when)."""

    list_display = ["created_at", "kind", "count", "event"]
    list_filter = ["kind"]
    list_select_related = ["event"]
    date_hierarchy = "created_at"


# -- Before the day: reconfirmation, waiting-list offers, reminders ------------------------------
# Looked up, never changed: the answers and the offers go through reconfirmation.py and offers.py
# (locks, the seat rule, history, emails). The links' token hashes are not shown.


@admin.register(Reconfirmation)
class ReconfirmationAdmin(ReadOnlyModelAdmin):
    """Who was asked "Are you still coming?", when, and what they answered ('' = not yet)."""

    list_display = ["registration", "event", "answer", "created_at", "answered_at"]
    list_filter = ["answer", "registration__event"]
    search_fields = ["registration__first_name", "registration__last_name", "registration__email"]
    list_select_related = ["registration__event"]
    exclude = ["token_hash"]
    raw_id_fields = ["registration"]
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("event"), ordering="registration__event")
    def event(self, obj: Reconfirmation):
        return obj.registration.event


@admin.register(SeatOffer)
class SeatOfferAdmin(ReadOnlyModelAdmin):
    """The seats offered to the waiting list: to whom, by whom, until when and the outcome."""

    list_display = ["registration", "event", "state", "created_at", "expires_at", "answered_at", "offered_by"]
    list_filter = ["state", "event"]
    search_fields = ["registration__first_name", "registration__last_name", "registration__email"]
    list_select_related = ["registration", "event", "offered_by"]
    exclude = ["token_hash"]
    raw_id_fields = ["registration", "offered_by"]
    date_hierarchy = "created_at"


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyModelAdmin):
    """Who had the reminder the day before, and when (one per person)."""

    list_display = ["registration", "event", "created_at"]
    list_filter = ["registration__event"]
    search_fields = ["registration__first_name", "registration__last_name", "registration__email"]
    list_select_related = ["registration__event"]
    raw_id_fields = ["registration"]
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("event"), ordering="registration__event")
    def event(self, obj: Reminder):
        return obj.registration.event
