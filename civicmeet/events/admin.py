"""The Django admin for events: a fallback for administrators, not the organisers' product.

Organisers use the pages in events.views, which go through events.services.
"""

from django.contrib import admin

from .models import CustomQuestion, Event


class CustomQuestionInline(admin.TabularInline):
    model = CustomQuestion
    extra = 0
    fields = ["position", "key", "kind", "label", "required", "options"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "starts_at", "timezone", "is_published", "capacity"]
    list_filter = ["is_published", "timezone"]
    search_fields = ["slug", "title"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["co_organisers"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [CustomQuestionInline]

    def get_readonly_fields(self, request, obj=None):
        # The address is shared in invitations and chats, and stored pages are keyed by it.
        return [*self.readonly_fields, "slug"] if obj is not None else self.readonly_fields
