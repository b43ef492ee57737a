from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo meeting (`manage.py load_demo`): on top of every app, as the API is."""

    name = "civicmeet.demo"
    label = "demo"
