from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "civicmeet.resources"
    label = "resources"
