"""Slowing down password guessers without ever locking an account's owner out.

Stored in the database, so it holds across processes and restarts. A try comes from a *place*
for its username: "d:<device>" when the browser's device cookie signed in as that username
before, otherwise "a:<address>". Three rules, each a growing delay (2, 4, 8 … seconds after the
last wrong password, at most MAX_WAIT) once a number of wrong passwords is reached:

- per account and place: PAIR_FREE wrong passwords since the pair's last success (in PAIR_WINDOW);
- per address, any usernames: ADDRESS_FREE wrong passwords in SPREAD_WINDOW;
- per account, from anywhere: ACCOUNT_FREE wrong passwords in SPREAD_WINDOW (many addresses).

The last two do not apply to a *known* place: a browser or an address the account signed in
from before (KNOWN_FOR). So strangers' guesses, from elsewhere or from the same office address,
slow the strangers and not the owner. A try that must wait is refused before the password is
checked (no oracle) and is not stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models_console import KnownPlace, LoginAttempt

PAIR_FREE = 5
ADDRESS_FREE = 20
ACCOUNT_FREE = 50
PAIR_WINDOW = dt.timedelta(days=1)
SPREAD_WINDOW = dt.timedelta(hours=1)
MAX_WAIT = dt.timedelta(minutes=15)
KNOWN_FOR = dt.timedelta(days=180)
KEEP = dt.timedelta(days=2)


def device_place(token: str) -> str:
    """The place of a browser, from its device cookie (only a digest is stored)."""
    return "d:" + hashlib.sha256(token.encode()).hexdigest()[:40]


def delay(failures: int, free: int) -> dt.timedelta:
    """How long after the last wrong password the next try must wait."""
    if failures < free:
        return dt.timedelta(0)
    step = failures - free + 1
    return MAX_WAIT if step >= 20 else min(MAX_WAIT, dt.timedelta(seconds=2**step))


@dataclass(frozen=True)
class Try:
    username: str
    ip: str
    device: str | None = None  # device_place() of the browser's cookie, if it sent one


@dataclass(frozen=True)
class Verdict:
    place: str  # what this try is counted under, for its username
    known: bool  # the account signed in from this place before
    wait: dt.timedelta  # before a password may be checked; zero: go ahead
    rule: str = ""  # "account_place", "address" or "account" when waiting

    @property
    def seconds(self) -> int:
        return max(1, math.ceil(self.wait.total_seconds())) if self.wait else 0


async def _is_known(sess: AsyncSession, username: str, place: str, now: dt.datetime) -> bool:
    found = await sess.execute(
        select(KnownPlace.id)
        .where(
            KnownPlace.username == username,
            KnownPlace.place == place,
            KnownPlace.last_ok_at > now - KNOWN_FOR,
        )
        .limit(1)
    )
    return found.first() is not None


async def _failures(
    sess: AsyncSession, where: ColumnElement[bool], since: dt.datetime
) -> tuple[int, dt.datetime | None]:
    count, last = (
        await sess.execute(
            select(func.count(), func.max(LoginAttempt.created_at)).where(
                where, LoginAttempt.outcome == "bad", LoginAttempt.created_at > since
            )
        )
    ).one()
    return int(count), last


def _left(count: int, last: dt.datetime | None, free: int, now: dt.datetime) -> dt.timedelta:
    if last is None:
        return dt.timedelta(0)
    return max(dt.timedelta(0), last + delay(count, free) - now)


async def check(sess: AsyncSession, who: Try, now: dt.datetime) -> Verdict:
    """Where this try counts, and how long it must wait first."""
    user = LoginAttempt.username == who.username
    if who.device and await _is_known(sess, who.username, who.device, now):
        place, known = who.device, True
    else:
        place = "a:" + who.ip
        known = await _is_known(sess, who.username, place, now)
    last_ok = (
        await sess.execute(
            select(func.max(LoginAttempt.id)).where(
                user, LoginAttempt.place == place, LoginAttempt.outcome == "ok"
            )
        )
    ).scalar_one_or_none()
    pair = and_(user, LoginAttempt.place == place, LoginAttempt.id > (last_ok or 0))
    pair_failures = await _failures(sess, pair, now - PAIR_WINDOW)
    waits = [("account_place", _left(*pair_failures, PAIR_FREE, now))]
    if not known:
        spread = now - SPREAD_WINDOW
        by_address = await _failures(sess, LoginAttempt.ip == who.ip, spread)
        by_account = await _failures(sess, user, spread)
        waits.append(("address", _left(*by_address, ADDRESS_FREE, now)))
        waits.append(("account", _left(*by_account, ACCOUNT_FREE, now)))
    rule, wait = max(waits, key=lambda item: item[1])
    return Verdict(place=place, known=known, wait=wait, rule=rule if wait else "")


async def record(
    sess: AsyncSession, who: Try, verdict: Verdict, outcome: str, now: dt.datetime
) -> None:
    """Store one checked try (outcome: ok, bad, off) and forget tries older than KEEP."""
    sess.add(
        LoginAttempt(
            username=who.username[:64],
            ip=who.ip[:64],
            place=verdict.place[:80],
            outcome=outcome,
            created_at=now,
        )
    )
    await sess.execute(delete(LoginAttempt).where(LoginAttempt.created_at < now - KEEP))
    await sess.flush()


async def remember(sess: AsyncSession, username: str, places: list[str], now: dt.datetime) -> None:
    """After a successful sign-in: these places are known for the account from now on."""
    for place in dict.fromkeys(places):
        found = await sess.execute(
            update(KnownPlace)
            .where(KnownPlace.username == username, KnownPlace.place == place[:80])
            .values(last_ok_at=now)
        )
        if not found.rowcount:  # type: ignore[attr-defined]
            sess.add(KnownPlace(username=username, place=place[:80], last_ok_at=now))
    await sess.execute(delete(KnownPlace).where(KnownPlace.last_ok_at < now - KNOWN_FOR))
    await sess.flush()
