"""PAKN query functions; each takes the caller's AsyncSession (the caller owns the transaction)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models_pakn import Pakn, PaknEvent, PaknLookup


async def get(sess: AsyncSession, pakn_id: int) -> Pakn | None:
    return await sess.get(Pakn, pakn_id)


async def by_code(sess: AsyncSession, unit: str, code: str) -> Pakn | None:
    result = await sess.execute(select(Pakn).where(Pakn.unit == unit, Pakn.code == code))
    return result.scalar_one_or_none()


async def by_idempotency_key(sess: AsyncSession, key: str) -> Pakn | None:
    result = await sess.execute(select(Pakn).where(Pakn.idempotency_key == key))
    return result.scalar_one_or_none()


async def code_exists(sess: AsyncSession, unit: str, code: str) -> bool:
    result = await sess.execute(select(Pakn.id).where(Pakn.unit == unit, Pakn.code == code))
    return result.first() is not None


async def insert(sess: AsyncSession, pakn: Pakn) -> Pakn:
    sess.add(pakn)
    await sess.flush()
    return pakn


async def add_event(
    sess: AsyncSession,
    pakn: Pakn,
    *,
    actor: str,
    from_state: str | None,
    to_state: str,
    now: dt.datetime,
    note: str | None = None,
) -> PaknEvent:
    event = PaknEvent(
        pakn_id=pakn.id,
        at=now,
        actor=actor[:128],
        from_state=from_state,
        to_state=to_state,
        note=note,
    )
    sess.add(event)
    await sess.flush()
    return event


async def events(sess: AsyncSession, pakn_id: int) -> list[PaknEvent]:
    result = await sess.execute(
        select(PaknEvent).where(PaknEvent.pakn_id == pakn_id).order_by(PaknEvent.id)
    )
    return list(result.scalars())


async def for_contact(sess: AsyncSession, contact_id: int, limit: int = 20) -> list[Pakn]:
    """The contact's PAKNs, newest first."""
    result = await sess.execute(
        select(Pakn)
        .where(Pakn.contact_id == contact_id)
        .order_by(Pakn.received_at.desc(), Pakn.id.desc())
        .limit(limit)
    )
    return list(result.scalars())


async def count_submitted_since(sess: AsyncSession, contact_id: int, since: dt.datetime) -> int:
    result = await sess.execute(
        select(func.count())
        .select_from(Pakn)
        .where(Pakn.contact_id == contact_id, Pakn.received_at >= since)
    )
    return int(result.scalar_one())


async def last_submitted_at(sess: AsyncSession, contact_id: int) -> dt.datetime | None:
    result = await sess.execute(
        select(func.max(Pakn.received_at)).where(Pakn.contact_id == contact_id)
    )
    value = result.scalar_one_or_none()
    if value is not None and value.tzinfo is None:  # func.max bypasses the column type
        value = value.replace(tzinfo=dt.UTC)
    return value


async def open_with_deadlines(
    sess: AsyncSession, states: Collection[str], unit: str | None = None
) -> list[Pakn]:
    query = select(Pakn).where(Pakn.state.in_(list(states))).order_by(Pakn.due_at, Pakn.id)
    if unit is not None:
        query = query.where(Pakn.unit == unit)
    result = await sess.execute(query)
    return list(result.scalars())


async def anonymise_for_contact(
    sess: AsyncSession, contact_id: int, now: dt.datetime
) -> list[Pakn]:
    """Remove name, phone, address, the contact link and the attachments' file names (they
    can carry a name: "CCCD_Nguyen_Van_An.jpg"); the content and the files stay. Returns the
    rows."""
    rows = await for_contact(sess, contact_id, limit=100_000)
    for pakn in rows:
        pakn.sender_name = None
        pakn.phone = None
        pakn.address = None
        pakn.contact_id = None
        pakn.attachments = [{**a, "name": None} for a in pakn.attachments or []]
        pakn.anonymised_at = now
        pakn.updated_at = now
    await sess.flush()
    return rows


async def record_lookup(
    sess: AsyncSession, contact_id: int, ok: bool, now: dt.datetime, code: str | None = None
) -> None:
    sess.add(PaknLookup(contact_id=contact_id, ok=ok, at=now, code=code))
    await sess.flush()


async def failed_lookups_of_code(sess: AsyncSession, code: str, since: dt.datetime) -> int:
    """Failed tries at this code since `since`, by anybody (any contact, any channel)."""
    result = await sess.execute(
        select(func.count())
        .select_from(PaknLookup)
        .where(PaknLookup.code == code, PaknLookup.ok.is_(False), PaknLookup.at >= since)
    )
    return int(result.scalar_one())


async def failed_lookups_since(sess: AsyncSession, contact_id: int, since: dt.datetime) -> int:
    result = await sess.execute(
        select(func.count())
        .select_from(PaknLookup)
        .where(
            PaknLookup.contact_id == contact_id,
            PaknLookup.ok.is_(False),
            PaknLookup.at >= since,
        )
    )
    return int(result.scalar_one())


async def mark_alerted(
    sess: AsyncSession, markers: Mapping[int, str | None], now: dt.datetime
) -> None:
    """Remember what the due scan last reported per PAKN (so each change is posted once)."""
    for pakn_id, marker in markers.items():
        await sess.execute(
            update(Pakn).where(Pakn.id == pakn_id).values(alerted=marker, updated_at=now)
        )


async def delete_lookups(
    sess: AsyncSession, contact_id: int, *, keep_failed_since: dt.datetime | None = None
) -> None:
    """Delete the contact's status look-ups, except failed ones since `keep_failed_since`
    (they hold no personal data, and they are what limits guessing)."""
    condition = PaknLookup.contact_id == contact_id
    if keep_failed_since is not None:
        condition &= PaknLookup.ok.is_(True) | (PaknLookup.at < keep_failed_since)
    await sess.execute(
        delete(PaknLookup).where(condition).execution_options(synchronize_session=False)
    )
