from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "civicmeet.core"
    label = "core"
