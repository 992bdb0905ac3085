"""Query functions for media_files (bot/db/models_media.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import Attachment
from bot.db.models_media import MediaFile

MAX_CAPTION = 1000
# Files not kept with a PAKN (sent outside the form, or a draft given up) are removed then.
UNLINKED_RETENTION = dt.timedelta(days=2)


async def queue_fetch(
    sess: AsyncSession,
    *,
    unit: str,
    channel: str,
    contact_id: int,
    attachments: Sequence[Attachment],
    caption: str,
    now: dt.datetime,
) -> list[int]:
    """A pending row per attachment still to download; the ids, in order."""
    rows = [
        MediaFile(
            unit=unit,
            channel=channel,
            contact_id=contact_id,
            kind=a.kind if a.kind in ("photo", "document") else "document",
            source_ref=a.url or a.file_id,
            declared_size=a.size,
            caption=caption[:MAX_CAPTION] or None,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        for a in attachments
    ]
    sess.add_all(rows)
    await sess.flush()
    return [row.id for row in rows]


async def claim(
    sess: AsyncSession, contact_id: int, ids: Sequence[int], caption: str
) -> list[int]:
    """Uploaded rows (web chat) become the contact's; returns the ids that are theirs."""
    if not ids:
        return []
    rows = (await sess.execute(select(MediaFile).where(MediaFile.id.in_(list(ids))))).scalars()
    mine = []
    for row in rows:
        if row.contact_id in (None, contact_id):
            row.contact_id = contact_id
            if caption and not row.caption:
                row.caption = caption[:MAX_CAPTION]
            mine.append(row.id)
    return mine


async def due(
    sess: AsyncSession, now: dt.datetime, lease: dt.timedelta, limit: int = 8
) -> list[MediaFile]:
    """Take pending downloads: several workers never take the same row; a crashed worker's
    rows come back after `lease`."""
    query = (
        select(MediaFile)
        .where(MediaFile.status == "pending", MediaFile.next_attempt_at <= now)
        .order_by(MediaFile.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = list((await sess.execute(query)).scalars())
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = now + lease
    return rows


async def link_to_pakn(
    sess: AsyncSession, ids: Sequence[int], contact_id: int | None, pakn_id: int
) -> int:
    if not ids or contact_id is None:
        return 0
    result = await sess.execute(
        update(MediaFile)
        .where(MediaFile.id.in_(list(ids)), MediaFile.contact_id == contact_id)
        .values(pakn_id=pakn_id)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def for_pakn(sess: AsyncSession, pakn_id: int) -> list[MediaFile]:
    query = select(MediaFile).where(MediaFile.pakn_id == pakn_id).order_by(MediaFile.id)
    return list((await sess.execute(query)).scalars())


async def unposted(sess: AsyncSession, pakn_id: int) -> list[MediaFile]:
    """Stored files of a PAKN not yet sent to the staff group (locked: posted once)."""
    query = (
        select(MediaFile)
        .where(
            MediaFile.pakn_id == pakn_id,
            MediaFile.status == "stored",
            MediaFile.staff_posted_at.is_(None),
        )
        .order_by(MediaFile.id)
        .with_for_update()
    )
    return list((await sess.execute(query)).scalars())


async def erase_for_contact(sess: AsyncSession, contact_id: int) -> int:
    """Privacy deletion: every file of the contact goes (the worker removes the bytes)."""
    result = await sess.execute(
        update(MediaFile)
        .where(MediaFile.contact_id == contact_id, MediaFile.status != "erased")
        .values(status="erased", caption=None, source_ref=None, next_attempt_at=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def erase(sess: AsyncSession, file_id: int) -> None:
    await sess.execute(
        update(MediaFile)
        .where(MediaFile.id == file_id)
        .values(status="erased", caption=None, source_ref=None, next_attempt_at=None)
    )


async def expire_unlinked(sess: AsyncSession, now: dt.datetime) -> int:
    """Files never kept with a PAKN are erased after UNLINKED_RETENTION."""
    result = await sess.execute(
        update(MediaFile)
        .where(
            MediaFile.pakn_id.is_(None),
            MediaFile.status != "erased",
            MediaFile.created_at < now - UNLINKED_RETENTION,
        )
        .values(status="erased", caption=None, source_ref=None, next_attempt_at=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def erased(sess: AsyncSession, limit: int = 100) -> list[MediaFile]:
    query = select(MediaFile).where(MediaFile.status == "erased").limit(limit)
    return list((await sess.execute(query.with_for_update(skip_locked=True))).scalars())


async def still_used(sess: AsyncSession, sha256: str) -> bool:
    """Another live row shares these bytes (the same photo sent twice)."""
    query = select(func.count()).where(
        MediaFile.status != "erased",
        (MediaFile.sha256 == sha256) | (MediaFile.thumb_sha256 == sha256),
    )
    return bool((await sess.execute(query)).scalar_one())
