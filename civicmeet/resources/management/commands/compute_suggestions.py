from __future__ import annotations

from django.core.management.base import BaseCommand

from civicmeet.resources.suggestions import suggestions_compute_all


class Command(BaseCommand):
    help = "Pair every current offer with the needs it fits and store the suggestions (nightly)."

    def handle(self, *args, **options) -> None:
        counts = suggestions_compute_all()
        self.stdout.write(
            f"Suggestions: {counts['created']} new, {counts['updated']} kept, {counts['removed']} removed."
        )
