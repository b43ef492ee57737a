"""Admin for the organisation directory: a view. Organisations are created by the services
(a participant naming a new one, an organiser adding a co-organiser); nothing is edited here."""

from __future__ import annotations

from django.contrib import admin

from civicmeet.core.admin import ReadOnlyModelAdmin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyModelAdmin):
    list_display = ["name", "type", "created_at"]
    list_filter = ["type"]
    search_fields = ["name"]
    date_hierarchy = "created_at"
