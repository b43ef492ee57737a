"""Reads of organisations and their pictures."""

from __future__ import annotations

from django.db.models import Prefetch

from .models import StoredImageVariant


def image_variants_prefetch(lookup: str) -> Prefetch:
    """Prefetch a picture's variants for an <img srcset> without loading their bytes.

    `lookup` leads to the variants, e.g. "cover__variants" or "co_organisers__logo__variants".
    """
    return Prefetch(lookup, queryset=StoredImageVariant.objects.defer("data").order_by("width"))


def image_variant_get(*, digest: str) -> StoredImageVariant | None:
    """The variant with these bytes (the same upload may be stored twice: any copy will do)."""
    return StoredImageVariant.objects.filter(digest=digest).only("content_type", "data", "digest").first()
