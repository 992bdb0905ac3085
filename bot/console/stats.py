"""Counts for the home page, read from the core tables (messages, faq_queries)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import faq_log
from bot.db.models import Message

DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class UnitToday:
    unit: str
    messages_in: int = 0
    faq_questions: int = 0
    faq_unanswered: int = 0

    @property
    def unanswered_share(self) -> float | None:
        return self.faq_unanswered / self.faq_questions if self.faq_questions else None


def start_of_day(now: dt.datetime, tz: str) -> dt.datetime:
    local = now.astimezone(ZoneInfo(tz))
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.UTC)


async def today_by_unit(
    sess: AsyncSession, units: Sequence[str], now: dt.datetime, tz: str
) -> list[UnitToday]:
    """Per unit since local midnight: citizens' messages, FAQ questions, not answered
    (counted as in the reports: bot.db.faq_log.outcomes)."""
    since = start_of_day(now, tz)
    messages: dict[str, int] = {
        unit: count
        for unit, count in (
            await sess.execute(
                select(Message.unit, func.count())
                .where(
                    Message.unit.in_(units),
                    Message.direction == "in",
                    Message.created_at >= since,
                )
                .group_by(Message.unit)
            )
        ).all()
    }
    faq = {unit: await faq_log.outcomes(sess, unit, since, now + DAY) for unit in units}
    return [
        UnitToday(
            unit,
            int(messages.get(unit, 0)),
            faq[unit].total,
            faq[unit].unanswered,
        )
        for unit in units
    ]
