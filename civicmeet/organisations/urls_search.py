"""The network's one search box (namespace `directory`, under the language prefix)."""

from django.urls import path

from . import views_search

urlpatterns = [
    path("network/search/", views_search.search_view, name="search"),
]
