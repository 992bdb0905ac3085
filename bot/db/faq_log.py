"""The FAQ learning loop: every lookup, the choice made in a clarify, 👍/👎, hand-offs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.direct import Direct
from bot.db.models import FaqQuery
from bot.db.sqlite_hints import on_loop
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
) -> int:
    """Log one lookup (a Core INSERT, built once); returns its id."""
    decision = decision or match.decision
    best = match.best if decision == "answer" else None
    row = dict(
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
    return int((await _INSERT_QUERY.execute(sess, row)).scalar_one())


_QUERIES: Table = FaqQuery.__table__  # type: ignore[assignment]
_INSERT_QUERY = Direct(on_loop(_QUERIES.insert().returning(_QUERIES.c.id)))  # every FAQ answer


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


@dataclass(frozen=True)
class Outcomes:
    """What became of a period's questions (the dashboard and the periodic report).

    "Not answered" counts the fallbacks ("I don't know") and the clarifications where the
    citizen pressed "none of these": both end with the hotline or staff.
    """

    total: int = 0
    answered: int = 0  # answered at once
    clarified: int = 0  # the bot offered a few entries …
    clarified_chosen: int = 0  # … and the citizen picked one
    clarified_none: int = 0  # … and the citizen pressed "none of these"
    fallbacks: int = 0
    handed: int = 0  # passed to staff

    @property
    def unanswered(self) -> int:
        return self.fallbacks + self.clarified_none


async def outcomes(
    sess: AsyncSession, unit: str, start: dt.datetime, end: dt.datetime
) -> Outcomes:
    def count_if(cond: Any) -> Any:
        return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)

    clarify = FaqQuery.decision == "clarify"
    picked = FaqQuery.chosen_entry.is_not(None)
    row = (
        await sess.execute(
            select(
                func.count(),
                count_if(FaqQuery.decision == "answer"),
                count_if(clarify),
                count_if(and_(clarify, picked, FaqQuery.chosen_entry != "none")),
                count_if(and_(clarify, FaqQuery.chosen_entry == "none")),
                count_if(FaqQuery.decision == "fallback"),
                count_if(FaqQuery.handed_to_staff.is_(True)),
            ).where(FaqQuery.unit == unit, FaqQuery.created_at >= start, FaqQuery.created_at < end)
        )
    ).one()
    return Outcomes(*(int(v) for v in row))
