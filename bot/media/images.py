"""Checking what a citizen sent by its bytes, never its name, and making a safe copy of it.

`inspect(data)` runs in a worker thread (Pillow decodes in C, but a 20-megapixel photo still
takes a moment): it accepts JPEG, PNG and WebP images (HEIC too when a Pillow HEIF plugin is
installed) and PDF documents. An image is decoded under a pixel limit (a decompression bomb is
refused before its pixels are allocated), turned upright, shrunk to MAX_SIDE and re-encoded,
which drops every metadata block (EXIF with its GPS position, XMP, comments). A thumbnail is
made from the same pixels. A PDF is kept as sent (checked by its header only) and shown as a
download. Anything else is refused with a reason the citizen is told.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024  # per file, as received
MAX_PIXELS = 40_000_000  # ~ a 48-megapixel phone photo's sensor is 8000 x 6000: refuse beyond
MAX_SIDE = 2560  # stored images are shrunk to this (enough to read a sign or a meter)
THUMB_SIDE = 320
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
try:  # HEIC (iPhone photos) only if the optional plugin is installed
    import importlib

    importlib.import_module("pillow_heif").register_heif_opener()
    IMAGE_FORMATS.update({"HEIF": "image/heic"})
except ImportError:
    pass
Reason = Literal["too_big", "type", "unreadable", "too_many_pixels"]


class Refused(Exception):
    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason: Reason = reason


@dataclass(frozen=True)
class Checked:
    kind: str  # photo | document
    data: bytes  # what is stored: the re-encoded image, or the PDF as sent
    mime: str  # image/jpeg | image/png | application/pdf
    thumb: bytes | None = None  # JPEG
    width: int | None = None
    height: int | None = None


def inspect(data: bytes) -> Checked:
    """The safe copy of `data`, or Refused. Call it in a worker thread."""
    if len(data) > MAX_BYTES:
        raise Refused("too_big")
    if data[:5] == b"%PDF-":
        return Checked("document", data, "application/pdf")
    with warnings.catch_warnings():
        # Between MAX_IMAGE_PIXELS and twice that Pillow only warns: refuse those too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _image(data)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise Refused("too_many_pixels") from None
        except UnidentifiedImageError:
            raise Refused("type") from None
        except (OSError, ValueError, SyntaxError, EOFError):  # truncated or corrupt
            raise Refused("unreadable") from None


def _image(data: bytes) -> Checked:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # process-wide; the same limit everywhere
    with Image.open(io.BytesIO(data)) as probe:
        if probe.format not in IMAGE_FORMATS:
            raise Refused("type")
        width, height = probe.size  # from the header: a bomb is refused before decoding
        if width * height > MAX_PIXELS:
            raise Refused("too_many_pixels")
        probe.verify()
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        upright = ImageOps.exif_transpose(img)
        picture = _without_alpha(upright)
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85, optimize=True)  # no exif= : metadata is dropped
    thumb = picture.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    small = io.BytesIO()
    thumb.save(small, "JPEG", quality=80)
    return Checked(
        "photo", out.getvalue(), "image/jpeg", small.getvalue(), picture.width, picture.height
    )


def _without_alpha(img: Image.Image) -> Image.Image:
    """RGB pixels; transparent areas (a PNG screenshot) on white."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return img.convert("RGB")
