"""Sign-in throttling, stored in the database so it holds across processes and restarts.

A username is locked for WINDOW after USER_LIMIT wrong passwords (counted since its last
successful sign-in); a client address after IP_LIMIT wrong passwords for any username (higher,
because a commune office shares one address). While locked, even the right password is refused
and the try is recorded as "locked", which does not extend the lock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.db.models_console import LoginAttempt

WINDOW = dt.timedelta(minutes=15)
USER_LIMIT = 5
IP_LIMIT = 20
KEEP = dt.timedelta(days=2)


@dataclass(frozen=True)
class Lock:
    until: dt.datetime

    def minutes_left(self, now: dt.datetime) -> int:
        return max(1, -(-int((self.until - now).total_seconds()) // 60))


async def _lock_from(
    sess: AsyncSession,
    column: InstrumentedAttribute[str],
    value: str,
    limit: int,
    since: dt.datetime,
) -> Lock | None:
    query = (
        select(LoginAttempt.created_at)
        .where(column == value, LoginAttempt.outcome == "bad", LoginAttempt.created_at > since)
        .order_by(LoginAttempt.created_at.desc())
        .limit(limit)
    )
    times = list((await sess.execute(query)).scalars())
    if len(times) < limit:
        return None
    return Lock(until=min(times) + WINDOW)


async def check(sess: AsyncSession, username: str, ip: str, now: dt.datetime) -> Lock | None:
    """The lock that applies to this username or address now, if any."""
    start = now - WINDOW
    last_ok = (
        await sess.execute(
            select(func.max(LoginAttempt.created_at)).where(
                LoginAttempt.username == username, LoginAttempt.outcome == "ok"
            )
        )
    ).scalar_one_or_none()
    since_user = max(start, last_ok) if last_ok is not None else start
    locks = [
        await _lock_from(sess, LoginAttempt.username, username, USER_LIMIT, since_user),
        await _lock_from(sess, LoginAttempt.ip, ip, IP_LIMIT, start),
    ]
    active = [lock for lock in locks if lock is not None and lock.until > now]
    return max(active, key=lambda lock: lock.until) if active else None


async def record(
    sess: AsyncSession, username: str, ip: str, outcome: str, now: dt.datetime
) -> None:
    """Store one try (outcome: ok, bad, locked, off) and forget tries older than KEEP."""
    sess.add(LoginAttempt(username=username[:64], ip=ip[:64], outcome=outcome, created_at=now))
    await sess.execute(delete(LoginAttempt).where(LoginAttempt.created_at < now - KEEP))
    await sess.flush()
