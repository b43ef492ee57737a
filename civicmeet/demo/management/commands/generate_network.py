"""`manage.py generate_network --organisations 5000 --resources 20000 [--seed K]`: an invented
directory of any size, for load tests and benchmarks (civicmeet/demo/generator.py).

Refuses a database that holds anything it did not make (real or demo data) unless --force; what an
earlier run made is replaced.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicmeet.demo.generator import generate_network, other_data_exists, remove_generated


class Command(BaseCommand):
    help = "Generate an invented directory of organisations, activities, offers and needs in pl/uk/en."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisations", type=int, default=5000, help="How many organisations (5000).")
        parser.add_argument("--resources", type=int, default=20000, help="How many offers and needs (20000).")
        parser.add_argument(
            "--activities", type=int, default=None, help="How many activities (as many as organisations)."
        )
        parser.add_argument("--seed", type=int, default=0, help="The same seed gives the same directory (0).")
        parser.add_argument(
            "--force", action="store_true", help="Run even though the database holds data this command did not make."
        )

    def handle(self, *args, **options) -> None:
        for name in ("organisations", "resources", "activities"):
            if options[name] is not None and options[name] < 0:
                raise CommandError(f"--{name} cannot be negative.")
        if other_data_exists() and not options["force"]:
            raise CommandError(
                "This database holds organisations or events that generate_network did not make "
                "(real or demo data). Use an empty database, or --force to add the generated directory anyway."
            )
        started = time.monotonic()
        removed = remove_generated()
        if removed:
            self.stdout.write(f"Removed {removed} organisations of an earlier run.")
        made = generate_network(
            organisations=options["organisations"],
            resources=options["resources"],
            activities=options["activities"],
            seed=options["seed"],
        )
        seconds = time.monotonic() - started
        indexed = ", ".join(f"{count} {kind}" for kind, count in sorted(made.indexed.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {made.organisations} organisations ({made.names} name variants), "
                f"{made.activities} activities and {made.resources} offers and needs "
                f"(seed {options['seed']}) in {seconds:.1f} s; indexed for search: {indexed or 'nothing'}."
            )
        )
