"""The Django admin for events: a view for administrators, not the organisers' product.

Organisers change events on the pages in events.views and through the API, which go through
events.services; so do the admin's two actions, publish and unpublish, which write the event's
history like every other change. Nothing else is written here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy, ngettext

from civicmeet.core.admin import ReadOnlyModelAdmin, ReadOnlyTabularInline
from civicmeet.core.errors import DomainError

from .models import CustomQuestion, Event, EventLogEntry, TeamAffiliation
from .services import event_publish, event_unpublish


class CustomQuestionInline(ReadOnlyTabularInline):
    model = CustomQuestion
    fields = ["position", "key", "kind", "label", "required", "options"]


class EventLogEntryInline(ReadOnlyTabularInline):
    """The event's history (newest first), as the services wrote it; the admin's actions add to it."""

    model = EventLogEntry
    fields = readonly_fields = ("created_at", "action", "actor", "changes")
    verbose_name_plural = gettext_lazy("history")


@admin.register(Event)
class EventAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "slug", "starts_at", "timezone", "is_published", "capacity"]
    list_filter = ["is_published", "timezone"]
    search_fields = ["slug", "title"]
    date_hierarchy = "starts_at"
    readonly_fields = ["team_members"]
    inlines = [CustomQuestionInline, EventLogEntryInline]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("team")

    @admin.display(description=gettext_lazy("team members"))
    def team_members(self, event: Event) -> str:
        members = event.team.members.select_related("user", "affiliation__organisation").order_by("role", "user__email")
        return format_html_join(
            "",
            "<p>{} ({}){}</p>",
            (
                (
                    member.user.email or member.user.get_username(),
                    member.get_role_display(),
                    f" — {member.affiliation.organisation}" if hasattr(member, "affiliation") else "",
                )
                for member in members
            ),
        )

    @admin.action(description=gettext_lazy("Publish the selected events"), permissions=["service"])
    def publish(self, request, queryset) -> None:
        done = self._call_each(request, queryset, event_publish)
        self.message_user(
            request, ngettext("%(count)d event published.", "%(count)d events published.", done) % {"count": done}
        )

    @admin.action(description=gettext_lazy("Unpublish the selected events"), permissions=["service"])
    def unpublish(self, request, queryset) -> None:
        done = self._call_each(request, queryset, event_unpublish)
        self.message_user(
            request,
            ngettext("%(count)d event unpublished.", "%(count)d events unpublished.", done) % {"count": done},
        )

    def _call_each(self, request, queryset, service: Callable[..., Event]) -> int:
        """Call the service for each event, each in its own transaction: one refusal (shown with
        the event's name) does not undo the others."""
        done = 0
        for event in queryset:
            try:
                service(event=event, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{event}: {error.message}", messages.WARNING)
            else:
                done += 1
        return done


@admin.register(TeamAffiliation)
class TeamAffiliationAdmin(ReadOnlyModelAdmin):
    list_display = ["member", "organisation"]
    list_select_related = ["member__user", "organisation"]
    search_fields = ["member__user__email", "organisation__name"]
