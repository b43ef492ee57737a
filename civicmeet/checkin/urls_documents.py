"""Badges, the attendance list, certificates and the caterer's sheet (PDF, XLSX)."""

urlpatterns: list = []
