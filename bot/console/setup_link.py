"""The one-time setup link that creates the first admin of a fresh install.

Only the SHA-256 of the token is stored; the link is valid for TTL, once, and only while there
is no account. Issuing a new link withdraws the unused older ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.console.accounts import count_users
from bot.db.models_console import SetupToken

TTL = dt.timedelta(hours=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def issue(sess: AsyncSession, now: dt.datetime) -> str:
    """A new token (shown once); older unused tokens stop working."""
    await sess.execute(delete(SetupToken).where(SetupToken.used_at.is_(None)))
    token = secrets.token_urlsafe(32)
    sess.add(SetupToken(token_hash=_digest(token), created_at=now, expires_at=now + TTL))
    await sess.flush()
    return token


async def is_valid(sess: AsyncSession, token: str, now: dt.datetime) -> bool:
    if not token or len(token) > 128:
        return False
    row = (
        await sess.execute(select(SetupToken).where(SetupToken.token_hash == _digest(token)))
    ).scalar_one_or_none()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return False
    return await count_users(sess) == 0


async def consume(sess: AsyncSession, token: str, now: dt.datetime) -> bool:
    """Mark the token used; False if it was not valid (or another request used it first)."""
    if not await is_valid(sess, token, now):
        return False
    result = await sess.execute(
        update(SetupToken)
        .where(
            SetupToken.token_hash == _digest(token),
            SetupToken.used_at.is_(None),
            SetupToken.expires_at > now,
        )
        .values(used_at=now)
    )
    return bool(getattr(result, "rowcount", 0) == 1)
