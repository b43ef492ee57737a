from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NotificationsConfig(AppConfig):
    name = "civicmeet.notifications"
    label = "notifications"

    def ready(self) -> None:
        # Every deployment runs `migrate`: that is where the recurring outbox sweep is queued.
        from .tasks import schedule_sweep_after_migrate

        post_migrate.connect(schedule_sweep_after_migrate, sender=self, dispatch_uid="notifications.schedule_sweep")
