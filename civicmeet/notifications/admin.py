"""Admin for the outbox: a view of what was sent; the organisers' page is the outbox view.

Only the services change an email; the one action, sending failed emails again, calls one.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy, ngettext

from civicmeet.core.admin import ReadOnlyModelAdmin
from civicmeet.core.errors import DomainError

from .models import OutgoingEmail
from .services import email_retry


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyModelAdmin):
    list_display = ["to", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind", "language"]
    search_fields = ["to", "subject"]
    actions = ["retry_now"]
    date_hierarchy = "created_at"

    @admin.action(description=gettext_lazy("Send the selected failed emails again now"), permissions=["service"])
    def retry_now(self, request, queryset) -> None:
        retried = 0
        for email in queryset:
            try:
                email_retry(email=email)
            except DomainError as error:
                self.message_user(request, f"{email.to}: {error.message}", messages.WARNING)
            else:
                retried += 1
        self.message_user(
            request,
            ngettext("%(count)d email queued to be sent again.", "%(count)d emails queued to be sent again.", retried)
            % {"count": retried},
        )
