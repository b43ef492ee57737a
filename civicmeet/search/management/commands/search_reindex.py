"""`manage.py search_reindex`: fold every search entry again and rebuild the facet rows and the
vocabulary from what the entries hold (after a change of search.folding, or to drop the words of
deleted entries). It does not ask the apps to describe their items again: `reindex_directory` does."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from civicmeet.search.services import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index's folded text, facets and vocabulary from the search entries."

    def handle(self, *args, **options) -> None:
        count = search_index_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt the search index of {count} entries."))
