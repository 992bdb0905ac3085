"""bot/media/images.py: accepted by their bytes, re-encoded without metadata, bombs refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from bot.media.files import FileStore
from bot.media.images import MAX_SIDE, Refused, inspect
from tests.media import samples


def test_a_phone_photo_is_kept_without_its_gps_and_gets_a_thumbnail() -> None:
    original = samples.photo_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(samples.GPS_IFD)
    checked = inspect(original)
    assert (checked.kind, checked.mime, checked.width, checked.height) == (
        "photo", "image/jpeg", 800, 600,
    )  # fmt: skip
    stored = Image.open(io.BytesIO(checked.data))
    assert stored.format == "JPEG"
    assert not stored.getexif()  # no EXIF at all: no GPS, no camera
    assert b"LoaXaPhone" not in checked.data
    assert checked.thumb is not None
    assert max(Image.open(io.BytesIO(checked.thumb)).size) == 320


def test_a_large_photo_is_shrunk_and_a_png_with_transparency_kept_on_white() -> None:
    checked = inspect(samples.photo_with_gps((4000, 3000)))
    assert max(checked.width or 0, checked.height or 0) == MAX_SIDE
    flat = inspect(samples.png_with_alpha())
    assert flat.mime == "image/jpeg"
    assert Image.open(io.BytesIO(flat.data)).mode == "RGB"


def test_a_pdf_is_kept_as_a_document() -> None:
    checked = inspect(samples.pdf())
    assert (checked.kind, checked.mime, checked.thumb) == ("document", "application/pdf", None)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (samples.script_named_jpg(), "type"),
        (samples.svg_image(), "type"),
        (samples.huge_upload(), "too_big"),
        (samples.decompression_bomb_png(), "too_many_pixels"),
        (samples.photo_with_gps()[:2000], "unreadable"),
        (b"", "type"),
    ],
    ids=["script", "svg", "50MB", "bomb", "truncated", "empty"],
)
def test_hostile_files_are_refused_by_their_bytes(data: bytes, reason: str) -> None:
    with pytest.raises(Refused) as refused:
        inspect(data)
    assert refused.value.reason == reason


def test_files_are_stored_by_content_atomically(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "media")
    sha = store.put(b"abc")
    assert store.put(b"abc") == sha  # the same bytes, the same name
    assert store.read(sha) == b"abc"
    assert [p.name for p in (tmp_path / "media").rglob("*") if p.is_file()] == [sha]
    store.delete(sha)
    assert store.read(sha) is None
    with pytest.raises(ValueError, match="SHA-256"):
        store.path("../../etc/passwd")
