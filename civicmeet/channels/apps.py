from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "civicmeet.channels"
    label = "channels"

    def ready(self) -> None:
        from civicmeet.organisations.profile_sections import register_profile_section
        from civicmeet.organisations.search_documents import register_reindexer

        from .selectors import profile_experiences
        from .services import channels_reindex_all

        def experience_section(organisation, user):
            experiences = profile_experiences(organisation=organisation, user=user)
            return {"experiences": experiences} if experiences else None

        # "Our experience with offices" on the organisation's profile (one query).
        register_profile_section(
            key="channel_experience",
            order=60,
            template="channels/_profile_section.html",
            context=experience_section,
        )
        # The directory's full reindex (reindex_directory) rebuilds channels and good practice too.
        register_reindexer(channels_reindex_all)
