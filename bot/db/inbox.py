"""The inbox: raw updates stored before a webhook answers 200, then processed exactly once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.direct import Direct
from bot.db.models import InboxItem
from bot.db.sqlite_hints import deferred
from bot.db.upsert import insert_ignoring_conflicts

MAX_ATTEMPTS = 5  # an update that failed this often is no longer retried


async def store(
    sess: AsyncSession,
    *,
    unit: str,
    channel: str,
    external_id: str,
    payload: dict[str, Any],
    now: dt.datetime,
) -> int | None:
    """Insert the update and return its id; None when it was already stored (a redelivery)."""
    row = {"unit": unit, "channel": channel, "external_id": external_id, "payload": payload}
    [item_id] = await store_many(sess, [row], now)
    return item_id


async def store_many(
    sess: AsyncSession, rows: list[dict[str, Any]], now: dt.datetime
) -> list[int | None]:
    """Insert several updates in one statement; per row its id, or None for a redelivery.

    Each row has unit, channel, external_id, payload and, optionally, understood. A row
    repeated within `rows` is stored once: the first copy gets the id, the others None.
    """
    if not rows:
        return []
    values = [{"understood": None, **row, "received_at": now, "attempts": 0} for row in rows]
    statement = insert_ignoring_conflicts(sess, InboxItem).returning(
        InboxItem.id, InboxItem.unit, InboxItem.channel, InboxItem.external_id
    )
    # Core executemany: SQLAlchemy sends it as multi-row INSERTs ("insertmanyvalues") from one
    # cached compiled statement, whatever the batch size.
    conn = await sess.connection()
    result = await conn.execute(statement, values)
    stored = {(r.unit, r.channel, r.external_id): r.id for r in result}
    ids: list[int | None] = []
    for row in rows:
        ids.append(stored.pop((row["unit"], row["channel"], row["external_id"]), None))
    return ids


async def pending(sess: AsyncSession, limit: int = 100, after_id: int = 0) -> list[Any]:
    """Unprocessed updates after `after_id`, oldest first: rows of (id, unit, channel,
    payload, understood)."""
    result = await sess.execute(
        select(
            InboxItem.id,
            InboxItem.unit,
            InboxItem.channel,
            InboxItem.payload,
            InboxItem.understood,
        )
        .where(
            InboxItem.processed_at.is_(None),
            InboxItem.attempts < MAX_ATTEMPTS,
            InboxItem.id > after_id,
        )
        .order_by(InboxItem.id)
        .limit(limit)
    )
    return list(result.all())


async def find(sess: AsyncSession, unit: str, channel: str, external_id: str) -> InboxItem | None:
    result = await sess.execute(
        select(InboxItem).where(
            InboxItem.unit == unit,
            InboxItem.channel == channel,
            InboxItem.external_id == external_id,
        )
    )
    return result.scalar_one_or_none()


async def mark_processed(
    sess: AsyncSession,
    item_id: int,
    now: dt.datetime,
    *,
    keep_payload: bool = True,
    contact_id: int | None = None,
) -> None:
    """Mark the row done, linked to who sent it (`contact_id`, so that their privacy deletion
    reaches it). Without `keep_payload` the raw update is emptied: an update that concerned
    no contact (an edit, a poll …) is kept only to recognise a redelivery."""
    statement = _DONE if keep_payload else _DONE_EMPTIED
    await statement.execute(sess, {"item_id": item_id, "now": now, "cid": contact_id})


_INBOX: Table = InboxItem.__table__  # type: ignore[assignment]
# Built once: mark_processed runs for every update (issue #19).
_MARK_DONE = deferred(  # sent with the COMMIT on SQLite
    update(_INBOX)
    .where(_INBOX.c.id == bindparam("item_id"))
    .values(
        processed_at=bindparam("now"),
        error=None,
        understood=None,
        contact_id=func.coalesce(
            bindparam("cid", type_=_INBOX.c.contact_id.type), _INBOX.c.contact_id
        ),
    )
)
_DONE = Direct(_MARK_DONE)
_DONE_EMPTIED = Direct(_MARK_DONE.values(payload={}))


async def redact_for_contact(sess: AsyncSession, contact_id: int) -> int:
    """Privacy deletion: empty the raw updates of a contact. The rows stay (without content)
    so that a redelivery of the same update is still recognised and not processed again."""
    result = await sess.execute(
        update(InboxItem)
        .where(InboxItem.contact_id == contact_id)
        .values(payload={}, error=None, understood=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def mark_failed(sess: AsyncSession, item_id: int, error: str) -> None:
    await sess.execute(
        update(InboxItem)
        .where(InboxItem.id == item_id)
        .values(attempts=InboxItem.attempts + 1, error=error[:2000])
    )


async def purge_processed(sess: AsyncSession, before: dt.datetime) -> int:
    """Delete raw updates processed before `before`, and those received before it that failed
    for good (MAX_ATTEMPTS tries: no contact was linked, so a privacy deletion cannot find them).

    They are kept only to recognise redeliveries (Telegram and Zalo retry within hours) and to
    diagnose a failure; after that they are a copy of citizens' messages.
    """
    processed = InboxItem.processed_at.is_not(None) & (InboxItem.processed_at < before)
    dead = (
        InboxItem.processed_at.is_(None)
        & (InboxItem.attempts >= MAX_ATTEMPTS)
        & (InboxItem.received_at < before)
    )
    result = await sess.execute(delete(InboxItem).where(processed | dead))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
