"""Admin for tickets and check-ins: a view for looking things up; check-ins go through services.py.

Nothing here shows a ticket's code (its nonce) or the basis a person showed at the desk (health data).
"""

from __future__ import annotations

from django.contrib import admin

from civicmeet.core.admin import ReadOnlyModelAdmin

from .models import CheckIn, CheckInRequest, Ticket


@admin.register(Ticket)
class TicketAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "registration", "created_at"]
    list_select_related = ["registration"]
    # The nonce is the ticket's secret half (with the signature it is the code): not shown.
    exclude = ["nonce"]
    raw_id_fields = ["registration", "accepted_entry"]


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyModelAdmin):
    list_display = ["__str__", "event", "checked_in_at", "checked_in_by", "source", "verdict"]
    list_filter = ["source", "event"]
    list_select_related = ["event", "registration", "checked_in_by"]
    # Which basis of the safety rule the person showed (vaccinated, recovered, tested) is health
    # data: the desk records it for the day, the admin does not show it.
    exclude = ["basis"]
    raw_id_fields = ["registration", "checked_in_by"]


@admin.register(CheckInRequest)
class CheckInRequestAdmin(ReadOnlyModelAdmin):
    list_display = ["client_id", "event", "duplicate", "created_at", "user"]
    list_filter = ["duplicate", "event"]
    list_select_related = ["event", "user"]
    raw_id_fields = ["checkin", "user"]
