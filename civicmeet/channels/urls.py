"""The channels' pages, under the language prefix (namespace `channels`)."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "channels"

urlpatterns = [
    path("channels/", views.ChannelListView.as_view(), name="list"),
    path("channels/new/", views.ChannelCreateView.as_view(), name="create"),
    path("channels/mine/", views.MineView.as_view(), name="mine"),
    path("channels/review/", views.ReviewQueueView.as_view(), name="review"),
    path("channels/review/<str:kind>/<int:pk>/", views.ReviewItemView.as_view(), name="review_item"),
    path("channels/<int:pk>/", views.ChannelDetailView.as_view(), name="detail"),
    path("channels/<int:pk>/edit/", views.ChannelEditView.as_view(), name="edit"),
    path("channels/<int:pk>/propose/", views.ChannelProposeView.as_view(), name="propose"),
    path("channels/<int:pk>/experience/", views.ExperienceCreateView.as_view(), name="experience_create"),
    path("channels/experiences/<int:pk>/edit/", views.ExperienceEditView.as_view(), name="experience_edit"),
    path("channels/good-practice/", views.GoodPracticeListView.as_view(), name="practice_list"),
    path("channels/good-practice/new/", views.GoodPracticeCreateView.as_view(), name="practice_create"),
    path("channels/good-practice/<int:pk>/", views.GoodPracticeDetailView.as_view(), name="practice_detail"),
    path("channels/good-practice/<int:pk>/edit/", views.GoodPracticeEditView.as_view(), name="practice_edit"),
    path("channels/history/<str:kind>/<int:pk>/", views.HistoryView.as_view(), name="history"),
    path("channels/items/<str:kind>/<int:pk>/<slug:action>/", views.ItemActionView.as_view(), name="act"),
]
