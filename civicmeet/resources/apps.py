from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ResourcesConfig(AppConfig):
    name = "civicmeet.resources"
    label = "resources"

    def ready(self) -> None:
        from civicmeet.organisations.jsonld import register_jsonld_contributor
        from civicmeet.organisations.merge import on_organisation_merged
        from civicmeet.organisations.profile_sections import register_profile_section
        from civicmeet.organisations.search_documents import register_reindexer

        from .profile import jsonld_contribution, profile_section_context
        from .services import organisation_items_after_merge, resources_reindex_all
        from .tasks import schedule_after_migrate

        register_profile_section(
            key="resources", order=20, template="resources/_profile_section.html", context=profile_section_context
        )
        register_jsonld_contributor(jsonld_contribution)
        register_reindexer(resources_reindex_all)
        # A merge moves the duplicate's items to the survivor: describe them under it again.
        on_organisation_merged(organisation_items_after_merge)
        post_migrate.connect(schedule_after_migrate, sender=self, dispatch_uid="resources.schedule_suggestions")
