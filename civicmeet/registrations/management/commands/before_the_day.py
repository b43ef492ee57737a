from django.core.management.base import BaseCommand

from civicmeet.registrations.tasks import before_the_day_all, ensure_before_the_day_scheduled


class Command(BaseCommand):
    help = (
        "Do what is due before the events' days: close expired seat offers (offering the seats on), ask "
        "“Are you still coming?”, send the reminders (run every few minutes from cron, or let the scheduled "
        "task do it), and make sure the task is scheduled. Each part happens once per person."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="schedule",
            help="Only do what is due; do not queue the task (for setups that run this from cron only).",
        )

    def handle(self, *args, schedule: bool = True, **options):
        done = before_the_day_all()
        self.stdout.write(
            f"offers expired: {done['offers_expired']}, reconfirmations asked: {done['reconfirmations']}, "
            f"reminders sent: {done['reminders']}"
        )
        if schedule and ensure_before_the_day_scheduled():
            self.stdout.write("scheduled the before-the-day task")
