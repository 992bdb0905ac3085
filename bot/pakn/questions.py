"""Questions citizens handed to staff ("🙋 Nhờ cán bộ trả lời"): the staff inbox.

A handed-off question is a `faq_queries` row with `handed_at` set. It waits in the console's
inbox (per unit, due `QUESTION_ANSWER_DAYS` working days later, on the unit's PAKN calendar)
and, when the unit has a Telegram staff group, is also posted there. Either place answers it
through `answer()`: the reply is queued to the citizen in their own channel and the row leaves
the inbox, so the group and the console always show the same state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, case, func, select

from bot.core.messages import Reply
from bot.db import queries
from bot.db.models import Contact, FaqQuery, Message
from bot.pakn import staff_group
from bot.pakn.workdays import WorkCalendar

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.core.services import Services

ANSWER_MIN = 2
ANSWER_MAX = 3000
QUOTE_MAX = 300  # the question quoted back to the citizen
CONTEXT_MESSAGES = 6  # the conversation just before the question, shown to staff
DUE_SOON = dt.timedelta(hours=24)


class AlreadyAnswered(Exception):
    """Someone answered it first (in the console or in the staff group)."""

    def __init__(self, by: str | None) -> None:
        super().__init__(by or "")
        self.by = by or ""


class Unreachable(Exception):
    """The citizen deleted their data or the contact is gone: nobody to answer."""


def calendar_for(services: Services, unit: str) -> WorkCalendar:
    if services.pakn is not None:
        try:
            return services.pakn.policies.calendar(unit)
        except LookupError:
            pass
    return WorkCalendar()


def due_for(services: Services, unit: str, handed_at: dt.datetime) -> dt.datetime:
    days = services.settings.question_answer_days
    return calendar_for(services, unit).add_working_days(handed_at, days)


async def hand_off(
    sess: AsyncSession, services: Services, query: FaqQuery, now: dt.datetime
) -> Message | None:
    """Into the inbox (with its deadline) and, when there is one, to the staff group."""
    query.handed_to_staff = True
    query.handed_at = now
    query.staff_due_at = due_for(services, query.unit, now)
    return await staff_group.post_question(sess, services, query, now)


async def answer(
    sess: AsyncSession,
    services: Services,
    query: FaqQuery,
    text: str,
    by: str,
    now: dt.datetime,
) -> list[Message]:
    """Queue the answer to the citizen who asked and close the question; returns the rows."""
    if query.staff_answer is not None:
        raise AlreadyAnswered(query.staff_answered_by)
    citizen = await sess.get(Contact, query.contact_id) if query.contact_id else None
    if citizen is None:
        raise Unreachable()
    unit = services.units[query.unit]
    reply = Reply(
        services.messages.render(
            "ask.staff_answer", unit=unit, question=query.text[:QUOTE_MAX], answer=text
        ),
        tuple(services.menu_buttons(unit)),
    )
    rows = await queries.add_outbound(sess, citizen, [reply], now)
    query.staff_answer, query.staff_answered_at, query.staff_answered_by = text, now, by
    query.staff_done_at = query.staff_done_at or now
    return rows


async def tell_group(
    sess: AsyncSession, services: Services, query: FaqQuery, by: str, now: dt.datetime
) -> Message | None:
    """Answered in the console: say so in the staff group (if any), so nobody answers twice."""
    text = services.messages.render(
        "staff.question_answered_console",
        unit=services.units[query.unit],
        question=query.text[:80],
        name=by,
    )
    return await staff_group.queue_post(
        sess, services, query.unit, Reply(text), None, "note", now, faq_query_id=query.id
    )


def close(query: FaqQuery, by: str, now: dt.datetime) -> None:
    """Done without an answer from here (answered by phone, a duplicate, not a question)."""
    query.staff_done_at = now
    query.staff_answered_by = query.staff_answered_by or by


def _in_inbox(units: Iterable[str]) -> list[ColumnElement[bool]]:
    return [
        FaqQuery.unit.in_(list(units)),
        FaqQuery.handed_at.is_not(None),
        FaqQuery.staff_done_at.is_(None),
        FaqQuery.contact_id.is_not(None),  # a citizen who deleted their data: nobody to answer
    ]


async def waiting(sess: AsyncSession, units: Sequence[str], limit: int = 200) -> list[FaqQuery]:
    """Open questions of these units, the most urgent first."""
    rows = await sess.execute(
        select(FaqQuery)
        .where(*_in_inbox(units))
        .order_by(FaqQuery.staff_due_at, FaqQuery.id)
        .limit(limit)
    )
    return list(rows.scalars())


async def recently_done(
    sess: AsyncSession, units: Sequence[str], limit: int = 20
) -> list[FaqQuery]:
    rows = await sess.execute(
        select(FaqQuery)
        .where(
            FaqQuery.unit.in_(list(units)),
            FaqQuery.handed_at.is_not(None),
            FaqQuery.staff_done_at.is_not(None),
        )
        .order_by(FaqQuery.staff_done_at.desc())
        .limit(limit)
    )
    return list(rows.scalars())


@dataclass(frozen=True)
class Counts:
    waiting: int
    overdue: int


async def counts(sess: AsyncSession, units: Sequence[str], now: dt.datetime) -> Counts:
    overdue = func.coalesce(func.sum(case((FaqQuery.staff_due_at < now, 1), else_=0)), 0)
    query = select(func.count(), overdue).where(*_in_inbox(units))
    row = (await sess.execute(query)).one()
    return Counts(int(row[0]), int(row[1]))


def state(query: FaqQuery, now: dt.datetime) -> str:
    """ok | due_soon | overdue | done, for the inbox's colours."""
    if query.staff_done_at is not None:
        return "done"
    if query.staff_due_at is None:
        return "ok"
    if now > query.staff_due_at:
        return "overdue"
    return "due_soon" if query.staff_due_at - now <= DUE_SOON else "ok"


async def conversation_before(sess: AsyncSession, query: FaqQuery) -> list[Message]:
    """The few messages exchanged just before the question (the short context staff need)."""
    if query.contact_id is None:
        return []
    rows = await sess.execute(
        select(Message)
        .where(Message.contact_id == query.contact_id, Message.created_at <= query.created_at)
        .order_by(Message.id.desc())
        .limit(CONTEXT_MESSAGES)
    )
    return list(reversed(list(rows.scalars())))
