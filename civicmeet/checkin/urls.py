"""The day's pages, under the language prefix: the desk and the documents. One module per area."""

from django.urls import include, path

app_name = "checkin"

urlpatterns = [
    path("", include("civicmeet.checkin.urls_documents")),
    path("", include("civicmeet.checkin.urls_desk")),
    path("", include("civicmeet.checkin.urls_report")),
]
