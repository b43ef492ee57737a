"""QR codes of tickets: SVG for pages (and PDFs), PNG for emails. segno, pure Python.

Always a full QR code (never a Micro QR, which phones' scanners and the browser's BarcodeDetector
do not read), error correction M, the standard quiet zone of 4 modules.
"""

from __future__ import annotations

import io

import segno
from django.utils.html import escape


def _make(text: str) -> segno.QRCode:
    return segno.make_qr(text, error="m", boost_error=False)


def qr_svg(text: str, *, label: str = "") -> str:
    """Inline SVG markup of the QR code of `text`, sized by CSS (a viewBox, no width or height).

    `label` is the text alternative (e.g. "QR code of your ticket"): the image gets role="img" and
    that name. Without one the image is hidden from screen readers, and the caller must give the
    alternative next to it (the personal page writes the code under the image for reading aloud).
    """
    buffer = io.BytesIO()
    _make(text).save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=True,
        omitsize=True,
        svgclass="qr",
        lineclass=None,
        dark="#000",
        light="#fff",
        border=4,
    )
    svg = buffer.getvalue().decode("ascii")
    if label:
        attributes = f'<svg role="img" aria-label="{escape(label)}" focusable="false"'
    else:
        attributes = '<svg aria-hidden="true" focusable="false"'
    return svg.replace("<svg", attributes, 1)


def qr_png(text: str, *, scale: int = 8) -> bytes:
    """PNG bytes of the QR code of `text`, `scale` pixels a module (8: about 300 px for a ticket)."""
    buffer = io.BytesIO()
    _make(text).save(buffer, kind="png", scale=scale, border=4, dark="#000", light="#fff")
    return buffer.getvalue()
