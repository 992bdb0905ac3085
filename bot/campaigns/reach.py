"""Reach, measured: per campaign and channel, how far a broadcast got.

queued (outbox rows) → sent | failed | blocked | dropped (Zalo window closed) → read (Zalo's
`user_seen_message`; Telegram and web chat send no read receipts) → unique link clicks
(/r/{token}, bot/campaigns/links.py) → unsubscribes that followed (a subscription ended within
`days` after the message was sent to that contact).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Contact
from bot.db.models_campaigns import Campaign, CampaignOutbox, KpiTarget
from bot.db.models_reach import CampaignLink, LinkClick, SubscriptionEnd

READ_RECEIPTS = frozenset({"zalo"})  # channels whose platform tells us a message was seen
UNSUBSCRIBE_DAYS = 7
MAX_SEEN_IDS = 200  # message ids read from one seen event
STAGES = ("queued", "sent", "failed", "blocked", "dropped", "read", "clicks", "unsubscribed")


@dataclass
class Funnel:
    channel: str
    queued: int = 0
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    dropped: int = 0
    read: int | None = None  # None: the channel gives no read receipts
    clicks: int = 0
    unsubscribed: int = 0
    read_of: int = 0  # sent on channels that give read receipts: what `read` is a share of

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def share(self, stage: str) -> float | None:
        """The stage as a share of what was sent (None when nothing was)."""
        value = getattr(self, stage)
        base = self.read_of if stage == "read" else self.sent
        return None if value is None or not base else value / base


def _funnel(per: dict[str, Funnel], channel: str) -> Funnel:
    if channel not in per:
        per[channel] = Funnel(channel, read=0 if channel in READ_RECEIPTS else None)
    return per[channel]


async def funnel(
    sess: AsyncSession, campaign_id: int, *, days: int = UNSUBSCRIBE_DAYS
) -> list[Funnel]:
    """One Funnel per channel of the campaign (plus "poster" when its QR links were used)."""
    per: dict[str, Funnel] = {}
    o = CampaignOutbox
    rows = await sess.execute(
        select(o.channel, o.status, func.count(), func.count(o.read_at))
        .where(o.campaign_id == campaign_id)
        .group_by(o.channel, o.status)
    )
    for channel, status, n, reads in rows:
        f = _funnel(per, str(channel))
        f.queued += int(n)
        # "skipped": Zalo said the person refuses promotion messages (-244), counted as dropped
        bucket = {"unknown": "failed", "skipped": "dropped"}.get(str(status), str(status))
        if bucket in ("sent", "failed", "blocked", "dropped"):
            setattr(f, bucket, getattr(f, bucket) + int(n))
        if f.read is not None:
            f.read += int(reads)
            f.read_of += int(n) if bucket == "sent" else 0
    clicks = await sess.execute(
        select(CampaignLink.channel, func.count(LinkClick.id))
        .join(LinkClick, LinkClick.link_id == CampaignLink.id)
        .where(CampaignLink.campaign_id == campaign_id)
        .group_by(CampaignLink.channel)
    )
    for channel, n in clicks:
        _funnel(per, str(channel)).clicks += int(n)
    # Recipients with a subscription end after their message: few rows, so the "within
    # `days`" test runs here (date arithmetic differs between SQLite and PostgreSQL).
    first_end = func.min(SubscriptionEnd.at)
    stopped = await sess.execute(
        select(o.channel, o.sent_at, first_end)
        .join(SubscriptionEnd, SubscriptionEnd.contact_id == o.contact_id)
        .where(o.campaign_id == campaign_id, o.status == "sent", SubscriptionEnd.at >= o.sent_at)
        .group_by(o.id, o.channel, o.sent_at)
    )
    window = dt.timedelta(days=days)
    for channel, sent_at, end_at in stopped:
        if sent_at is not None and end_at is not None and _utc(end_at) - _utc(sent_at) <= window:
            _funnel(per, str(channel)).unsubscribed += 1
    return [per[c] for c in sorted(per, key=lambda c: (c == "poster", c))]


def _utc(value: dt.datetime) -> dt.datetime:
    """min() over a column loses its type on SQLite: naive values there are UTC."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def total(funnels: Sequence[Funnel]) -> Funnel:
    """All channels added up (reads: only where a channel gives them)."""
    sum_ = Funnel("total", read=None)
    for f in funnels:
        sum_.read_of += f.read_of
        for stage in STAGES:
            value = getattr(f, stage)
            if value is not None:
                setattr(sum_, stage, (getattr(sum_, stage) or 0) + value)
    return sum_


async def compare(
    sess: AsyncSession, unit: str, *, limit: int = 50
) -> list[tuple[Campaign, Funnel]]:
    """The unit's campaigns that started sending, newest first, each with its total funnel."""
    campaigns = (
        await sess.execute(
            select(Campaign)
            .where(Campaign.unit == unit, Campaign.started_at.is_not(None))
            .order_by(Campaign.started_at.desc(), Campaign.id.desc())
            .limit(limit)
        )
    ).scalars()
    return [(c, total(await funnel(sess, c.id))) for c in campaigns]


async def record_seen(
    sess: AsyncSession,
    unit: str,
    channel: str,
    user_id: str,
    msg_ids: Sequence[str],
    now: dt.datetime,
) -> int:
    """Mark the campaign messages of this recipient among `msg_ids` as read (first time only);
    return how many rows changed."""
    ids = [str(m)[:128] for m in msg_ids[:MAX_SEEN_IDS] if m]
    if not ids or not user_id:
        return 0
    contact = select(Contact.id).where(
        Contact.unit == unit, Contact.channel == channel, Contact.external_id == user_id
    )
    result = await sess.execute(
        update(CampaignOutbox)
        .where(
            and_(
                CampaignOutbox.channel == channel,
                CampaignOutbox.external_id.in_(ids),
                CampaignOutbox.read_at.is_(None),
                CampaignOutbox.contact_id.in_(contact.scalar_subquery()),
            )
        )
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def plan_targets(sess: AsyncSession, unit: str, year: int) -> list[KpiTarget]:
    """The targets of the unit's imported plan for that year (empty: no plan imported)."""
    rows = await sess.execute(
        select(KpiTarget)
        .where(KpiTarget.unit == unit, KpiTarget.year == year)
        .order_by(KpiTarget.id)
    )
    return list(rows.scalars())
