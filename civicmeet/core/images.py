"""Uploaded pictures (event covers, organisations' logos): checked, resized, stripped, re-encoded.

An upload is never kept or served as it came. It is opened with Pillow only after its size and its
header's pixel count are checked (a small file can declare a huge picture: a decompression bomb),
turned upright by its EXIF orientation, converted to sRGB, and drawn anew at each size a page needs
into a fresh image with no metadata, then encoded as WebP. So nothing the camera or editor wrote
(GPS position, device, time, comments, ICC profile) survives. Each variant is addressed by the
SHA-256 of its bytes, so its URL never changes and may be cached for a year.

Storage is not here (core has no models): see organisations.StoredImage and
docs/decisions/0003-images-in-the-database.md.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

# What browsers show and Pillow decodes safely; other formats are refused with a clear error.
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"
OUTPUT_CONTENT_TYPE = "image/webp"
WEBP_QUALITY = 82


@dataclass(frozen=True)
class ImageSpec:
    """What a kind of picture must be and which sizes are made of it.

    `widths`: the variants' widths (never wider than the upload). `max_height`: the variants also fit
    this height (logos fit a box). `aspect`: width/height the picture is cut to, keeping its middle
    (a cover is shown in a band of fixed shape), or None to keep the upload's shape.
    """

    name: str
    widths: tuple[int, ...]
    min_width: int
    min_height: int
    max_height: int | None = None
    aspect: float | None = None
    max_bytes: int = 10 * 1024 * 1024
    max_pixels: int = 40_000_000


# A cover band 2:1 — 480 px for a phone, 960 for a phone's 2× screen or a laptop, 1600 for a wide 2× one.
COVER = ImageSpec(name="cover", widths=(480, 960, 1600), min_width=480, min_height=240, aspect=2.0)
# A logo shown about 48 px high: 1× and 2×, fitting 160 × 80 and 320 × 160.
LOGO = ImageSpec(name="logo", widths=(160, 320), min_width=32, min_height=32, max_height=80, max_bytes=2 * 1024 * 1024)


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    content_type: str
    data: bytes
    digest: str  # SHA-256 of `data`, hex


@dataclass(frozen=True)
class ProcessedImage:
    """The variants of one upload, smallest first; `width`/`height` are the largest's."""

    variants: tuple[Variant, ...]

    @property
    def width(self) -> int:
        return self.variants[-1].width

    @property
    def height(self) -> int:
        return self.variants[-1].height


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _too_large(size: int, spec: ImageSpec) -> ValidationError:
    return _refuse(
        _("The file is too large (%(size)s). Upload a picture of at most %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(spec.max_bytes)},
        "image_too_large",
    )


def _too_many_pixels(spec: ImageSpec) -> ValidationError:
    return _refuse(
        _("The picture has too many pixels. Upload one of at most %(limit)s megapixels.")
        % {"limit": spec.max_pixels // 1_000_000},
        "image_too_many_pixels",
    )


def _open(data: bytes, spec: ImageSpec) -> Image.Image:
    """The decoded picture, after the checks that need only its header."""
    if len(data) > spec.max_bytes:
        raise _too_large(len(data), spec)
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own limit (and refuses at twice it); ours, checked from the
            # header before anything is decoded, is lower.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data))
            if picture.format not in ACCEPTED_FORMATS:
                raise _refuse(_("Upload a JPEG, PNG or WebP picture."), "image_format")
            width, height = picture.size
            if width * height > spec.max_pixels:
                raise _too_many_pixels(spec)
            picture.load()
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise _too_many_pixels(spec) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _refuse(
            _("This file is not a picture we can read. Upload a JPEG, PNG or WebP picture."), "image_invalid"
        ) from None
    if width < spec.min_width or height < spec.min_height:
        raise _refuse(
            _(
                "The picture is too small (%(width)s × %(height)s pixels). "
                "It must be at least %(min_width)s × %(min_height)s pixels."
            )
            % {"width": width, "height": height, "min_width": spec.min_width, "min_height": spec.min_height},
            "image_too_small",
        )
    return picture


def _to_srgb(picture: Image.Image) -> Image.Image:
    """Colours as a browser without the (dropped) ICC profile shows them: converted to sRGB."""
    profile = picture.info.get("icc_profile")
    if not profile:
        return picture
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(picture, source, ImageCms.createProfile("sRGB"), outputMode=picture.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return picture  # a broken profile: the pixels as they are
    return converted if converted is not None else picture


def _normalised(picture: Image.Image) -> Image.Image:
    picture = ImageOps.exif_transpose(picture)
    has_alpha = picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info)
    mode = "RGBA" if has_alpha else "RGB"
    if picture.mode in ("RGB", "RGBA", "CMYK", "L"):
        picture = _to_srgb(picture)
    return picture.convert(mode)


def _crop(picture: Image.Image, aspect: float | None) -> Image.Image:
    if aspect is None:
        return picture
    width, height = picture.size
    if width / height > aspect:  # too wide: keep the middle columns
        new_width = round(height * aspect)
        left = (width - new_width) // 2
        return picture.crop((left, 0, left + new_width, height))
    new_height = round(width / aspect)
    top = (height - new_height) // 2
    return picture.crop((0, top, width, top + new_height))


def _size_for(width: int, picture: Image.Image, spec: ImageSpec) -> tuple[int, int]:
    source_width, source_height = picture.size
    scale = min(1.0, width / source_width)
    if spec.max_height is not None:
        # The box's height grows with its width (2× variant: 2× box).
        box_height = spec.max_height * width / spec.widths[0]
        scale = min(scale, box_height / source_height)
    return max(1, round(source_width * scale)), max(1, round(source_height * scale))


def _encode(picture: Image.Image) -> bytes:
    # Drawn into a new image: nothing of the upload's `info` (exif, icc_profile, xmp, comments)
    # can reach the encoder, whatever a Pillow version's encoder copies by default.
    clean = Image.new(picture.mode, picture.size)
    clean.paste(picture)
    buffer = io.BytesIO()
    clean.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
    return buffer.getvalue()


def process_image(data: bytes, spec: ImageSpec) -> ProcessedImage:
    """Check an upload and make its variants; raises ValidationError with a translated message."""
    picture = _crop(_normalised(_open(data, spec)), spec.aspect)
    variants: list[Variant] = []
    for width in spec.widths:
        size = _size_for(width, picture, spec)
        if variants and size[0] <= variants[-1].width:
            break  # the upload is no wider than the last variant: a larger one would only be blurred
        resized = picture.resize(size, Image.Resampling.LANCZOS) if size != picture.size else picture
        encoded = _encode(resized)
        variants.append(Variant(size[0], size[1], OUTPUT_CONTENT_TYPE, encoded, hashlib.sha256(encoded).hexdigest()))
    return ProcessedImage(variants=tuple(variants))


class ImageUploadField(forms.FileField):
    """A file field whose cleaned value is the ProcessedImage (errors shown next to the field)."""

    def __init__(self, *, spec: ImageSpec, **kwargs) -> None:
        self.spec = spec
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> ProcessedImage | None:
        upload = super().clean(data, initial)
        if not isinstance(upload, UploadedFile):
            return None  # nothing uploaded: the picture stays as it is
        if upload.size is not None and upload.size > self.spec.max_bytes:
            raise _too_large(upload.size, self.spec)  # refused before reading a byte of it
        upload.seek(0)
        return process_image(upload.read(), self.spec)
