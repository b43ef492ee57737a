from __future__ import annotations

from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("programmes/", views.ProgrammeListView.as_view(), name="list"),
    path("programmes/new/", views.ProgrammeCreateView.as_view(), name="programme_new"),
    path("programmes/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme"),
    path("programmes/<slug:slug>/projects/new/", views.ProjectCreateView.as_view(), name="project_new"),
    path("projects/<slug:slug>/", views.ProjectDetailView.as_view(), name="project"),
    path("projects/<slug:slug>/edit/", views.ProjectEditView.as_view(), name="project_edit"),
    path("projects/<slug:slug>/offers/new/", views.OfferCreateView.as_view(), name="offer_new"),
    path("offers/<int:pk>/", views.OfferDetailView.as_view(), name="offer"),
    path("offers/<int:pk>/edit/", views.OfferEditView.as_view(), name="offer_edit"),
    path("offers/<int:pk>/sign-ups/", views.SignUpListView.as_view(), name="signups"),
    path("offers/<int:pk>/sign-ups.<str:fmt>", views.SignUpExportView.as_view(), name="signups_export"),
    path("sign-up/<str:token>/", views.SignUpPersonalView.as_view(), name="signup"),
]
