from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RegistrationsConfig(AppConfig):
    name = "civicmeet.registrations"
    label = "registrations"

    def ready(self) -> None:
        # django-tasks has no "worker started" signal; every deployment runs `migrate`, so that is
        # where the nightly data-protection purge is put on the queue if it is not there yet.
        from civicmeet.events.services import on_event_changed

        from .safety import verdicts_after_event_change
        from .tasks import schedule_after_migrate

        # Registrations follow their event: verdicts are recomputed when its rule or start changes.
        on_event_changed(verdicts_after_event_change)

        post_migrate.connect(schedule_after_migrate, sender=self, dispatch_uid="registrations.schedule_purge")
