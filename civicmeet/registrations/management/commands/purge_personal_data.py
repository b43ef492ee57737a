from django.core.management.base import BaseCommand

from civicmeet.registrations.tasks import ensure_purge_scheduled, next_purge_at, purge_all


class Command(BaseCommand):
    help = (
        "Delete health declarations and anonymise registrations whose retention period has passed "
        "(run daily from cron, or let the scheduled task do it), and make sure the task is scheduled."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="schedule",
            help="Only purge; do not queue the nightly task (for setups that purge from cron only).",
        )

    def handle(self, *args, schedule: bool = True, **options):
        result = purge_all()
        for purge in result["health_declarations"]:
            self.stdout.write(
                f"health declarations: event {purge['event']}: {purge['count']} deleted, verdicts {purge['stats']}"
            )
        for purge in result["personal_data"]:
            self.stdout.write(f"personal data: event {purge['event']}: {purge['count']} registrations anonymised")
        network = {
            f"{part} {name}": count
            for part, counts in result["network"].items()
            for name, count in counts.items()
            if isinstance(count, int) and count
        }
        for name, count in network.items():
            self.stdout.write(f"network: {name}: {count}")
        if not result["health_declarations"] and not result["personal_data"] and not network:
            self.stdout.write("nothing to purge")
        if schedule and ensure_purge_scheduled(run_after=next_purge_at()):
            self.stdout.write("scheduled the nightly purge task")
