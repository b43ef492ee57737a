from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "civicmeet.notifications"
    label = "notifications"
