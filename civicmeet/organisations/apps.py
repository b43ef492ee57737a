from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "civicmeet.organisations"
    label = "organisations"

    def ready(self) -> None:
        # Sign-in links (accounts) write in a representative's language and land on the network home.
        from .services_representatives import register_signin_hooks

        register_signin_hooks()
        # The moderators' links to the merge history and the duplicates (data pages; no query).
        from .views_data import register_data_section

        register_data_section()
