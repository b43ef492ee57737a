from django.core.management.base import BaseCommand

from civicmeet.notifications.tasks import deliver_pending


class Command(BaseCommand):
    help = "Send every outgoing email that is still waiting or failed (run from cron after an outage)."

    def handle(self, *args, **options):
        sent, failed = deliver_pending()
        self.stdout.write(f"sent {sent}, still failing {failed}")
