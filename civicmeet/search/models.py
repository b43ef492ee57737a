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
    The database's own full-text index over `title` and `text` is kept by the search app.
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
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="search_document_unique")]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"
