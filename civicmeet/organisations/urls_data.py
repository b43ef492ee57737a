"""The directory's data pages: duplicates and their merge, import, export (views_data.py)."""

from django.urls import path

from . import views_data as views

urlpatterns: list = [
    path("network/duplicates/", views.duplicates_view, name="duplicates"),
    path("network/duplicates/scan/", views.duplicates_scan_view, name="duplicates_scan"),
    path("network/duplicates/not-duplicates/", views.not_duplicates_view, name="not_duplicates"),
    path("network/duplicates/merge/<int:survivor>/<int:duplicate>/", views.merge_view, name="merge"),
    path("network/organisations/<int:organisation_pk>/merges/", views.merge_history_view, name="merge_history"),
    path("network/import/", views.import_view, name="import"),
    path("network/import/apply/", views.import_apply_view, name="import_apply"),
    path("network/import/template.csv", views.import_template_view, {"extension": "csv"}, name="import_template_csv"),
    path(
        "network/import/template.xlsx", views.import_template_view, {"extension": "xlsx"}, name="import_template_xlsx"
    ),
    path("network/export/", views.export_page_view, name="export"),
    path("network/export/organisations.csv", views.export_view, {"extension": "csv"}, name="export_csv"),
    path("network/export/organisations.xlsx", views.export_view, {"extension": "xlsx"}, name="export_xlsx"),
    path("network/export/organisations.json", views.export_view, {"extension": "json"}, name="export_json"),
]
