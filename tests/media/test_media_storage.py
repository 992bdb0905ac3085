"""Stored photos: a privacy deletion removes them (bytes too), a retry keeps them coming,
`loaxa backup` includes them, and a second process writing the same file changes nothing."""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

from bot.db import queries
from bot.db.models_media import MediaFile
from bot.keys import file_store_key, media_worker_key, services_key, sessionmaker_key
from bot.media.files import FileStore
from bot.ops import backup_media, restore_media
from bot.privacy import erase_contact
from tests.media import samples
from tests.media.test_media_e2e import CHAT, CONTENT, rows, settle, tg_say

UNIT = "xa-binh-minh"


async def _stored_photo(client: Any, external_id: str, data: bytes) -> tuple[int, str]:
    files: FileStore = client.app[file_store_key]
    sha = files.put(data)
    services = client.app[services_key]
    now = services.clock()
    async with client.app[sessionmaker_key].begin() as sess:
        contact = await queries.get_or_create_contact(
            sess, unit=UNIT, channel="web", external_id=external_id, now=now
        )
        row = MediaFile(
            unit=UNIT, channel="web", contact_id=contact.id, kind="photo", status="stored",
            attempts=0, sha256=sha, mime="image/jpeg", caption="Nhà ông An", created_at=now,
        )  # fmt: skip
        sess.add(row)
        await sess.flush()
        return contact.id, sha


async def test_a_privacy_deletion_removes_the_photos_and_their_bytes(media_app: Any) -> None:
    client = media_app
    files: FileStore = client.app[file_store_key]
    mine, sha = await _stored_photo(client, "citizen-a", samples.photo_with_gps())
    _, shared = await _stored_photo(client, "citizen-b", samples.photo_with_gps())
    assert shared == sha  # the same photo sent by two people: one file
    _, other = await _stored_photo(client, "citizen-a-2", samples.png_with_alpha())
    async with client.app[sessionmaker_key].begin() as sess:
        contact = await queries.get_or_create_contact(
            sess,
            unit=UNIT,
            channel="web",
            external_id="citizen-a",
            now=client.app[services_key].clock(),
        )
        erased = await erase_contact(sess, client.app[services_key], contact, contact.last_seen_at)
    assert erased.files == 1
    await client.app[media_worker_key].sweep()
    left = await rows(client)
    assert len(left) == 2 and all(r.contact_id != mine for r in left)
    assert files.read(sha) is not None  # still citizen b's
    async with client.app[sessionmaker_key].begin() as sess:
        await sess.execute(MediaFile.__table__.update().values(status="erased"))
    await client.app[media_worker_key].sweep()
    assert files.read(sha) is None and files.read(other) is None
    assert await rows(client) == []


async def test_a_failed_download_is_retried_later(media_app: Any, fake_telegram: Any) -> None:
    client, fake = media_app, fake_telegram
    for text in ("gửi phản ánh", "1", CONTENT):
        await tg_say(client, fake, fake.make_text_update(CHAT, text))
    fake.fail_next("getFile", 502)
    await tg_say(client, fake, fake.make_photo_update(CHAT, data=samples.photo_with_gps()))
    [row] = await rows(client)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at is not None
    async with client.app[sessionmaker_key].begin() as sess:  # the retry is due
        stored = await sess.get(MediaFile, row.id)
        assert stored is not None
        stored.next_attempt_at = stored.created_at
    await settle(client)
    [row] = await rows(client)
    assert row.status == "stored" and row.attempts == 2


def test_backup_includes_the_media_and_restores_them(tmp_path: Path) -> None:
    store = FileStore(tmp_path / "media")
    sha = store.put(b"photo bytes")
    archive = backup_media(tmp_path / "media", tmp_path / "backups")
    assert archive is not None and archive.name.endswith("-media.tar")
    with tarfile.open(archive) as tar:
        assert tar.getnames() == [f"{sha[:2]}/{sha}"]
    restored = FileStore(tmp_path / "restored")
    assert restore_media(archive, tmp_path / "restored") == 1
    assert restored.read(sha) == b"photo bytes"
    assert backup_media(tmp_path / "nothing", tmp_path / "backups") is None


async def test_two_writers_of_the_same_file_leave_one_whole_file(tmp_path: Path) -> None:
    import asyncio

    store = FileStore(tmp_path / "media")
    data = samples.photo_with_gps((2000, 1500))
    shas = await asyncio.gather(*(asyncio.to_thread(store.put, data) for _ in range(8)))
    assert len(set(shas)) == 1 and store.read(shas[0]) == data
    assert [p.name for p in (tmp_path / "media").rglob("*") if p.is_file()] == [shas[0]]
