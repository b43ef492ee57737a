"""The directory's pages (under the language prefix): each area of the network keeps its own list."""

from . import urls_data, urls_directory, urls_representatives, urls_search

app_name = "directory"

urlpatterns = (
    urls_directory.urlpatterns + urls_representatives.urlpatterns + urls_data.urlpatterns + urls_search.urlpatterns
)
