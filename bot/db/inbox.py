"""The inbox: raw updates stored before a webhook answers 200, then processed exactly once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import InboxItem
from bot.db.upsert import insert_ignore


async def store(
    sess: AsyncSession,
    *,
    unit: str,
    channel: str,
    external_id: str,
    payload: dict[str, Any],
    now: dt.datetime,
) -> bool:
    """Insert the update; False when it was already stored (a redelivery)."""
    result = await sess.execute(
        insert_ignore(
            sess,
            InboxItem,
            {
                "unit": unit,
                "channel": channel,
                "external_id": external_id,
                "payload": payload,
                "received_at": now,
                "attempts": 0,
            },
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def pending(sess: AsyncSession, limit: int = 100) -> list[InboxItem]:
    result = await sess.execute(
        select(InboxItem)
        .where(InboxItem.processed_at.is_(None), InboxItem.attempts < 5)
        .order_by(InboxItem.id)
        .limit(limit)
    )
    return list(result.scalars())


async def find(sess: AsyncSession, unit: str, channel: str, external_id: str) -> InboxItem | None:
    result = await sess.execute(
        select(InboxItem).where(
            InboxItem.unit == unit,
            InboxItem.channel == channel,
            InboxItem.external_id == external_id,
        )
    )
    return result.scalar_one_or_none()


async def mark_processed(sess: AsyncSession, item_id: int, now: dt.datetime) -> None:
    await sess.execute(
        update(InboxItem).where(InboxItem.id == item_id).values(processed_at=now, error=None)
    )


async def mark_failed(sess: AsyncSession, item_id: int, error: str) -> None:
    await sess.execute(
        update(InboxItem)
        .where(InboxItem.id == item_id)
        .values(attempts=InboxItem.attempts + 1, error=error[:2000])
    )


async def purge_processed(sess: AsyncSession, before: dt.datetime) -> int:
    """Delete raw updates processed before `before`.

    They are kept only to recognise redeliveries (Telegram and Zalo retry within hours); after
    that they are a copy of citizens' messages that a privacy deletion could not reach.
    """
    result = await sess.execute(
        delete(InboxItem).where(
            InboxItem.processed_at.is_not(None), InboxItem.processed_at < before
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
