"""The FAQ learning loop: every lookup, the choice made in a clarify, 👍/👎, hand-offs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import FaqQuery
from faq.types import Match


async def record_query(
    sess: AsyncSession,
    *,
    unit: str,
    contact_id: int | None,
    text: str,
    match: Match,
    now: dt.datetime,
    decision: str | None = None,  # the answer policy's, when it overrides the matcher's
) -> FaqQuery:
    decision = decision or match.decision
    best = match.best if decision == "answer" else None
    row = FaqQuery(
        unit=unit,
        contact_id=contact_id,
        text=text[:2000],
        normalized=match.normalized[:2000],
        decision=decision,
        entry_id=best.entry if best else None,
        topic=best.topic if best else None,
        confidence=round(float(match.confidence), 4),
        candidates=[[c.entry, c.topic, round(c.score, 4)] for c in match.candidates],
        handed_to_staff=False,
        created_at=now,
    )
    sess.add(row)
    await sess.flush()
    return row


async def get_query(sess: AsyncSession, query_id: int, contact_id: int) -> FaqQuery | None:
    row = await sess.get(FaqQuery, query_id)
    return row if row is not None and row.contact_id == contact_id else None


async def ids_for_contact(sess: AsyncSession, contact_id: int) -> list[int]:
    result = await sess.execute(select(FaqQuery.id).where(FaqQuery.contact_id == contact_id))
    return [int(i) for i in result.scalars()]


async def redact(sess: AsyncSession, query_ids: list[int]) -> int:
    """Privacy deletion: blank the wording (and a staff answer to it) and unlink the contact.
    The rows stay, without text, so that past counts (reports, dashboard) do not change; lists
    of questions leave them out (`normalized` is empty)."""
    if not query_ids:
        return 0
    result = await sess.execute(
        update(FaqQuery)
        .where(FaqQuery.id.in_(query_ids))
        .values(text="", normalized="", staff_answer=None, contact_id=None)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def unanswered_top(
    sess: AsyncSession, unit: str, since: dt.datetime, limit: int = 20
) -> list[tuple[str, int]]:
    """Most frequent normalised questions that got a fallback, a clarify or a 👎."""
    result = await sess.execute(
        select(FaqQuery.normalized, func.count())
        .where(
            FaqQuery.unit == unit,
            FaqQuery.created_at >= since,
            FaqQuery.normalized != "",  # redacted at the citizen's request
            (FaqQuery.decision != "answer") | (FaqQuery.feedback == -1),
        )
        .group_by(FaqQuery.normalized)
        .order_by(func.count().desc())
        .limit(limit)
    )
    return [(text, count) for text, count in result.all()]
