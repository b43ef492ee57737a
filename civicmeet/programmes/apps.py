from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "civicmeet.programmes"
    label = "programmes"

    def ready(self) -> None:
        from civicmeet.organisations.profile_sections import register_profile_section

        from .profile import profile_section_context

        # "Projects" on the organisation's profile: those it runs and those it is a partner of,
        # with their open offers (two queries).
        register_profile_section(
            key="projects", order=40, template="programmes/_profile_section.html", context=profile_section_context
        )
