"""The statements every inbound message runs: few, and each built once (issue #19).

Each function is one statement where the old code read a row, changed it in Python and flushed
it back: a contact is an upsert with RETURNING, the conversation state an upsert written only
when there is something to keep, held replies + state + the unit's console edits one read
(`context_reads`), and replies are inserted already claimed for sending, so the pipeline sends
them at once with no claim transaction.

The statements are module constants with bind parameters, compiled once and sent past
SQLAlchemy's execution (`Direct`, bot/db/direct.py: its own Python cost several times the
SQL). The contact's row becomes the session's ORM object (`direct.persistent`). On SQLite
the reads and RETURNING inserts run on the event loop's thread (`on_loop`) and the writes
nobody reads back go with the next statement (`deferred`): bot/db/sqlite_hints.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, func, literal_column, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import FlowState, Reply
from bot.db.direct import Direct, persistent
from bot.db.models import Contact, ConversationState, InboxItem, Message
from bot.db.models_places import UnitAreas, UnitCategories
from bot.db.sqlite_hints import deferred, on_loop

# Core tables: statements on them skip the ORM's compile and result machinery.
MESSAGES: Table = Message.__table__  # type: ignore[assignment]
INBOX: Table = InboxItem.__table__  # type: ignore[assignment]
STATES: Table = ConversationState.__table__  # type: ignore[assignment]
AREAS: Table = UnitAreas.__table__  # type: ignore[assignment]
CATEGORIES: Table = UnitCategories.__table__  # type: ignore[assignment]
CONTACTS: Table = Contact.__table__  # type: ignore[assignment]
CONTACT_KEY = ["unit", "channel", "external_id"]


def _contact_upserts(dialect: Any) -> tuple[Direct, Direct]:
    """(citizen wrote, other event) upserts of a contact, returning its columns; the row
    becomes the ORM object with `direct.persistent` (the ORM's own insert/load path cost
    several times as much per call)."""
    wrote = dialect.insert(CONTACTS)
    wrote = wrote.on_conflict_do_update(
        index_elements=CONTACT_KEY,
        set_={
            "last_seen_at": wrote.excluded.last_seen_at,
            "blocked": False,  # writing to us again means they unblocked the bot
            "blocked_at": None,
            "display_name": func.coalesce(wrote.excluded.display_name, CONTACTS.c.display_name),
            "language": func.coalesce(wrote.excluded.language, CONTACTS.c.language),
        },
    )
    other = dialect.insert(CONTACTS)
    # Nothing to change still needs an update: RETURNING gives no row for DO NOTHING.
    other = other.on_conflict_do_update(
        index_elements=CONTACT_KEY, set_={"external_id": other.excluded.external_id}
    )
    return Direct(on_loop(wrote).returning(*CONTACTS.c)), Direct(
        on_loop(other).returning(*CONTACTS.c)
    )


_UPSERT_CONTACT = {"sqlite": _contact_upserts(sqlite), "postgresql": _contact_upserts(postgresql)}
_UPSERT_STATE: dict[str, Any] = {}
for _name, _module in (("sqlite", sqlite), ("postgresql", postgresql)):
    _stmt = _module.insert(STATES)
    _UPSERT_STATE[_name] = Direct(
        deferred(
            _stmt.on_conflict_do_update(
                index_elements=["contact_id"],
                set_={k: _stmt.excluded[k] for k in ("flow", "step", "data", "updated_at")},
            )
        )
    )
_LOAD_STATE = select(STATES.c.flow, STATES.c.step, STATES.c.data).where(
    STATES.c.contact_id == bindparam("cid")
)
_UNIT_EDITS = select(
    select(AREAS.c.areas).where(AREAS.c.unit == bindparam("u")).scalar_subquery().label("a"),
    select(CATEGORIES.c.categories)
    .where(CATEGORIES.c.unit == bindparam("u"))
    .scalar_subquery()
    .label("c"),
)
_INSERT_CLAIMED = Direct(
    on_loop(MESSAGES.insert()).returning(MESSAGES.c.id, sort_by_parameter_order=True)
)
LOG_INBOUND = Direct(deferred(MESSAGES.insert()))  # nothing reads the row back here
_RECORD_SENT = Direct(
    deferred(
        update(MESSAGES)
        .where(MESSAGES.c.id == bindparam("msg_id"))
        .values(
            status="sent",
            sent_at=bindparam("now"),
            external_id=bindparam("ext_id"),
            error=None,
            attempts=literal_column("attempts") + 1,
        )
    )
)
# SKIP LOCKED: another worker holding this row is processing it right now (PostgreSQL).
_INBOX_ITEM = Direct(
    on_loop(
        select(INBOX.c.id, INBOX.c.unit, INBOX.c.channel, INBOX.c.payload, INBOX.c.processed_at)
        .where(INBOX.c.id == bindparam("item_id"))
        .with_for_update(skip_locked=True)
    )
)
_HAS_HELD = (
    select(MESSAGES.c.id)
    .where(
        MESSAGES.c.contact_id == bindparam("cid"),
        MESSAGES.c.direction == "out",
        MESSAGES.c.status == "pending",
        MESSAGES.c.attempts == 0,
        MESSAGES.c.next_attempt_at > bindparam("now"),
    )
    .limit(1)
)

# What a message needs before its flow runs, in one read: are replies held for the contact,
# its conversation state, and the unit's console edits (each a scalar subquery).
_STATE_COLUMN = {
    name: select(STATES.c[name]).where(STATES.c.contact_id == bindparam("cid")).scalar_subquery()
    for name in ("flow", "step", "data")
}
_CONTEXT = Direct(
    on_loop(
        select(
            _HAS_HELD.exists().label("held"),
            *(column.label(name) for name, column in _STATE_COLUMN.items()),
            *_UNIT_EDITS.selected_columns,
        )
    )
)


@dataclass(frozen=True)
class ContextReads:
    held: bool  # replies held for the contact (see queries.release_held)
    state: FlowState
    areas: list[str] | None
    categories: list[str] | None


async def context_reads(
    sess: AsyncSession, contact_id: int, unit: str, now: dt.datetime
) -> ContextReads:
    """Held replies, state and the unit's edits for one message: one statement for three."""
    row = (await _CONTEXT.execute(sess, {"cid": contact_id, "u": unit, "now": now})).one()
    data = json.loads(row.data) if isinstance(row.data, str) else row.data
    state = FlowState(flow=row.flow, step=row.step, data=dict(data or {}))
    return ContextReads(bool(row.held), state, _strings(row.a), _strings(row.c))


def _dialect(sess: AsyncSession) -> str:
    return (
        "postgresql"
        if sess.bind is not None and sess.bind.dialect.name == "postgresql"
        else "sqlite"
    )


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

    `interacted`: the citizen wrote or followed (last_seen_at moves, a block is lifted, a new
    name or language is kept); otherwise (an unfollow, staff writing) nothing changes."""
    wrote, other = _UPSERT_CONTACT[_dialect(sess)]
    params: dict[str, Any] = {
        "unit": unit, "channel": channel, "external_id": external_id,
        "created_at": now, "blocked": False,
    }  # fmt: skip
    if interacted:
        params.update(
            last_seen_at=now,
            display_name=display_name[:200] if display_name else None,
            language=language[:16] if language else None,
        )
    row = (await (wrote if interacted else other).execute(sess, params)).one()
    return persistent(sess, Contact, row)


def _strings(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):  # a scalar subquery may skip the JSON column's result processing
        value = json.loads(value)
    return [str(v) for v in value]


async def load_state(sess: AsyncSession, contact_id: int) -> FlowState:
    row = (await sess.execute(_LOAD_STATE, {"cid": contact_id})).first()
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
    await _UPSERT_STATE[_dialect(sess)].execute(sess, values)


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
            "created_at": now, "payload": None, "error": None, "external_id": None,
            "sent_at": None,
        }
        for reply in replies
    ]  # fmt: skip
    result = await _INSERT_CLAIMED.execute(sess, rows)
    return [int(i) for i in result.scalars()]


async def record_sent(
    sess: AsyncSession, sent: Sequence[tuple[int, str | None]], now: dt.datetime
) -> None:
    """Mark replies sent (id, the channel's message id), in one statement for all of them.
    A row deleted meanwhile (privacy deletion) is simply not found."""
    if sent:
        params = [{"msg_id": i, "ext_id": ext, "now": now} for i, ext in sent]
        await _RECORD_SENT.execute(sess, params)


async def inbox_item(sess: AsyncSession, item_id: int) -> Any | None:
    """The inbox row to process (id, unit, channel, payload, processed_at), locked; None if
    another worker holds it."""
    return (await _INBOX_ITEM.execute(sess, {"item_id": item_id})).first()
