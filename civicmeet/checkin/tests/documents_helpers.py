"""PDFs read back as their text (poppler's pdftotext) and their fonts (pdffonts): the tests check
what a reader would see, not what the renderer was asked for."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from civicmeet.checkin.documents import pdf

# The invitation's people: a Ukrainian, a Hebrew and a Polish name with all its diacritics.
OLENA = {"first_name": "Олена", "last_name": "Коваль", "language": "uk", "organisation_name": "Fundacja Zustricz"}
AVRAHAM = {
    "first_name": "אברהם",
    "last_name": "כהן",
    "language": "en",
    "organisation_name": "Żydowskie Stowarzyszenie Czulent",
}
LUCJA = {
    "first_name": "Łucja",
    "last_name": "Żółkiewska",
    "language": "pl",
    "organisation_name": "Stowarzyszenie Romów w Polsce",
}

# Bidi controls pdftotext puts around right-to-left runs (embeddings, isolates, marks).
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")

requires_pdf = pytest.mark.skipif(not pdf.available(), reason="WeasyPrint's system libraries are not installed")


def _run(tool: str, data: bytes, *arguments: str) -> str:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "document.pdf"
        path.write_bytes(data)
        command = [tool, *arguments, str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
        result = subprocess.run(command, capture_output=True, check=True)  # noqa: S603
    return result.stdout.decode("utf-8")


def pdf_text(data: bytes) -> str:
    """The document's text in reading (logical) order, without bidi control characters, its
    whitespace (line breaks of wrapped lines, page breaks) as single spaces."""
    assert data.startswith(b"%PDF-"), data[:20]
    return " ".join(_BIDI_CONTROLS.sub("", _run("pdftotext", data, "-enc", "UTF-8")).split())


def pdf_fonts(data: bytes) -> list[dict[str, str]]:
    """pdffonts' table: name and whether each font is embedded."""
    lines = _run("pdffonts", data).splitlines()[2:]
    fonts = []
    for line in lines:
        parts = line.split()
        # name, type words..., encoding, emb, sub, uni, object, id
        fonts.append({"name": parts[0], "embedded": parts[-5]})
    return fonts


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def in_order(text: str, *parts: str) -> bool:
    """Whether each of `parts` is in `text`, one after the other."""
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True
