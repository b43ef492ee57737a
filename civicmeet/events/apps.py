from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _event_changed(sender, instance, **kwargs) -> None:
    # Imported here: the app registry is not ready when this module is imported.
    from . import page_cache

    page_cache.forget_event_version(instance)
    transaction.on_commit(lambda: page_cache.remember_event_version(instance), using=kwargs.get("using"))


def _event_deleted(sender, instance, **kwargs) -> None:
    instance.is_published = False
    _event_changed(sender, instance, **kwargs)


class EventsConfig(AppConfig):
    name = "civicmeet.events"
    label = "events"

    def ready(self) -> None:
        # Every save of an event (services, admin) refreshes the version of its public page.
        post_save.connect(_event_changed, sender="events.Event", dispatch_uid="events.page_version.save")
        post_delete.connect(_event_deleted, sender="events.Event", dispatch_uid="events.page_version.delete")
        # An accepted team invitation writes the event's history row (accounts knows no event).
        from civicmeet.accounts.services import on_invitation_accepted

        from .team_invitations import invitation_accepted

        on_invitation_accepted(invitation_accepted)
        # The programme's page lists its events (programmes knows no event).
        from civicmeet.programmes.page_sections import register_programme_section

        from .programme_section import programme_section_context

        register_programme_section(
            key="events", order=10, template="events/_programme_events.html", context=programme_section_context
        )
