"""Photos re-encoded before they are stored: pixels kept, what the phone wrote dropped (or only the location
kept, when the person asks), a file that is not the photo it claims refused."""
from __future__ import annotations

from io import BytesIO

import pytest
from PIL import ExifTags, Image, PngImagePlugin

from hotline.integrations import images

GPS = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (30.0, 15.0, 12.5),
       ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (120.0, 9.0, 44.0)}
FORMATS = [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]


def exif(orientation: int | None = None) -> bytes:
    tags = Image.Exif()
    tags[ExifTags.Base.Make] = "Huawei"
    tags[ExifTags.Base.BodySerialNumber] = "SN-0042-PRIVATE"
    tags[ExifTags.IFD.GPSInfo] = GPS
    if orientation:
        tags[ExifTags.Base.Orientation] = orientation
    return tags.tobytes()


def photo(fmt: str, size=(40, 30), mode="RGB", orientation=None, **options) -> BytesIO:
    out = BytesIO()
    Image.new(mode, size, (200, 30, 30, 255)[:len(mode)] if mode != "P" else 1).save(
        out, fmt, exif=exif(orientation), **options)
    out.seek(0)
    return out


def reopen(result: images.Reencoded) -> Image.Image:
    image = Image.open(BytesIO(result.data))
    image.load()
    return image


@pytest.mark.parametrize(("fmt", "content_type"), FORMATS)
def test_every_tag_is_dropped_and_the_pixels_stay(fmt, content_type):
    result = images.reencode(photo(fmt), content_type)
    image = reopen(result)
    assert result.content_type == content_type and image.format == fmt
    assert dict(image.getexif()) == {} and "exif" not in image.info and not result.located
    assert image.size == (40, 30) and image.convert("RGB").getpixel((20, 15))[0] > 150
    assert b"SN-0042-PRIVATE" not in result.data and b"Huawei" not in result.data


@pytest.mark.parametrize(("fmt", "content_type"), FORMATS)
def test_keeping_the_location_keeps_the_gps_block_alone(fmt, content_type):
    result = images.reencode(photo(fmt), content_type, keep_location=True)
    tags = reopen(result).getexif()
    assert result.located
    assert tags.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (30.0, 15.0, 12.5)
    assert ExifTags.Base.Make not in tags and b"SN-0042-PRIVATE" not in result.data


def test_a_photo_without_a_location_has_none_to_keep():
    out = BytesIO()
    Image.new("RGB", (8, 8)).save(out, "JPEG")
    assert not images.reencode(out, "image/jpeg", keep_location=True).located


@pytest.mark.parametrize(("orientation", "size"), [(1, (40, 30)), (3, (40, 30)), (6, (30, 40)), (8, (30, 40))])
def test_the_photo_is_turned_as_the_phone_said(orientation, size):
    assert reopen(images.reencode(photo("JPEG", orientation=orientation), "image/jpeg")).size == size


def test_png_text_chunks_go_and_transparency_stays():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "王小明")
    out = BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, "PNG", pnginfo=info)
    image = reopen(images.reencode(out, "image/png"))
    assert "Author" not in image.info and image.mode == "RGBA" and image.getpixel((5, 5))[3] == 0


def test_a_palette_png_with_transparency_keeps_it():
    source = Image.new("P", (6, 6), 0)
    source.putpalette([255, 0, 0, 0, 255, 0])
    out = BytesIO()
    source.save(out, "PNG", transparency=0)
    image = reopen(images.reencode(out, "image/png"))
    assert image.mode == "RGBA" and image.getpixel((1, 1))[3] == 0


def test_the_colour_profile_is_kept():
    profile = b"\x00" * 128 + b"acsp" + b"\x00" * 100  # only carried, never interpreted
    out = BytesIO()
    Image.new("RGB", (8, 8)).save(out, "JPEG", icc_profile=profile)
    assert reopen(images.reencode(out, "image/jpeg")).info.get("icc_profile") == profile


@pytest.mark.parametrize(("data", "claimed"), [
    (b"\xff\xd8\xff\xe0" + b"\x00" * 200, "image/jpeg"),  # a JPEG's first bytes and nothing after
    (b"not an image at all", "image/png"),
])
def test_what_cannot_be_decoded_is_refused(data, claimed):
    with pytest.raises(images.NotAnImage):
        images.reencode(BytesIO(data), claimed)


def test_a_photo_of_another_type_than_claimed_is_refused():
    with pytest.raises(images.NotAnImage):
        images.reencode(photo("PNG"), "image/jpeg")


def test_a_decompression_bomb_is_refused_before_it_is_decoded(monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 100)
    with pytest.raises(images.NotAnImage, match="pixels"):
        images.reencode(photo("PNG", size=(20, 20)), "image/png")


def test_a_truncated_photo_is_refused():
    data = photo("JPEG", size=(64, 64)).getvalue()
    with pytest.raises(images.NotAnImage):
        images.reencode(BytesIO(data[: len(data) // 2]), "image/jpeg")
