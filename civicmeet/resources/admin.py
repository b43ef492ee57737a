from django.contrib import admin

from civicmeet.core.admin import ReadOnlyModelAdmin

from .models import Activity, ContactRequest, Resource, ResourceLogEntry, Suggestion


@admin.register(Activity)
class ActivityAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "organisation", "starts_on", "ends_on", "visibility"]
    list_filter = ["visibility", "looking_for_partners"]
    search_fields = ["title", "organisation__name"]
    list_select_related = ["organisation"]


@admin.register(Resource)
class ResourceAdmin(ReadOnlyModelAdmin):
    list_display = ["title", "organisation", "direction", "category", "quantity", "region", "active"]
    list_filter = ["direction", "category", "region", "active", "visibility"]
    search_fields = ["title", "organisation__name", "city"]
    list_select_related = ["organisation"]


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyModelAdmin):
    list_display = ["offer", "need", "score", "computed_at", "dismissed_by_offerer", "dismissed_by_needer"]
    list_select_related = ["offer", "need"]


@admin.register(ContactRequest)
class ContactRequestAdmin(ReadOnlyModelAdmin):
    list_display = ["from_organisation", "to_organisation", "status", "created_at", "answered_at"]
    list_filter = ["status"]
    list_select_related = ["from_organisation", "to_organisation"]
    exclude = ["message"]


@admin.register(ResourceLogEntry)
class ResourceLogEntryAdmin(ReadOnlyModelAdmin):
    list_display = ["organisation", "item_kind", "item_id", "action", "actor", "created_at"]
    list_filter = ["item_kind", "action"]
    list_select_related = ["organisation", "actor"]
