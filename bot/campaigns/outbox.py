"""The durable outbox of broadcasts: one row per campaign x recipient (unique), so a campaign
reaches each contact at most once however often sending is (re)started.

Row life: pending ─claim+mark_inflight (own COMMIT, just before the API call)─▶ inflight
          ─record (own COMMIT, right after)─▶ sent | failed | blocked | dropped | skipped
          | pending again (429 / network: retried; a long text's next part after the per-chat
          interval; "held": Zalo quota or hours, again at next_attempt_at, no attempt used;
          a Zalo promotion carries every part at once). After a crash only `inflight` rows are
          in doubt: `recover` resends them or gives them up (CAMPAIGN_RESEND_INFLIGHT); see
          docs/campaigns.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.base import SendResult
from bot.core.messages import Reply
from bot.db.models import Contact, Message
from bot.db.models_campaigns import Campaign, CampaignOutbox
from bot.db.models_zalo import ZaloPromotionSkip
from bot.db.upsert import insert_ignoring_conflicts

DONE = ("sent", "failed", "blocked", "dropped", "skipped", "cancelled", "unknown")
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Due:
    """A claimed row with what sending it needs."""

    id: int
    campaign_id: int
    contact_id: int
    external_id: str
    blocked: bool
    part: int
    text: str
    emergency: bool
    last_seen_at: dt.datetime | None = None  # for Zalo's free window, read with the claim
    refuses_promotions: bool = False  # Zalo said -244 before (zalo_promotion_skips)


def _new_row(campaign: Campaign, now: dt.datetime) -> dict[str, Any]:
    """The columns of a fresh outbox row that do not depend on the recipient."""
    return {
        "campaign_id": campaign.id,
        "unit": campaign.unit,
        "status": "pending",
        "part": 0,
        "attempts": 0,
        "resent": 0,
        "next_attempt_at": now,
    }


async def _row_count(sess: AsyncSession, campaign_id: int) -> int:
    count = await sess.execute(
        select(func.count())
        .select_from(CampaignOutbox)
        .where(CampaignOutbox.campaign_id == campaign_id)
    )
    return int(count.scalar_one())


async def fill(
    sess: AsyncSession, campaign: Campaign, recipients: Sequence[tuple[int, str]], now: dt.datetime
) -> int:
    """Insert one pending row per recipient (existing rows are kept); return the row count."""
    common = _new_row(campaign, now)
    rows = [{**common, "contact_id": cid, "channel": ch} for cid, ch in recipients]
    for start in range(0, len(rows), 1000):
        stmt = insert_ignoring_conflicts(sess, CampaignOutbox)
        await sess.execute(stmt, rows[start : start + 1000])
    return await _row_count(sess, campaign.id)


async def fill_audience(
    sess: AsyncSession, campaign: Campaign, conditions: Sequence[Any], now: dt.datetime
) -> int:
    """Like `fill`, for every contact matching `conditions` (subscriptions.audience_query),
    as one INSERT … SELECT: the database copies the recipients, none passes through Python,
    so a campaign to 100,000 people costs this process no memory."""
    columns = CampaignOutbox.__table__.c
    values = {name: literal(v, columns[name].type) for name, v in _new_row(campaign, now).items()}
    source = (
        select(*values.values(), Contact.id, Contact.channel)
        .where(*conditions)
        .order_by(Contact.id)
    )
    names = [*values, "contact_id", "channel"]
    insert = insert_ignoring_conflicts(sess, CampaignOutbox)
    await sess.execute(insert.from_select(names, source))
    return await _row_count(sess, campaign.id)


async def cancel_pending(sess: AsyncSession, campaign_id: int) -> None:
    await sess.execute(
        update(CampaignOutbox)
        .where(CampaignOutbox.campaign_id == campaign_id, CampaignOutbox.status == "pending")
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )


async def lanes_due(sess: AsyncSession, now: dt.datetime) -> list[tuple[str, str]]:
    """(unit, channel) pairs with rows due in sending campaigns."""
    rows = await sess.execute(
        select(CampaignOutbox.unit, CampaignOutbox.channel)
        .join(Campaign, Campaign.id == CampaignOutbox.campaign_id)
        .where(
            Campaign.status == "sending",
            CampaignOutbox.status == "pending",
            CampaignOutbox.next_attempt_at <= now,
        )
        .distinct()
    )
    return [(str(u), str(c)) for u, c in rows]


async def claim(
    sess: AsyncSession,
    unit: str,
    channel: str,
    now: dt.datetime,
    *,
    emergency_only: bool = False,
    exclude: Iterable[int] = (),
    limit: int = 200,
) -> list[Due]:
    query = (
        select(
            CampaignOutbox.id,
            CampaignOutbox.campaign_id,
            CampaignOutbox.contact_id,
            Contact.external_id,
            Contact.blocked,
            CampaignOutbox.part,
            Campaign.rendered,
            Campaign.emergency,
            Contact.last_seen_at,
            ZaloPromotionSkip.code,
        )
        .join(Campaign, Campaign.id == CampaignOutbox.campaign_id)
        .join(Contact, Contact.id == CampaignOutbox.contact_id)
        .outerjoin(ZaloPromotionSkip, ZaloPromotionSkip.contact_id == Contact.id)
        .where(
            CampaignOutbox.unit == unit,
            CampaignOutbox.channel == channel,
            CampaignOutbox.status == "pending",
            CampaignOutbox.next_attempt_at <= now,
            Campaign.status == "sending",
        )
        .order_by(Campaign.emergency.desc(), CampaignOutbox.id)
        .limit(limit)
    )
    skip = list(exclude)
    if skip:
        query = query.where(CampaignOutbox.id.not_in(skip))
    if emergency_only:
        query = query.where(Campaign.emergency.is_(True))
    rows = await sess.execute(query)
    return [_due(r) for r in rows]


def _due(r: Any) -> Due:
    fields = (int(r[0]), int(r[1]), int(r[2]), str(r[3]), bool(r[4]), int(r[5]), r[6] or "")
    return Due(*fields, r[7], r[8], r[9] is not None)


async def mark_inflight(sess: AsyncSession, row_id: int, now: dt.datetime) -> bool:
    """Take the row for one API call (compare-and-set: False if paused, cancelled or taken)."""
    sending = select(Campaign.id).where(Campaign.status == "sending")
    result = await sess.execute(
        update(CampaignOutbox)
        .where(
            CampaignOutbox.id == row_id,
            CampaignOutbox.status == "pending",
            CampaignOutbox.campaign_id.in_(sending),
        )
        .values(status="inflight", inflight_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount) == 1  # type: ignore[attr-defined]


async def record(
    sess: AsyncSession,
    due: Due,
    unit: str,
    channel: str,
    reply: Reply,
    result: SendResult,
    *,
    last_part: bool,
    now: dt.datetime,
    next_part_at: dt.datetime,
    retry_at: dt.datetime,
) -> str:
    """Store the outcome of one API call; return the row's new status."""
    row = await sess.get(CampaignOutbox, due.id)
    if row is None:
        return "gone"
    row.error = result.error
    outcome = result.outcome
    if outcome == "sent":
        sess.add(
            Message(
                unit=unit,
                channel=channel,
                contact_id=due.contact_id,
                direction="out",
                kind="campaign",
                text=reply.text,
                body=reply.to_dict(),
                status="sent",
                external_id=result.external_id,
                created_at=now,
                sent_at=now,
            )
        )
        row.external_id = result.external_id
        row.sent_at = now
        if last_part:
            row.status = "sent"
        else:
            row.status, row.part, row.next_attempt_at = "pending", due.part + 1, next_part_at
    elif outcome == "held":
        row.status = "pending"
        row.next_attempt_at = now + dt.timedelta(seconds=result.retry_after or 0)
    elif outcome == "skipped":
        row.status = "skipped"
    elif outcome in ("retry", "refresh"):
        row.attempts += 1
        row.status = "pending" if row.attempts < MAX_ATTEMPTS else "failed"
        row.next_attempt_at = retry_at
    elif outcome in ("blocked", "unreachable"):
        row.status = "blocked"
        await sess.execute(
            update(Contact)
            .where(Contact.id == due.contact_id)
            .values(blocked=True, blocked_at=now)
            .execution_options(synchronize_session=False)
        )
    elif outcome == "window_closed":
        row.status = "dropped"
    else:
        row.status = "failed"
    return row.status


async def skip_blocked(sess: AsyncSession, row_id: int) -> None:
    await sess.execute(
        update(CampaignOutbox)
        .where(CampaignOutbox.id == row_id, CampaignOutbox.status == "pending")
        .values(status="blocked", error="contact had blocked the bot")
        .execution_options(synchronize_session=False)
    )


async def recover(sess: AsyncSession, *, resend: bool) -> int:
    """After a crash: rows left `inflight` are resent (pending) or given up (unknown)."""
    values: dict[str, Any] = (
        {"status": "pending", "resent": CampaignOutbox.resent + 1}
        if resend
        else {"status": "unknown", "error": "in flight during a crash; not resent"}
    )
    result = await sess.execute(
        update(CampaignOutbox)
        .where(CampaignOutbox.status == "inflight")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def finished_campaigns(sess: AsyncSession) -> list[int]:
    """Sending campaigns with nothing left pending or in flight."""
    open_rows = (
        select(CampaignOutbox.id)
        .where(
            CampaignOutbox.campaign_id == Campaign.id,
            CampaignOutbox.status.in_(("pending", "inflight")),
        )
        .exists()
    )
    rows = await sess.execute(select(Campaign.id).where(Campaign.status == "sending", ~open_rows))
    return [int(r[0]) for r in rows]


async def campaign_stats(
    sess: AsyncSession, *, campaign_id: int | None = None, unit: str | None = None
) -> dict[str, dict[str, int]]:
    """Reach per channel: {channel: {status: count, ..., "total": n}} (a campaign or a unit)."""
    query = select(CampaignOutbox.channel, CampaignOutbox.status, func.count()).group_by(
        CampaignOutbox.channel, CampaignOutbox.status
    )
    if campaign_id is not None:
        query = query.where(CampaignOutbox.campaign_id == campaign_id)
    if unit is not None:
        query = query.where(CampaignOutbox.unit == unit)
    stats: dict[str, dict[str, int]] = {}
    for channel, status, n in await sess.execute(query):
        per = stats.setdefault(
            str(channel), {s: 0 for s in ("sent", "failed", "blocked", "dropped", "pending")}
        )
        per[str(status)] = per.get(str(status), 0) + int(n)
        per["total"] = per.get("total", 0) + int(n)
    return stats


async def progress(sess: AsyncSession, campaign_id: int, now: dt.datetime) -> dict[str, Any]:
    """Counts, the rate over the last minute and the estimated time to finish."""
    counts = dict.fromkeys(
        ("pending", "inflight", "sent", "failed", "blocked", "dropped", "skipped"), 0
    )
    rows = await sess.execute(
        select(CampaignOutbox.status, func.count())
        .where(CampaignOutbox.campaign_id == campaign_id)
        .group_by(CampaignOutbox.status)
    )
    for status, n in rows:
        counts[str(status)] = int(n)
    window = dt.timedelta(seconds=60)
    recent = await sess.execute(
        select(
            func.count(),
            func.min(CampaignOutbox.sent_at),
            func.max(CampaignOutbox.sent_at),
        ).where(
            and_(
                CampaignOutbox.campaign_id == campaign_id,
                CampaignOutbox.status == "sent",
                CampaignOutbox.sent_at >= now - window,
            )
        )
    )
    n_recent, first, last = recent.one()
    span = (last - first).total_seconds() if first and last and last > first else 0.0
    rate = (int(n_recent) - 1) / span if span > 0 else 0.0
    left = counts["pending"] + counts["inflight"]
    total = sum(counts.values())
    resent = await sess.execute(
        select(func.coalesce(func.sum(CampaignOutbox.resent), 0)).where(
            CampaignOutbox.campaign_id == campaign_id
        )
    )
    return {
        **counts,
        "total": total,
        "done_percent": round(100.0 * (total - left) / total, 1) if total else 100.0,
        "rate_per_sec": round(rate, 2),
        "eta_seconds": round(left / rate) if rate > 0 else None,
        "resent_after_crash": int(resent.scalar_one()),
    }


async def error_breakdown(sess: AsyncSession, campaign_id: int) -> list[dict[str, Any]]:
    """The delivery report's list of problems: (channel, status, error) with counts."""
    problem = case((CampaignOutbox.status == "sent", None), else_=CampaignOutbox.error)
    rows = await sess.execute(
        select(CampaignOutbox.channel, CampaignOutbox.status, problem, func.count())
        .where(CampaignOutbox.campaign_id == campaign_id, CampaignOutbox.status != "sent")
        .group_by(CampaignOutbox.channel, CampaignOutbox.status, problem)
    )
    return [
        {"channel": ch, "status": st, "error": err, "count": int(n)} for ch, st, err, n in rows
    ]
