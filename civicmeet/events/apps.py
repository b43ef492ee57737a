from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "civicmeet.events"
    label = "events"
