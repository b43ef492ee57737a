from django.urls import path

from . import views, views_identity

app_name = "events"

urlpatterns = [
    # Public pages.
    path("", views.EventListView.as_view(), name="list"),
    path("e/<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    # Organisers.
    path("manage/events/new/", views.EventCreateView.as_view(), name="create"),
    path("manage/events/<slug:slug>/edit/", views.EventUpdateView.as_view(), name="edit"),
    path("manage/events/<slug:slug>/publish/", views.EventPublishView.as_view(), name="publish"),
    path("manage/events/<slug:slug>/unpublish/", views.EventUnpublishView.as_view(), name="unpublish"),
    path("manage/events/<slug:slug>/questions/", views.EventQuestionsView.as_view(), name="questions"),
    path("manage/events/<slug:slug>/identity/", views_identity.EventIdentityView.as_view(), name="identity"),
    path("manage/events/<slug:slug>/team/", views.EventTeamView.as_view(), name="team"),
    path("manage/events/<slug:slug>/history/", views.EventHistoryView.as_view(), name="history"),
]
