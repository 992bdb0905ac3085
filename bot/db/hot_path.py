"""The statements every inbound message runs, made few (issue #19).

Each function is one statement where the old code read a row, changed it in Python and flushed
it back: a contact is an upsert with RETURNING, the conversation state an upsert written only
when there is something to keep, the unit's console edits one look-up, and replies are inserted
already claimed for sending, so the pipeline sends them at once with no claim transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, bindparam, literal_column, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import FlowState, Reply
from bot.db.models import Contact, ConversationState, Message
from bot.db.models_places import UnitAreas, UnitCategories

MESSAGES: Table = Message.__table__  # type: ignore[assignment]  # Core statements, no ORM


def _insert(sess: AsyncSession, model: Any) -> Any:
    dialect = sess.bind.dialect.name if sess.bind is not None else "sqlite"
    return (postgresql if dialect == "postgresql" else sqlite).insert(model)


async def upsert_contact(
    sess: AsyncSession,
    *,
    unit: str,
    channel: str,
    external_id: str,
    now: dt.datetime,
    display_name: str | None = None,
    language: str | None = None,
    interacted: bool = True,
) -> Contact:
    """Find or create the contact in one statement; its row stays locked until commit (on
    PostgreSQL ON CONFLICT DO UPDATE locks it, as SELECT … FOR UPDATE did), so one contact's
    messages are handled one at a time across workers.

    `interacted`: the citizen wrote or followed (last_seen_at moves, a block is lifted)."""
    values: dict[str, Any] = {
        "unit": unit, "channel": channel, "external_id": external_id,
        "created_at": now, "blocked": False,
    }  # fmt: skip
    changes: dict[str, Any] = {}
    if interacted:
        changes = {"last_seen_at": now, "blocked": False, "blocked_at": None}
        if display_name:
            changes["display_name"] = display_name[:200]
        if language:
            changes["language"] = language[:16]
        values.update(changes)
    stmt = _insert(sess, Contact).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["unit", "channel", "external_id"],
        # Nothing to change still needs an update: RETURNING gives no row for DO NOTHING.
        set_=changes or {"external_id": stmt.excluded.external_id},
    ).returning(Contact)
    result = await sess.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one()


async def unit_edits(sess: AsyncSession, unit: str) -> tuple[list[str] | None, list[str] | None]:
    """The console's areas and PAKN categories for `unit` (None where the file's apply), read
    in one statement."""
    areas = select(UnitAreas.areas).where(UnitAreas.unit == unit).scalar_subquery()
    categories = (
        select(UnitCategories.categories).where(UnitCategories.unit == unit).scalar_subquery()
    )
    row = (await sess.execute(select(areas.label("a"), categories.label("c")))).one()
    return _strings(row.a), _strings(row.c)


def _strings(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):  # a scalar subquery skips the JSON column's result processing
        import json

        value = json.loads(value)
    return [str(v) for v in value]


async def load_state(sess: AsyncSession, contact_id: int) -> FlowState:
    row = (
        await sess.execute(
            select(ConversationState.flow, ConversationState.step, ConversationState.data).where(
                ConversationState.contact_id == contact_id
            )
        )
    ).first()
    if row is None:
        return FlowState()
    return FlowState(flow=row.flow, step=row.step, data=dict(row.data or {}))


def is_empty(state: FlowState) -> bool:
    return state.flow is None and state.step is None and not state.data


async def save_state(
    sess: AsyncSession, contact_id: int, state: FlowState, now: dt.datetime
) -> None:
    """Write the state (one upsert)."""
    values = {
        "contact_id": contact_id, "flow": state.flow, "step": state.step,
        "data": dict(state.data), "updated_at": now,
    }  # fmt: skip
    stmt = _insert(sess, ConversationState).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["contact_id"],
        set_={k: v for k, v in values.items() if k != "contact_id"},
    )
    await sess.execute(stmt)


async def add_claimed_replies(
    sess: AsyncSession,
    contact: Contact,
    replies: Sequence[Reply],
    now: dt.datetime,
    claimed_until: dt.datetime,
) -> list[int]:
    """Insert replies already claimed for sending ("sending" until `claimed_until`): the caller
    sends them right after the commit. If it dies first, the claim expires and the pipeline's
    loop sends them (on SQLite at the next start, see queries.release_claims)."""
    if not replies:
        return []
    rows = [
        {
            "unit": contact.unit, "channel": contact.channel, "contact_id": contact.id,
            "direction": "out", "kind": "text", "text": reply.text, "body": reply.to_dict(),
            "status": "sending", "attempts": 0, "next_attempt_at": claimed_until,
            "created_at": now,
        }
        for reply in replies
    ]  # fmt: skip
    stmt = MESSAGES.insert().returning(MESSAGES.c.id, sort_by_parameter_order=True)
    result = await sess.execute(stmt, rows)
    return [int(i) for i in result.scalars()]


async def record_sent(
    sess: AsyncSession, sent: Sequence[tuple[int, str | None]], now: dt.datetime
) -> None:
    """Mark replies sent (id, the channel's message id), in one statement for all of them.
    A row deleted meanwhile (privacy deletion) is simply not found."""
    if not sent:
        return
    stmt = (
        update(MESSAGES)
        .where(MESSAGES.c.id == bindparam("msg_id"))
        .values(
            status="sent",
            sent_at=now,
            external_id=bindparam("ext_id"),
            error=None,
            attempts=literal_column("attempts") + 1,
        )
    )
    await sess.execute(stmt, [{"msg_id": i, "ext_id": ext} for i, ext in sent])
