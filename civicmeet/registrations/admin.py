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
from .models import ActorKind, DataPurge, LogEntry, Registration


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
