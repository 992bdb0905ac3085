"""Query functions for contacts, conversation state, the message log and callback tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import Reply
from bot.db import hot_path
from bot.db.models import CallbackToken, Contact, ConversationState, FaqQuery, Message
from bot.db.upsert import insert_ignore


async def get_or_create_contact(
    sess: AsyncSession,
    *,
    unit: str,
    channel: str,
    external_id: str,
    now: dt.datetime,
    display_name: str | None = None,
    language: str | None = None,
    lock: bool = False,
    interacted: bool = True,
) -> Contact:
    """Find or create the contact; its row is held until commit (one message at a time).

    `interacted`: the citizen wrote or followed (last_seen_at moves, a block is lifted); False
    for events that are not them writing (an unfollow, staff writing to them)."""
    del lock  # the upsert locks the row until commit on every backend
    return await hot_path.upsert_contact(
        sess, unit=unit, channel=channel, external_id=external_id, now=now,
        display_name=display_name, language=language, interacted=interacted,
    )  # fmt: skip


async def get_contact(
    sess: AsyncSession, unit: str, channel: str, external_id: str, *, lock: bool = False
) -> Contact | None:
    query = select(Contact).where(
        Contact.unit == unit, Contact.channel == channel, Contact.external_id == external_id
    )
    if lock:
        query = query.with_for_update()
    return (await sess.execute(query)).scalar_one_or_none()


async def mark_contact_blocked(sess: AsyncSession, contact_id: int, now: dt.datetime) -> None:
    await sess.execute(
        update(Contact).where(Contact.id == contact_id).values(blocked=True, blocked_at=now)
    )


async def end_relationship(sess: AsyncSession, contact_id: int, now: dt.datetime) -> int:
    """They unfollowed (or blocked the bot): nothing more is sent, queued replies are cancelled.
    Returns how many replies were cancelled."""
    await mark_contact_blocked(sess, contact_id, now)
    result = await sess.execute(
        update(Message)
        .where(
            Message.contact_id == contact_id,
            Message.direction == "out",
            Message.status == "pending",
        )
        .values(status="cancelled", error="the contact unfollowed")
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def release_held(sess: AsyncSession, contact_id: int, now: dt.datetime) -> list[Message]:
    """The citizen wrote: replies held for later (closed window, quota) are due at once.
    Held replies have used no attempt; a retry's backoff (attempts > 0) is kept. Called only
    when hot_path.context_reads found some (the usual case has none)."""
    rows = list(
        (
            await sess.execute(
                select(Message).where(
                    Message.contact_id == contact_id,
                    Message.direction == "out",
                    Message.status == "pending",
                    Message.attempts == 0,
                    Message.next_attempt_at > now,
                )
            )
        ).scalars()
    )
    for row in rows:
        row.next_attempt_at = now
    return rows


async def log_agent(
    sess: AsyncSession, contact: Contact, text: str, now: dt.datetime, external_id: str | None
) -> Message | None:
    """A staff member wrote to the citizen in the channel's own app: logged as sent by staff.
    None if it is the echo of one of our own sends (same channel message id)."""
    if external_id:
        ours = await sess.execute(
            select(Message.id).where(
                Message.contact_id == contact.id,
                Message.direction == "out",
                Message.external_id == external_id,
            )
        )
        if ours.first() is not None:
            return None
    msg = Message(
        unit=contact.unit,
        channel=contact.channel,
        contact_id=contact.id,
        direction="out",
        kind="agent",
        text=text,
        status="sent",
        created_at=now,
        sent_at=now,
        external_id=external_id,
    )
    sess.add(msg)
    return msg


load_state = hot_path.load_state
save_state = hot_path.save_state


async def log_inbound(
    sess: AsyncSession,
    contact: Contact,
    *,
    kind: str,
    text: str | None,
    payload: str | None,
    now: dt.datetime,
    body: dict[str, Any] | None = None,
    external_id: str | None = None,
) -> None:
    """Log a citizen's message (one Core INSERT: nothing reads the row back here)."""
    row = dict(
        unit=contact.unit,
        channel=contact.channel,
        contact_id=contact.id,
        direction="in",
        kind=kind,
        text=text,
        payload=payload[:256] if payload else None,
        body=body,
        status="received",
        attempts=0,
        created_at=now,
        external_id=external_id[:128] if external_id else None,  # the column's length
    )
    await hot_path.LOG_INBOUND.execute(sess, row)


async def add_outbound(
    sess: AsyncSession, contact: Contact, replies: Sequence[Reply], now: dt.datetime
) -> list[Message]:
    rows = [
        Message(
            unit=contact.unit,
            channel=contact.channel,
            contact_id=contact.id,
            direction="out",
            kind="text",
            text=reply.text,
            body=reply.to_dict(),
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        for reply in replies
    ]
    sess.add_all(rows)
    await sess.flush()
    return rows


async def due_outbound(sess: AsyncSession, now: dt.datetime, limit: int = 50) -> list[Message]:
    result = await sess.execute(
        select(Message)
        .where(
            Message.direction == "out",
            Message.status == "pending",
            Message.next_attempt_at <= now,
        )
        .order_by(Message.id)
        .limit(limit)
    )
    return list(result.scalars())


async def claim_outbound(
    sess: AsyncSession,
    now: dt.datetime,
    lease: dt.timedelta,
    ids: Sequence[int] | None = None,
    limit: int = 50,
) -> list[Message]:
    """Take due replies for sending: several workers never take the same row.

    A claimed row is "sending" until `now + lease`; if its worker dies, it becomes due again
    then — so a crash can repeat at most the messages that were in flight.
    """
    query = select(Message).where(
        Message.direction == "out",
        Message.status.in_(("pending", "sending")),
        Message.next_attempt_at <= now,
    )
    if ids is not None:
        query = query.where(Message.id.in_(list(ids)))
    query = query.order_by(Message.id).limit(limit).with_for_update(skip_locked=True)
    rows = list((await sess.execute(query)).scalars())
    for row in rows:
        row.status = "sending"
        row.next_attempt_at = now + lease
    return rows


async def release_claims(sess: AsyncSession, now: dt.datetime) -> int:
    """Make every reply claimed for sending due again (only when no other worker exists)."""
    result = await sess.execute(
        update(Message)
        .where(Message.direction == "out", Message.status == "sending")
        .values(status="pending", next_attempt_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def conversation(
    sess: AsyncSession, contact_id: int, after_id: int = 0, limit: int = 200
) -> list[Message]:
    result = await sess.execute(
        select(Message)
        .where(Message.contact_id == contact_id, Message.id > after_id)
        .order_by(Message.id)
        .limit(limit)
    )
    return list(result.scalars())


def _token_for(payload: str) -> str:
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


async def shorten_payload(sess: AsyncSession, payload: str, now: dt.datetime) -> str:
    """Store a long button payload and return `~token` (fits Telegram's 64-byte limit)."""
    token = _token_for(payload)
    await sess.execute(
        insert_ignore(sess, CallbackToken, {"token": token, "payload": payload, "created_at": now})
    )
    return "~" + token


async def expand_payload(sess: AsyncSession, payload: str) -> str | None:
    if not payload.startswith("~"):
        return payload
    row = await sess.get(CallbackToken, payload[1:])
    return row.payload if row else None


async def contact_data_counts(sess: AsyncSession, contact_id: int) -> dict[str, int]:
    """What is stored about a contact, for "dữ liệu của tôi" (PAKNs are counted by bot.pakn)."""
    messages = await sess.execute(
        select(func.count()).select_from(Message).where(Message.contact_id == contact_id)
    )
    faq = await sess.execute(
        select(func.count()).select_from(FaqQuery).where(FaqQuery.contact_id == contact_id)
    )
    return {"messages": int(messages.scalar_one()), "faq_queries": int(faq.scalar_one())}


async def delete_contact_data(sess: AsyncSession, contact_id: int) -> dict[str, int]:
    """Privacy deletion (bot.privacy does the rest): the contact's messages and conversation
    state are deleted, their name and language cleared. The contact row stays (its id is the
    channel's chat id, needed to deliver the confirmation). The newest inbound message (the
    confirmation being processed: a button press, no personal data) is kept, so that message
    ids keep growing on SQLite, which would otherwise reuse the deleted highest ids and the web
    chat (which polls "after id N") would miss the next replies. Returns counts."""
    newest = await sess.execute(
        select(func.max(Message.id)).where(
            Message.contact_id == contact_id, Message.direction == "in"
        )
    )
    keep = newest.scalar_one_or_none()
    condition = Message.contact_id == contact_id
    if keep is not None:
        condition = condition & (Message.id != keep)
    messages = await sess.execute(
        delete(Message).where(condition).execution_options(synchronize_session=False)
    )
    state = await sess.get(ConversationState, contact_id)
    if state is not None:
        await sess.delete(state)
    await sess.execute(
        update(Contact)
        .where(Contact.id == contact_id)
        .values(display_name=None, language=None)
        .execution_options(synchronize_session=False)
    )
    await sess.flush()
    return {"messages": int(messages.rowcount)}  # type: ignore[attr-defined]
