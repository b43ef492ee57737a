from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "civicmeet.programmes"
    label = "programmes"
