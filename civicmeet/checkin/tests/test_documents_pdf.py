"""render_pdf: the print stylesheet resolves from the static files, nothing else is fetched."""

from __future__ import annotations

import pytest

from civicmeet.checkin.documents import pdf

from .documents_helpers import pdf_fonts, pdf_text, requires_pdf


def test_static_urls_of_the_made_up_origin_resolve_to_files():
    path = pdf._static_path(pdf.BASE_URL + "static/css/print-documents.css")
    assert path is not None and path.name == "print-documents.css"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/static/css/print-documents.css",  # another origin: never requested
        "https://civicmeet.invalid/admin/",  # not a static file
        "https://civicmeet.invalid/static/../config/settings/base.py",
        "file:///etc/passwd",
    ],
)
def test_anything_else_is_refused(url):
    assert pdf._static_path(url) is None


@requires_pdf
def test_a_document_with_an_outside_image_renders_without_fetching_it():
    html = (
        '<html lang="en"><head><link rel="stylesheet" href="/static/css/print-documents.css"></head>'
        '<body><p>Олена Коваль</p><img src="http://169.254.169.254/latest/meta-data" alt="x"></body></html>'
    )
    data = pdf.html_to_pdf(html)
    assert "Олена Коваль" in pdf_text(data)
    # The print stylesheet was applied: its font family, embedded.
    assert any(font["name"].endswith("Noto-Sans") and font["embedded"] == "yes" for font in pdf_fonts(data))


@requires_pdf
def test_making_a_pdf_leaves_pillows_truncated_images_setting_alone():
    """WeasyPrint's import turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process; uploads
    (core.images) must still refuse a truncated picture after a PDF was made."""
    from PIL import ImageFile

    pdf.html_to_pdf("<p>Łucja Żółkiewska</p>")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
