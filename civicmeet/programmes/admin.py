"""Admin for programmes, projects, offers and sign-ups: a view. Every change goes through
programmes.services (history, seats, emails); nothing is edited here."""

from __future__ import annotations

from django.contrib import admin

from civicmeet.core.admin import ReadOnlyModelAdmin

from .models import OfferSignUp, Programme, ProgrammeLogEntry, Project, ProjectOffer


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyModelAdmin):
    list_display = ["slug", "funder", "operator"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyModelAdmin):
    list_display = ["slug", "short_name", "programme", "organisation", "visibility"]
    list_select_related = ["programme", "organisation"]


@admin.register(ProjectOffer)
class ProjectOfferAdmin(ReadOnlyModelAdmin):
    list_display = ["id", "project", "kind", "starts_at", "seats", "status"]
    list_filter = ["kind", "status"]
    list_select_related = ["project"]


@admin.register(OfferSignUp)
class OfferSignUpAdmin(ReadOnlyModelAdmin):
    list_display = ["id", "offer", "status", "source", "created_at"]
    list_filter = ["status", "source"]
    exclude = ["token_hash"]


@admin.register(ProgrammeLogEntry)
class ProgrammeLogEntryAdmin(ReadOnlyModelAdmin):
    list_display = ["action", "project", "created_at"]
    list_filter = ["action"]
