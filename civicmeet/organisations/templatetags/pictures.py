"""`{% picture image sizes="…" alt="…" %}`: a stored picture as <img> with srcset, sizes, width and height."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html

from ..models import StoredImage

register = template.Library()

# The variant given as `src` to browsers that ignore srcset (and to email clients): a middle size.
FALLBACK_WIDTH = 960


@register.simple_tag
def picture(image: StoredImage | None, *, sizes: str, alt: str = "", css_class: str = "", loading: str = "lazy") -> str:
    """Renders nothing for no picture. Prefetch the variants (selectors.image_variants_prefetch)."""
    if image is None:
        return ""
    variants = list(image.variants.all())
    if not variants:
        return ""
    urls = [reverse("organisations:image", kwargs={"digest": variant.digest}) for variant in variants]
    srcset = ", ".join(f"{url} {variant.width}w" for url, variant in zip(urls, variants, strict=True))
    fallback = next(
        (url for url, variant in zip(urls, variants, strict=True) if variant.width >= FALLBACK_WIDTH), urls[-1]
    )
    largest = variants[-1]
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{} loading="{}" decoding="async">',
        fallback,
        srcset,
        sizes,
        largest.width,
        largest.height,
        alt,
        format_html(' class="{}"', css_class) if css_class else "",
        loading,
    )
