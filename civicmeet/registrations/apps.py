from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "civicmeet.registrations"
    label = "registrations"
