"""Representatives' pages (namespace `directory`): the network home, an organisation's
representatives, and the moderators' review."""

from django.urls import path

from . import views_representatives as views

urlpatterns: list = [
    path("network/mine/", views.MyNetworkView.as_view(), name="my_network"),
    path("network/mine/represent/", views.RepresentRequestView.as_view(), name="representative_request"),
    path("network/representatives/review/", views.RepresentativesReviewView.as_view(), name="representatives_review"),
    path(
        "network/representatives/organisation/<int:organisation_pk>/",
        views.RepresentativesView.as_view(),
        name="representatives",
    ),
    path(
        "network/representatives/<int:pk>/decide/",
        views.RepresentativeDecideView.as_view(),
        name="representative_decide",
    ),
    path(
        "network/representatives/<int:pk>/remove/",
        views.RepresentativeRemoveView.as_view(),
        name="representative_remove",
    ),
    path("network/representatives/<int:pk>/consent/", views.ConsentView.as_view(), name="representative_consent"),
]
