"""The directory's data pages: duplicates and their merge, import, export (views_data.py)."""

from django.urls import path, re_path

from . import views_data as views

urlpatterns: list = [
    path("network/duplicates/", views.duplicates_view, name="duplicates"),
    path("network/duplicates/scan/", views.duplicates_scan_view, name="duplicates_scan"),
    path("network/duplicates/not-duplicates/", views.not_duplicates_view, name="not_duplicates"),
    path("network/duplicates/merge/<int:survivor>/<int:duplicate>/", views.merge_view, name="merge"),
    path("network/organisations/<int:pk>/merges/", views.merge_history_view, name="merge_history"),
    path("network/import/", views.import_view, name="import"),
    path("network/import/apply/", views.import_apply_view, name="import_apply"),
    re_path(r"^network/import/template\.(?P<extension>csv|xlsx)$", views.import_template_view, name="import_template"),
    path("network/export/", views.export_page_view, name="export"),
    re_path(r"^network/export/organisations\.(?P<extension>csv|xlsx|json)$", views.export_view, name="export_file"),
]
