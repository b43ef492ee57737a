"""The demo's cover and logos, drawn with Pillow when the demo loads (nothing is downloaded or shipped).

Simple shapes only: a cover of overlapping circles (organisations meeting) and two logos, one per
co-organiser. They go through the same checks and processing as an organiser's upload.
"""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

COVER_SIZE = (1600, 800)


def _png(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def cover_png() -> bytes:
    """A 2:1 band: a blue-to-teal gradient with translucent circles that overlap."""
    width, height = COVER_SIZE
    top, bottom = (28, 62, 112), (22, 128, 122)
    gradient = Image.new("RGB", (1, height))
    for y in range(height):
        share = y / (height - 1)
        gradient.putpixel((0, y), tuple(round(a + (b - a) * share) for a, b in zip(top, bottom, strict=True)))
    picture = gradient.resize((width, height)).convert("RGBA")
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    circles = [
        (260, 420, 230, (255, 214, 102, 150)),
        (560, 330, 200, (255, 255, 255, 90)),
        (860, 470, 260, (120, 200, 255, 120)),
        (1160, 320, 190, (255, 160, 122, 130)),
        (1400, 520, 210, (255, 255, 255, 80)),
    ]
    for x, y, radius, colour in circles:
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    return _png(Image.alpha_composite(picture, layer).convert("RGB"))


def zustricz_logo_png() -> bytes:
    """Two overlapping rings in blue and yellow, on a transparent background ("zustricz": a meeting)."""
    picture = Image.new("RGBA", (480, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((40, 20, 240, 220), outline=(0, 87, 183, 255), width=28)
    draw.ellipse((200, 20, 400, 220), outline=(230, 175, 0, 255), width=28)
    return _png(picture.crop(picture.getbbox()))


def czulent_logo_png() -> bytes:
    """A warm round pot with three wisps of steam, on a transparent background."""
    picture = Image.new("RGBA", (480, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    draw.pieslice((140, 20, 340, 220), 0, 180, fill=(150, 62, 32, 255))
    draw.rectangle((120, 112, 360, 124), fill=(150, 62, 32, 255))
    for x in (190, 240, 290):
        draw.arc((x - 18, 20, x + 18, 70), 90, 270, fill=(150, 62, 32, 255), width=8)
        draw.arc((x - 18, 60, x + 18, 110), 270, 90, fill=(150, 62, 32, 255), width=8)
    return _png(picture.crop(picture.getbbox()))


# By the co-organiser's name in content.CO_ORGANISERS.
LOGOS = {
    "Fundacja Zustricz": zustricz_logo_png,
    "Żydowskie Stowarzyszenie Czulent": czulent_logo_png,
}
