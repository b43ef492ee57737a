from __future__ import annotations

from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("network/offers/", views.OfferListView.as_view(), name="offers"),
    path("network/offers/<int:pk>/", views.ResourceDetailView.as_view(), name="detail"),
    path("network/offers/<int:pk>/edit/", views.ResourceEditView.as_view(), name="resource_edit"),
    path("network/offers/<int:pk>/delete/", views.ResourceDeleteView.as_view(), name="resource_delete"),
    path("network/activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity"),
    path("network/activities/<int:pk>/edit/", views.ActivityEditView.as_view(), name="activity_edit"),
    path("network/activities/<int:pk>/delete/", views.ActivityDeleteView.as_view(), name="activity_delete"),
    path("network/offers/mine/", views.MyItemsView.as_view(), name="mine"),
    path("network/organisations/<int:organisation_pk>/offers-and-needs/", views.ManageView.as_view(), name="manage"),
    path(
        "network/organisations/<int:organisation_pk>/offers-and-needs/new/",
        views.ResourceCreateView.as_view(),
        name="resource_create",
    ),
    path(
        "network/organisations/<int:organisation_pk>/activities/new/",
        views.ActivityCreateView.as_view(),
        name="activity_create",
    ),
    path("network/suggestions/", views.SuggestionsView.as_view(), name="suggestions"),
    path(
        "network/suggestions/<int:offer_pk>-<int:need_pk>/dismiss/",
        views.SuggestionDismissView.as_view(),
        name="suggestion_dismiss",
    ),
    path("network/suggestions/<int:offer_pk>-<int:need_pk>/contact/", views.ContactView.as_view(), name="contact"),
    path("network/contact/<int:pk>/", views.ContactRequestView.as_view(), name="contact_request"),
    path("network/contact/answer/<str:token>/", views.ContactAnswerView.as_view(), name="contact_answer"),
]
