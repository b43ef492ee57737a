"""Admin for registrations: a fallback for looking things up, not the organisers' tool.

States are read-only here: every change of state goes through the services (the organisers'
pages), so that it is checked, logged and told to the participant.
"""

from __future__ import annotations

from django.contrib import admin

from .models import LogEntry, Registration


class LogEntryInline(admin.TabularInline):
    model = LogEntry
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "from_state", "to_state", "actor_kind", "actor", "message"]
    readonly_fields = fields
    ordering = ["created_at", "id"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "organisation", "state", "role", "language", "created_at"]
    list_filter = ["state", "role", "language", "dietary", "event"]
    search_fields = ["first_name", "last_name", "email", "organisation__name"]
    list_select_related = ["event", "organisation"]
    raw_id_fields = ["organisation"]
    readonly_fields = ["event", "token", "state", "role", "consent_processing_at", "created_at", "updated_at"]
    inlines = [LogEntryInline]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        # Registrations are created by participants (or as guests by organisers), through services.
        return False
