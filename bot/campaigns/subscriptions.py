"""Who opted in to what: topics and areas per contact, and the audience of a campaign.

Nobody receives a broadcast without a topic subscription; "dừng nhận tin", /stop and a
Telegram block (my_chat_member "kicked" -> unfollow) remove every subscription at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, delete, exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.db.base import utcnow
from bot.db.models import Contact
from bot.db.models_campaigns import Subscription
from bot.db.models_reach import SubscriptionEnd
from bot.db.upsert import insert_ignore

TOPIC = "topic"
AREA = "area"


@dataclass
class Choices:
    topics: set[str] = field(default_factory=set)
    areas: set[str] = field(default_factory=set)

    @property
    def any(self) -> bool:
        return bool(self.topics)


async def choices(sess: AsyncSession, contact_id: int) -> Choices:
    rows = await sess.execute(
        select(Subscription.kind, Subscription.key).where(Subscription.contact_id == contact_id)
    )
    result = Choices()
    for kind, key in rows:
        (result.topics if kind == TOPIC else result.areas).add(key)
    return result


async def subscribe(
    sess: AsyncSession, contact: Contact, kind: str, key: str, now: dt.datetime
) -> None:
    values = {
        "contact_id": contact.id,
        "unit": contact.unit,
        "kind": kind,
        "key": key,
        "created_at": now,
    }
    await sess.execute(insert_ignore(sess, Subscription, values))


async def unsubscribe(sess: AsyncSession, contact_id: int, kind: str, key: str) -> None:
    await sess.execute(
        delete(Subscription).where(
            Subscription.contact_id == contact_id,
            Subscription.kind == kind,
            Subscription.key == key,
        )
    )


async def toggle(
    sess: AsyncSession, contact: Contact, kind: str, key: str, now: dt.datetime
) -> bool:
    """Switch one choice; return True if it is now on."""
    current = await choices(sess, contact.id)
    on = key in (current.topics if kind == TOPIC else current.areas)
    if on:
        await unsubscribe(sess, contact.id, kind, key)
        sess.add(
            SubscriptionEnd(contact_id=contact.id, unit=contact.unit, kind=kind, key=key, at=now)
        )
    else:
        await subscribe(sess, contact, kind, key, now)
    return not on


async def stop_all(sess: AsyncSession, contact_id: int, now: dt.datetime | None = None) -> int:
    """Remove every subscription of the contact (one step); return how many there were.
    The end is recorded (kind "all") so reach reports can count who stopped after a campaign."""
    unit = (
        await sess.execute(
            select(Subscription.unit).where(Subscription.contact_id == contact_id).limit(1)
        )
    ).scalar_one_or_none()
    result = await sess.execute(
        delete(Subscription)
        .where(Subscription.contact_id == contact_id)
        .execution_options(synchronize_session=False)
    )
    if unit is not None:
        sess.add(
            SubscriptionEnd(
                contact_id=contact_id, unit=unit, kind="all", key="", at=now or utcnow()
            )
        )
    return int(result.rowcount)  # type: ignore[attr-defined]


def audience_query(
    unit: str, topics: Sequence[str], areas: Sequence[str], channels: Sequence[str]
) -> tuple[object, ...]:
    """WHERE conditions over Contact for the recipients of a campaign."""
    topic = aliased(Subscription)
    conditions: list[object] = [
        Contact.unit == unit,
        Contact.blocked.is_(False),
        exists().where(
            and_(
                topic.contact_id == Contact.id,
                topic.kind == TOPIC,
                topic.key.in_(list(topics)),
            )
        ),
    ]
    if areas:  # area news: only those who chose one of these areas
        area = aliased(Subscription)
        conditions.append(
            exists().where(
                and_(area.contact_id == Contact.id, area.kind == AREA, area.key.in_(list(areas)))
            )
        )
    if channels:
        conditions.append(Contact.channel.in_(list(channels)))
    return tuple(conditions)


async def audience(
    sess: AsyncSession,
    unit: str,
    topics: Sequence[str],
    areas: Sequence[str] = (),
    channels: Sequence[str] = (),
) -> list[tuple[int, str]]:
    """(contact id, channel) of every recipient, in contact order."""
    if not topics:
        return []
    query = select(Contact.id, Contact.channel).where(
        *audience_query(unit, topics, areas, channels)  # type: ignore[arg-type]
    )
    rows = await sess.execute(query.order_by(Contact.id))
    return [(int(cid), str(ch)) for cid, ch in rows]


async def audience_counts(
    sess: AsyncSession,
    unit: str,
    topics: Sequence[str],
    areas: Sequence[str] = (),
    channels: Sequence[str] = (),
) -> dict[str, int]:
    if not topics:
        return {}
    query = (
        select(Contact.channel, func.count())
        .where(*audience_query(unit, topics, areas, channels))  # type: ignore[arg-type]
        .group_by(Contact.channel)
    )
    return {str(ch): int(n) for ch, n in await sess.execute(query)}


async def subscriber_counts(sess: AsyncSession, unit: str) -> dict[str, int]:
    """Subscribers per topic in a unit (for the dashboard)."""
    query = (
        select(Subscription.key, func.count())
        .join(Contact, Contact.id == Subscription.contact_id)
        .where(Subscription.unit == unit, Subscription.kind == TOPIC, Contact.blocked.is_(False))
        .group_by(Subscription.key)
    )
    return {str(k): int(n) for k, n in await sess.execute(query)}
