"""The check-in desk (views_desk.py): the page and the JSON endpoints its script calls."""

from django.urls import path

from . import views_desk

urlpatterns = [
    path("manage/events/<slug:slug>/desk/", views_desk.DeskView.as_view(), name="desk"),
    path(
        "manage/events/<slug:slug>/desk/check-in/", views_desk.DeskCheckInFormView.as_view(), name="desk_checkin_form"
    ),
    path("manage/events/<slug:slug>/desk/walk-in/", views_desk.DeskWalkInView.as_view(), name="desk_walk_in"),
    path("manage/events/<slug:slug>/desk/list.json", views_desk.DeskListView.as_view(), name="desk_list"),
    path("manage/events/<slug:slug>/desk/sw.js", views_desk.DeskServiceWorkerView.as_view(), name="desk_worker"),
    path(
        "manage/events/<slug:slug>/desk/people/<int:pk>/verdict.json",
        views_desk.DeskVerdictView.as_view(),
        name="desk_verdict",
    ),
    path("manage/events/<slug:slug>/desk/checkins.json", views_desk.DeskCheckInView.as_view(), name="desk_checkins"),
    path("manage/events/<slug:slug>/desk/walk-ins.json", views_desk.DeskWalkInJsonView.as_view(), name="desk_walk_ins"),
]
