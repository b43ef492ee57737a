from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "civicmeet.api"
    label = "api"
