"""Admin for API tokens and teams: views for administrators, writing nothing around the services.

Accounts themselves are Django's users, in Django's own user admin. Teams change through the
event's team page and API (events.services), which keep at least one organiser on a team.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from civicmeet.core.admin import ReadOnlyModelAdmin, ReadOnlyTabularInline

from .models import ApiToken, Team, TeamMember
from .services import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyModelAdmin):
    """Tokens are issued by `create_organiser --api-token` (the raw token is shown once there).

    Deleting is revoking, and it is allowed (Django's delete page and its "delete selected"
    action, for holders of the delete permission), through `api_token_revoke`.
    """

    list_display = ["user", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__username"]
    date_hierarchy = "created_at"
    # The hash is of no use to anyone reading the page; the raw token is never stored.
    fields = ["user", "created_at", "last_used_at"]
    readonly_fields = ["created_at", "last_used_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return admin.ModelAdmin.has_delete_permission(self, request, obj)

    def delete_model(self, request, obj: ApiToken) -> None:
        api_token_revoke(token=obj)

    def delete_queryset(self, request, queryset) -> None:
        for token in queryset:
            api_token_revoke(token=token)


class TeamMemberInline(ReadOnlyTabularInline):
    model = TeamMember
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    ordering = ["role", "user__email"]


@admin.register(Team)
class TeamAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "created_at"]
    search_fields = ["members__user__email"]
    inlines = [TeamMemberInline]


@admin.register(TeamMember)
class TeamMemberAdmin(ReadOnlyModelAdmin):
    list_display = ["user", "role", "team", "created_at"]
    list_filter = ["role"]
    list_select_related = ["user", "team"]
    search_fields = ["user__email", "user__username"]


class UserAdmin(DjangoUserAdmin):
    """Django's user admin, except that a person on a team cannot be deleted here: deleting them
    would take them off their teams around `team_member_remove`, which keeps an organiser on
    every team. Take them off the teams first (or deactivate the account)."""

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.team_memberships.exists():
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset.filter(team_memberships=None))


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserAdmin)
