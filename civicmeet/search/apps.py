from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "civicmeet.search"
    label = "search"
