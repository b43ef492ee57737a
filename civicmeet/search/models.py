from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicmeet.core.visibility import Visibility


class SearchDocument(models.Model):
    """One findable item of the network (an organisation, an activity, an offer or need, a channel,
    a project's offer), as the app that owns it described it for search (services.search_document_save).

    `text` holds everything the item is found by, in every language and under every name variant;
    `facets` the values the search page filters by ({"type": "migrant", "languages": ["uk", "pl"], …});
    `url_name`/`url_kwargs` where the result links to (reversed in the reader's language).
    The database's own full-text index is kept by the search app over `folded_title` and
    `folded_text` (the same words folded: `folding.index_text`): on SQLite the FTS5 table
    `search_fts` (external content, kept in step by triggers on this table: migration 0002; a later
    migration that rebuilds this table on SQLite must create them again), on PostgreSQL the stored
    generated column `search_vector` with a GIN index (not a model field: only raw SQL reads it).
    """

    kind = models.CharField(_("kind"), max_length=32)
    key = models.CharField(max_length=64)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC)
    url_name = models.CharField(max_length=100)
    url_kwargs = models.JSONField(default=dict)
    titles = models.JSONField(default=dict)  # {"pl": …, "uk": …, "en": …}: shown in the reader's language
    title = models.CharField(max_length=300)  # the title in every language it has, for the index
    text = models.TextField(blank=True)
    facets = models.JSONField(default=dict)
    folded_title = models.TextField(blank=True, default="")
    folded_text = models.TextField(blank=True, default="")
    # Who may see it and what it is, as index words ("vpublic o12 koffer"): on SQLite the FTS5
    # table filters by them itself, without reading this table for every match (migration 0003).
    scope = models.TextField(blank=True, default="")
    # The scope and every facet value as words (search.scope.filter_text), for SQLite's index of
    # lists without words.
    filter_words = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="search_document_unique")]
        # Lists without words come in title order: a long one is read walking this index.
        indexes = [models.Index(fields=["folded_title", "id"], name="search_document_title")]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class SearchFacet(models.Model):
    """One value of one facet of a document ("type" = "migrant", "languages" = "uk", …): the side
    table the page's filters and their counts read with an index, the same way on both databases."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facet_rows")
    name = models.CharField(max_length=32)
    value = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "name", "value"], name="search_facet_unique"),
        ]
        indexes = [models.Index(fields=["name", "value", "document"], name="search_facet_lookup")]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class SearchTerm(models.Model):
    """A word of the index's vocabulary (folded), for correcting a typo in a query: a word one edit
    away keeps the first or the second half of the query's word, so candidates are two index range
    scans (on `term` and on `reversed_term`). Words of deleted documents stay until
    `manage.py search_reindex` prunes them (a correction to one of them finds nothing)."""

    term = models.CharField(max_length=64, unique=True)
    reversed_term = models.CharField(max_length=64, db_index=True)
    length = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return self.term
