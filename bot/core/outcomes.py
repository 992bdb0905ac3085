"""What a send's outcome does to its outbound row (the pipeline's slow path: every outcome
but a plain success, which bot/db/hot_path.record_sent writes in batches)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.base import SendResult
from bot.core.messages import Reply
from bot.db import queries
from bot.db.models import Contact, Message

MAX_ATTEMPTS = 20


async def record_outcome(
    sess: AsyncSession,
    msg_id: int,
    contact_id: int,
    result: SendResult,
    sent_body: dict[str, Any],
    now: dt.datetime,
    retry_max_seconds: float,
) -> bool:
    """Update the row after a send; return whether an edit was queued (see below)."""
    row = await sess.get(Message, msg_id)
    if row is None:
        return False
    edit_queued = False
    if result.outcome == "sent" and result.external_id and (row.body or {}) != sent_body:
        # Rewritten while it was being sent (a privacy deletion redacted a staff-group
        # card): what went out is the old text, so replace it by an edit.
        edit_queued = await _queue_edit(sess, row, result.external_id, now)
    row.error = result.error
    if result.outcome in ("window_closed", "refresh"):
        # Held, not failing: outside the channel's messaging window, or no valid token
        # yet (Zalo). Stays pending without using up the attempt budget; the channel
        # alerts staff. Checked again after retry_after.
        row.status = "pending"
        row.next_attempt_at = now + dt.timedelta(seconds=result.retry_after or 1800)
        return edit_queued
    row.attempts += 1
    if result.outcome == "sent":
        row.status, row.sent_at, row.external_id = "sent", now, result.external_id
    elif result.outcome == "retry" and row.attempts < MAX_ATTEMPTS:
        delay = result.retry_after or min(2**row.attempts, retry_max_seconds)
        row.status = "pending"
        row.next_attempt_at = now + dt.timedelta(seconds=delay)
    elif result.outcome in ("blocked", "unreachable"):
        row.status = result.outcome
        await queries.mark_contact_blocked(sess, contact_id, now)
    else:
        row.status = "failed"
    return edit_queued


async def _queue_edit(
    sess: AsyncSession, row: Message, external_id: str, now: dt.datetime
) -> bool:
    contact = await sess.get(Contact, row.contact_id)
    if contact is None:
        return False
    edit = dataclasses.replace(Reply.from_dict(row.body or {}), edit_of=external_id)
    await queries.add_outbound(sess, contact, [edit], now)
    return True
