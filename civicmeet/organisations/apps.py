from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "civicmeet.organisations"
    label = "organisations"
