"""A citizen's photo, decoded and encoded again with Pillow before it is stored: what leaves here is pixels,
never the bytes that came in. Phones write where and when a photo was taken (EXIF GPS), the device and its
serial number, editing software, comments and XMP packets into their files; none of it survives, unless the
person asked to keep the photo's location, and then only the GPS block does. Re-encoding also means a file
that merely starts like a JPEG but holds something else is refused here rather than stored."""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import BinaryIO

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# 50 million pixels: more than any phone camera in ordinary mode; a "decompression bomb" (a small file that
# unpacks into gigabytes) is refused before it is decoded.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 90
WEBP_QUALITY = 90


class NotAnImage(ValueError):
    """The bytes cannot be decoded as the photo they claim to be (damaged, truncated, too large, or another
    format behind an image's first bytes)."""


@dataclass(frozen=True)
class Reencoded:
    data: bytes
    content_type: str
    width: int
    height: int
    located: bool  # the GPS block was kept


def reencode(stream: BinaryIO, content_type: str, keep_location: bool = False) -> Reencoded:
    """The photo as new bytes of the same type, turned upright (the EXIF orientation applied, since the tag
    that said it is gone), with its colour profile and nothing else of its metadata, or also its GPS block
    when `keep_location`."""
    stream.seek(0)
    try:
        with Image.open(stream) as source:
            if FORMATS.get(source.format or "") != content_type:
                raise NotAnImage(f"{source.format} is not {content_type}")
            width, height = source.size
            if width * height > MAX_PIXELS:  # checked before a single pixel is decoded
                raise NotAnImage(f"{width}×{height} pixels")
            gps = _gps(source) if keep_location else None
            icc = source.info.get("icc_profile")
            source.seek(0)  # an animated WebP or PNG keeps its first frame
            picture = ImageOps.exif_transpose(source.convert(_mode(source, content_type)))
    except NotAnImage:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise NotAnImage(str(exc)) from exc
    picture.info = {}  # nothing of the source's metadata rides along by default
    options: dict = {}
    if icc:
        options["icc_profile"] = icc  # how the colours are meant, not who or where
    if gps:
        exif = Image.Exif()
        exif[ExifTags.IFD.GPSInfo] = gps
        options["exif"] = exif.tobytes()
    out = io.BytesIO()
    if content_type == "image/jpeg":
        picture.save(out, "JPEG", quality=JPEG_QUALITY, **options)
    elif content_type == "image/png":
        picture.save(out, "PNG", **options)
    else:
        picture.save(out, "WEBP", quality=WEBP_QUALITY, **options)
    return Reencoded(out.getvalue(), content_type, picture.width, picture.height, bool(gps))


def _gps(source: Image.Image) -> dict | None:
    try:
        gps = dict(source.getexif().get_ifd(ExifTags.IFD.GPSInfo))
    except (OSError, SyntaxError, ValueError, KeyError, TypeError):
        return None  # a damaged EXIF block: there is no location to keep
    return gps or None


def _mode(source: Image.Image, content_type: str) -> str:
    """A mode the target format writes as it is. A palette becomes RGB(A): its transparency lives in the
    metadata that is dropped."""
    mode = source.mode
    if content_type == "image/jpeg":
        return mode if mode in ("L", "RGB", "CMYK") else "RGB"
    if mode in ("L", "LA", "RGB", "RGBA") or (content_type == "image/png" and mode in ("I", "I;16")):
        return mode
    return "RGBA" if source.has_transparency_data else "RGB"
