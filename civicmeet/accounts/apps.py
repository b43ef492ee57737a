from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "civicmeet.accounts"
    label = "accounts"
