"""What every civicmeet admin is built on: the Django admin shows the domain, it does not write it.

Every change of state goes through one service (docs/architecture.md, "The Django admin"): the
service locks the row, checks its guard, writes the history and schedules what follows. A form
in the admin would write the row around all of that, so the admins here add, change and delete
nothing; the few changes an administrator needs are admin actions that call the services.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.db import models


class ReadOnlyAdminMixin:
    """No add, no change, no delete: the change page is a view-only page (Django shows every field
    read-only when the change permission is missing and the view permission is given)."""

    def has_add_permission(self, request, obj=None) -> bool:  # inlines pass the parent as `obj`
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyModelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """A view-only admin whose actions (if any) call services.

    An action that calls a service asks for the "service" permission
    (`@admin.action(permissions=["service"])`): the holders of Django's change permission on the
    model, although the admin itself changes nothing, so that view-only staff cannot run them.
    """

    # Web addresses typed without a scheme are read as https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_service_permission(self, request) -> bool:
        codename = get_permission_codename("change", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    """An inline shown as a table: no rows added, changed or deleted through it."""

    extra = 0
    can_delete = False
