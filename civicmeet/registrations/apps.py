from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RegistrationsConfig(AppConfig):
    name = "civicmeet.registrations"
    label = "registrations"

    def ready(self) -> None:
        # django-tasks has no "worker started" signal; every deployment runs `migrate`, so that is
        # where the nightly data-protection purge is put on the queue if it is not there yet.
        from civicmeet.events.services import on_event_changed

        from .offers import offer_after_seat_freed
        from .safety import verdicts_after_event_change
        from .services import on_seat_freed
        from .tasks import schedule_after_migrate, schedule_before_the_day_after_migrate

        # Registrations follow their event: verdicts are recomputed when its rule or start changes.
        on_event_changed(verdicts_after_event_change)

        post_migrate.connect(schedule_after_migrate, sender=self, dispatch_uid="registrations.schedule_purge")
        # Before the day: a freed seat may be offered to the waiting list; the reconfirmations,
        # offers' expiry and reminders have a run queued after every migrate.
        on_seat_freed(offer_after_seat_freed)
        post_migrate.connect(
            schedule_before_the_day_after_migrate, sender=self, dispatch_uid="registrations.schedule_before_the_day"
        )
