"""Uploaded pictures: checked, cut, resized, re-encoded without any metadata."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, TiffImagePlugin

from civicmeet.core.images import COVER, LOGO, ImageSpec, ImageUploadField, process_image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo_with_gps(width: int = 2400, height: int = 1600, *, fmt: str = "JPEG", orientation: int = 1) -> bytes:
    """A camera-like photo: EXIF with the camera, the time and a GPS position (Kraków), and a comment."""
    picture = Image.new("RGB", (width, height), (180, 40, 40))
    for x in range(0, width, 50):  # something to encode, not a flat colour
        picture.paste((30, 90, 160), (x, 0, x + 20, height))
    exif = Image.Exif()
    exif[0x010F] = "ExampleCam"  # Make
    exif[0x0110] = "Model 7"  # Model
    exif[0x0132] = "2021:09:20 10:00:00"  # DateTime
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update(
        {
            1: "N",
            2: (TiffImagePlugin.IFDRational(50), TiffImagePlugin.IFDRational(3), TiffImagePlugin.IFDRational(40)),
            3: "E",
            4: (TiffImagePlugin.IFDRational(19), TiffImagePlugin.IFDRational(56), TiffImagePlugin.IFDRational(0)),
        }
    )
    buffer = io.BytesIO()
    extra = {"comment": b"secret comment"} if fmt == "JPEG" else {}
    picture.save(buffer, format=fmt, exif=exif.tobytes(), **extra)
    return buffer.getvalue()


def test_the_fixture_really_carries_gps():
    reread = Image.open(io.BytesIO(photo_with_gps()))
    assert reread.getexif().get_ifd(GPS_IFD)[1] == "N"
    assert reread.getexif()[0x010F] == "ExampleCam"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_variants_carry_no_metadata(fmt):
    processed = process_image(photo_with_gps(fmt=fmt), COVER)
    assert processed.variants
    for variant in processed.variants:
        data = variant.data
        reread = Image.open(io.BytesIO(data))
        assert reread.format == "WEBP"
        assert dict(reread.getexif()) == {}
        assert not ({"exif", "icc_profile", "xmp", "comment"} & set(reread.info))
        # Not even as bytes somewhere in the file (a chunk Pillow would not parse).
        assert b"Exif" not in data and b"ExampleCam" not in data and b"secret comment" not in data
        assert b"EXIF" not in data and b"XMP " not in data


def test_cover_is_cut_to_a_band_and_made_in_three_widths():
    processed = process_image(photo_with_gps(2400, 1600), COVER)
    assert [(v.width, v.height) for v in processed.variants] == [(480, 240), (960, 480), (1600, 800)]
    for variant in processed.variants:
        assert Image.open(io.BytesIO(variant.data)).size == (variant.width, variant.height)
    assert (processed.width, processed.height) == (1600, 800)


def test_a_small_cover_is_not_blown_up():
    processed = process_image(photo_with_gps(700, 700), COVER)
    assert [(v.width, v.height) for v in processed.variants] == [(480, 240), (700, 350)]


def test_logo_fits_its_box_and_keeps_its_shape():
    processed = process_image(photo_with_gps(1000, 250), LOGO)  # a wide logo: width-bound
    assert [(v.width, v.height) for v in processed.variants] == [(160, 40), (320, 80)]
    processed = process_image(photo_with_gps(400, 400), LOGO)  # a square one: height-bound
    assert [(v.width, v.height) for v in processed.variants] == [(80, 80), (160, 160)]


def test_a_logo_keeps_its_transparency():
    picture = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    picture.paste((20, 120, 60, 255), (100, 50, 300, 150))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    variant = process_image(buffer.getvalue(), LOGO).variants[0]
    reread = Image.open(io.BytesIO(variant.data))
    assert reread.mode == "RGBA"
    assert reread.getpixel((0, 0))[3] == 0


def test_the_camera_orientation_is_applied_before_it_is_dropped():
    # Stored 1200 × 2400 with "rotate 90°" (orientation 6): upright it is 2400 × 1200, so the
    # 1600-px size can be made; read sideways it could not.
    processed = process_image(photo_with_gps(1200, 2400, orientation=6), COVER)
    assert processed.variants[-1].width == 1600  # 2400 wide once upright, so the largest size is made


def test_digest_is_the_sha256_of_the_bytes():
    import hashlib

    for variant in process_image(photo_with_gps(), LOGO).variants:
        assert variant.digest == hashlib.sha256(variant.data).hexdigest()


def _refusal(data: bytes, spec: ImageSpec = COVER) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        process_image(data, spec)
    return caught.value


def test_a_file_that_is_not_a_picture_is_refused():
    assert _refusal(b"%PDF-1.4 not a picture at all").code == "image_invalid"


def test_a_truncated_picture_is_refused():
    assert _refusal(photo_with_gps()[:2000]).code == "image_invalid"


def test_other_formats_are_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (800, 400)).save(buffer, format="BMP")
    assert _refusal(buffer.getvalue()).code == "image_format"


def test_a_too_large_file_is_refused():
    spec = ImageSpec(name="t", widths=(480,), min_width=1, min_height=1, max_bytes=10_000)
    error = _refusal(photo_with_gps(), spec)
    assert error.code == "image_too_large"
    assert error.messages == ["The file is too large (241.1\xa0KB). Upload a picture of at most 9.8\xa0KB."]


def test_too_many_pixels_are_refused_before_decoding():
    # A small file declaring 10,000 × 10,000 pixels (a decompression bomb in miniature).
    buffer = io.BytesIO()
    Image.new("L", (10_000, 10_000)).save(buffer, format="PNG")
    data = buffer.getvalue()
    assert len(data) < 1_000_000
    error = _refusal(data)
    assert error.code == "image_too_many_pixels"
    assert error.messages == ["The picture has too many pixels. Upload one of at most 40 megapixels."]


def test_pillows_own_bomb_limit_is_a_clear_refusal_too():
    # Above twice Pillow's limit Image.open itself refuses: the same clear message, not a crash.
    buffer = io.BytesIO()
    Image.new("1", (15_000, 15_000)).save(buffer, format="PNG")
    assert _refusal(buffer.getvalue()).code == "image_too_many_pixels"


def test_a_too_small_picture_is_refused():
    error = _refusal(photo_with_gps(300, 200))
    assert error.code == "image_too_small"


def test_the_form_field_returns_the_variants_and_refuses_with_a_message():
    field = ImageUploadField(spec=COVER)
    processed = field.clean(SimpleUploadedFile("cover.jpg", photo_with_gps(), content_type="image/jpeg"))
    assert processed is not None and len(processed.variants) == 3
    assert field.clean(None) is None
    with pytest.raises(ValidationError) as caught:
        field.clean(SimpleUploadedFile("cover.jpg", b"GIF89a nonsense", content_type="image/jpeg"))
    assert caught.value.messages == ["This file is not a picture we can read. Upload a JPEG, PNG or WebP picture."]
