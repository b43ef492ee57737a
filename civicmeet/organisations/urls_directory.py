"""The directory and the organisations' profiles (namespace `directory`, under the language prefix)."""

from django.urls import path

from . import views_directory as views

urlpatterns = [
    path("network/organisations/", views.directory_list_view, name="list"),
    path("network/organisations/review/", views.review_queue_view, name="review"),
    path("network/organisations/<int:pk>-<slug:slug>/", views.organisation_profile_view, name="organisation"),
    path("network/organisations/<int:pk>/edit/", views.OrganisationEditView.as_view(), name="organisation_edit"),
    path("network/organisations/<int:pk>/checked/", views.organisation_checked_view, name="organisation_checked"),
    path("network/organisations/<int:pk>/publish/", views.organisation_publish_view, name="organisation_publish"),
    path("network/organisations/<int:pk>/unpublish/", views.organisation_unpublish_view, name="organisation_unpublish"),
]
