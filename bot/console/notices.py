"""Notices for one console account (bot/db/models_notices.py): written where something happens
to that account's work (a campaign draft approved or returned), shown on the console home and
counted in the menu badges until read, and e-mailed when the account has an address."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models_console import ConsoleUser
from bot.db.models_notices import ConsoleNotice

log = logging.getLogger(__name__)
TEXT_MAX = 500
SHOWN = 10


async def add(
    sess: AsyncSession, username: str, kind: str, target: str, text: str, now: dt.datetime
) -> ConsoleNotice:
    row = ConsoleNotice(
        username=username.lower(),
        kind=kind,
        target=target,
        text=text[:TEXT_MAX],
        created_at=now,
    )
    sess.add(row)
    await sess.flush()
    return row


async def unread(sess: AsyncSession, username: str, limit: int = SHOWN) -> list[ConsoleNotice]:
    rows = await sess.execute(
        select(ConsoleNotice)
        .where(ConsoleNotice.username == username, ConsoleNotice.read_at.is_(None))
        .order_by(ConsoleNotice.id.desc())
        .limit(limit)
    )
    return list(rows.scalars())


async def mark_read(sess: AsyncSession, username: str, now: dt.datetime) -> None:
    await sess.execute(
        update(ConsoleNotice)
        .where(ConsoleNotice.username == username, ConsoleNotice.read_at.is_(None))
        .values(read_at=now)
    )


async def email_of(sess: AsyncSession, username: str) -> str | None:
    result = await sess.execute(
        select(ConsoleUser.email).where(
            ConsoleUser.username == username.lower(), ConsoleUser.active.is_(True)
        )
    )
    return result.scalar_one_or_none() or None


DECISIONS = {
    "approve": ("campaign.approved", "Chiến dịch «{title}» đã được duyệt ({by})."),
    "return": ("campaign.returned", "Chiến dịch «{title}» được trả lại để sửa ({by}): {note}"),
}


async def campaign_decided(
    sess: AsyncSession,
    *,
    author: str,
    actor: str,
    action: str,
    campaign_id: int,
    title: str,
    note: str,
    now: dt.datetime,
) -> tuple[str, str] | None:
    """Tell the author their draft was approved or returned (not when they did it themselves).
    Returns (e-mail, text) to mail after the commit when the author has an address."""
    if action not in DECISIONS or not author or author.lower() == actor.lower():
        return None
    kind, template = DECISIONS[action]
    text = template.format(title=title[:120], by=actor, note=note[:200] or "–")
    await add(sess, author, kind, f"campaign:{campaign_id}", text, now)
    email = await email_of(sess, author)
    return (email, text) if email else None
