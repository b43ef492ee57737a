from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from civicmeet.api.urls import api
from civicmeet.core.views import healthz, readyz, styleguide

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz),
    path("readyz", readyz),
    # Pictures are the same in every language: outside the language prefix.
    path("", include("civicmeet.organisations.urls")),
]
urlpatterns += i18n_patterns(
    path("accounts/", include("civicmeet.accounts.urls")),
    # Events first: "manage/events/new/" must not be read as the dashboard of an event called "new".
    path("", include("civicmeet.events.urls")),
    path("", include("civicmeet.registrations.urls")),
    # The network: the directory, its search, offers and needs, channels to officials, programmes.
    path("", include("civicmeet.organisations.urls_network")),
    path("", include("civicmeet.search.urls")),
    path("", include("civicmeet.resources.urls")),
    path("", include("civicmeet.channels.urls")),
    path("", include("civicmeet.programmes.urls")),
    # The day: tickets, the desk, badges, the attendance list, certificates.
    path("", include("civicmeet.checkin.urls")),
    # The design system's components (answers 404 unless DEBUG).
    path("styleguide/", styleguide, name="styleguide"),
    prefix_default_language=True,
)
