from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "civicmeet.channels"
    label = "channels"
