"""Serving stored pictures: one URL per variant's bytes, cached for a year."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.views.decorators.http import require_safe

from .selectors import image_variant_get

# The address is the SHA-256 of the bytes: it never shows other bytes, so clients and proxies may
# keep it for good.
CACHE_CONTROL = "public, max-age=31536000, immutable"
DIGEST = re.compile(r"[0-9a-f]{64}")


@require_safe
def image_variant(request: HttpRequest, digest: str) -> HttpResponse:
    if not DIGEST.fullmatch(digest):
        raise Http404("No such image")
    etag = f'"{digest}"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        variant = image_variant_get(digest=digest)
        if variant is None:
            raise Http404("No such image")
        response = HttpResponse(bytes(variant.data), content_type=variant.content_type)
    response["Cache-Control"] = CACHE_CONTROL
    response["ETag"] = etag
    return response
