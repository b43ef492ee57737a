"""HTML templates to PDF with WeasyPrint: real text shaping (Pango/HarfBuzz), so Cyrillic, Hebrew
(right to left) and Polish diacritics come out as the person writes their name.

Fonts come from Debian's packages, found through fontconfig by family name (the print stylesheet
asks for "Noto Sans", "Noto Sans Hebrew", then "DejaVu Sans"); WeasyPrint embeds the subset each
document uses, so the PDF looks the same on any computer. `make test`/`make run` install the
packages (fonts-noto-core, fonts-dejavu-core, libpango-1.0-0, libpangoft2-1.0-0).

Nothing is fetched over the network: `static/...` URLs are read from the static files (the print
stylesheet, logos), `data:` URLs are decoded, anything else is refused — a template can never make
the server request an outside address.
"""

from __future__ import annotations

import io
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from civicmeet.core.errors import DomainError

# The families the print stylesheet names, in fallback order, and a file each package installs
# (the Makefile checks the same files).
FONT_FAMILIES = ("Noto Sans", "Noto Sans Hebrew", "DejaVu Sans")
FONT_FILES = (
    Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)
# Relative and `{% static %}` URLs resolve against this made-up origin; the fetcher serves only it.
BASE_URL = "https://civicmeet.invalid/"


class DocumentsUnavailable(DomainError):
    """WeasyPrint or its system libraries (Pango) are not installed on this server."""

    code = "documents_unavailable"

    def __init__(self) -> None:
        super().__init__(
            str(
                _(
                    "Documents cannot be made on this server yet: the PDF libraries are not installed. "
                    "Ask your administrator to run “make run” as root once."
                )
            )
        )


def _static_path(url: str) -> Path | None:
    """The file behind a static URL of BASE_URL's origin ("https://civicmeet.invalid/static/css/x.css")."""
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != ("https", "civicmeet.invalid"):
        return None
    path = unquote(parts.path).lstrip("/")
    prefix = settings.STATIC_URL.strip("/") + "/"
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix) :]
    if ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    collected = Path(settings.STATIC_ROOT) / relative
    return collected if collected.is_file() else None


def _url_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_path(url)
            if path is None:
                raise ValueError(f"documents: refused to fetch {url!r} (only static files and data: URLs)")
            mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mimetype})

    return StaticOnlyFetcher(allowed_protocols=("https", "data"))


def _weasyprint():
    from PIL import ImageFile

    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES to True, which would let
    # core.images accept a truncated upload in any process that has made a PDF: put it back.
    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        import weasyprint  # type: ignore[import-untyped]
    except (ImportError, OSError) as error:  # OSError: Pango missing
        raise DocumentsUnavailable() from error
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    return weasyprint


def _document(html: str):
    weasyprint = _weasyprint()
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_url_fetcher())


def available() -> bool:
    """Whether PDFs can be made here (WeasyPrint importable with its libraries)."""
    try:
        _weasyprint()
    except DocumentsUnavailable:
        return False
    return True


def render_html(template_name: str, context: dict, *, language: str) -> str:
    with translation.override(language):
        return render_to_string(template_name, {**context, "document_language": language})


def render_pdf(template_name: str, context: dict, *, language: str) -> bytes:
    """Render a template in `language` and return the PDF's bytes.

    The template should extend "checkin/documents/base.html" (the print stylesheet, the fonts,
    `lang` and `dir` on <html>); static files and images resolve through `{% static %}`.
    """
    html = render_html(template_name, context, language=language)
    return html_to_pdf(html)


def html_to_pdf(html: str) -> bytes:
    target = io.BytesIO()
    _document(html).write_pdf(target)
    return target.getvalue()


def render_pdf_to(target, template_name: str, context: dict, *, language: str) -> None:
    """Like render_pdf, written to an open binary file (big documents built by a background task)."""
    _document(render_html(template_name, context, language=language)).write_pdf(target)
