"""Zalo OA tokens kept in the database and refreshed ahead of expiry under a database lease.

Why a lease: the refresh token is single-use and replaced on every refresh. If two processes
refresh with the same refresh token, the second call fails and, worse, one of them may store a
pair that is no longer valid: the OA is locked out until someone re-authorizes the app. So:

1. claim  — one short transaction: SELECT … FOR UPDATE (a row lock on PostgreSQL; SQLite
            ignores it and serialises writers anyway), then a compare-and-swap
            UPDATE … SET lease_owner = me WHERE version = :v AND (no lease or lease expired).
            Exactly one process gets rowcount 1.
2. call   — only the lease holder calls Zalo, outside any transaction (the lease, 60 s, is
            longer than the HTTP timeout).
3. store  — one UPDATE writes the new pair, version + 1, and releases the lease.
Everyone else waits for the lease to be released and reads the new pair.

A failed refresh releases the lease and stores a backoff (next_attempt_at) in the same row, so
that no process retries in a tight loop; the manager's `state` turns "error" and staff are
alerted once per failure streak.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.zalo_api import TokenPair, ZaloError, ZaloNetworkError
from bot.db.models_zalo import ZaloToken
from bot.db.upsert import insert_ignore
from bot.observability import register_secrets

log = logging.getLogger(__name__)

Refresher = Callable[[str], Awaitable[TokenPair]]
Alert = Callable[[str], Awaitable[None]]
REFRESH_MARGIN = dt.timedelta(hours=1)  # tokens live ~25 h; refresh with 1 h to spare
SEED_VALIDITY = dt.timedelta(hours=1)  # an access token from the environment: age unknown
LEASE = dt.timedelta(seconds=60)
BACKOFF_FIRST = 30.0
BACKOFF_MAX = 3600.0


class TokenUnavailable(Exception):
    """No usable access token (none stored, or expired and the refresh is failing)."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def backoff_seconds(failures: int) -> float:
    return min(BACKOFF_FIRST * 2 ** max(failures - 1, 0), BACKOFF_MAX)


class TokenManager:
    """One unit's OA token pair. Independent managers (processes) coordinate via the row."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        unit: str,
        refresher: Refresher,
        *,
        clock: Callable[[], dt.datetime],
        alert: Alert | None = None,
        margin: dt.timedelta = REFRESH_MARGIN,
        lease: dt.timedelta = LEASE,
        poll_interval: float = 0.05,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.unit = unit
        self.refresher = refresher
        self.clock = clock
        self.alert = alert
        self.margin = margin
        self.lease = lease
        self.poll_interval = poll_interval
        self.owner = uuid.uuid4().hex  # this manager's lease id
        self.state = "starting"  # starting | ok | error: shown by /healthz
        self.last_error: str | None = None
        self.refresh_calls = 0
        self.rejections = 0  # tokens Zalo rejected: a cached copy elsewhere is stale

    # --- public -----------------------------------------------------------------------------
    async def seed(self, access_token: str, refresh_token: str) -> bool:
        """Store the initial pair from the environment unless the database already has one."""
        if not (access_token or refresh_token):
            return False
        now = self.clock()
        values = {
            "unit": self.unit,
            "access_token": access_token,
            "refresh_token": refresh_token,
            "expires_at": now + SEED_VALIDITY if access_token else now,
            "updated_at": now,
            "version": 1,
            "failures": 0,
        }
        async with self.sessionmaker.begin() as sess:
            result = await sess.execute(insert_ignore(sess, ZaloToken, values))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def access_token(self) -> str:
        """A valid access token, refreshed first when it is due. Raises TokenUnavailable."""
        row = await self._ensure_fresh(bad_token=None)
        return self._usable(row)

    async def after_rejection(self, bad_token: str) -> str:
        """Zalo said `bad_token` is invalid or expired: refresh (once, for all) and return the
        new token. Raises TokenUnavailable."""
        self.rejections += 1
        row = await self._ensure_fresh(bad_token=bad_token)
        if row.access_token == bad_token:
            raise TokenUnavailable("access token rejected and not refreshed yet", 30.0)
        return self._usable(row)

    async def refresh_if_due(self) -> None:
        """For the background loop: refresh ahead of expiry; never raises for Zalo errors."""
        with contextlib.suppress(TokenUnavailable):
            await self._ensure_fresh(bad_token=None)

    # --- internals ----------------------------------------------------------------------------
    def _usable(self, row: ZaloToken) -> str:
        now = self.clock()
        if row.expires_at <= now or not row.access_token:
            wait = (row.next_attempt_at - now).total_seconds() if row.next_attempt_at else 30.0
            raise TokenUnavailable(
                f"Zalo access token expired; refresh failing: {row.last_error or 'unknown'}",
                max(wait, 30.0),
            )
        if self.state != "error":
            self.state = "ok"
        return row.access_token

    async def _row(self) -> ZaloToken:
        async with self.sessionmaker() as sess:
            row = await sess.get(ZaloToken, self.unit, populate_existing=True)
        if row is None:
            raise TokenUnavailable(
                f"no Zalo tokens stored for unit {self.unit} (set the *_REFRESH_TOKEN variable)",
                300.0,
            )
        return row

    def _due(self, row: ZaloToken, bad_token: str | None) -> bool:
        if bad_token is not None and row.access_token == bad_token:
            return True
        return row.expires_at - self.margin <= self.clock()

    async def _ensure_fresh(self, bad_token: str | None) -> ZaloToken:
        waited_since: dt.datetime | None = None
        while True:
            row = await self._row()
            now = self.clock()
            if not self._due(row, bad_token):
                return row
            if row.next_attempt_at is not None and now < row.next_attempt_at:
                return row  # backing off after a failed refresh: the caller decides
            if await self._claim(row.version):
                return await self._refresh(row)
            # Another process holds the lease: wait for it to release, then read again.
            waited_since = waited_since or now
            if now - waited_since > self.lease * 2:
                return row
            await asyncio.sleep(self.poll_interval)

    async def _claim(self, version: int) -> bool:
        now = self.clock()
        async with self.sessionmaker.begin() as sess:
            # Row lock on PostgreSQL (a no-op on SQLite, whose writers are serialised).
            locked = await sess.execute(
                select(ZaloToken.version, ZaloToken.lease_until)
                .where(ZaloToken.unit == self.unit)
                .with_for_update()
            )
            current = locked.one_or_none()
            if current is None or current.version != version:
                return False
            result = await sess.execute(
                update(ZaloToken)
                .where(
                    ZaloToken.unit == self.unit,
                    ZaloToken.version == version,
                    or_(ZaloToken.lease_until.is_(None), ZaloToken.lease_until < now),
                )
                .values(lease_owner=self.owner, lease_until=now + self.lease)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def _refresh(self, row: ZaloToken) -> ZaloToken:
        self.refresh_calls += 1
        try:
            pair = await self.refresher(row.refresh_token)
        except (ZaloError, ZaloNetworkError) as exc:
            await self._failed(row, exc)
            return await self._row()
        except BaseException:
            await self._release()
            raise
        now = self.clock()
        async with self.sessionmaker.begin() as sess:
            # Written whatever the lease says: this pair is the only valid one from now on.
            await sess.execute(
                update(ZaloToken)
                .where(ZaloToken.unit == self.unit)
                .values(
                    access_token=pair.access_token,
                    refresh_token=pair.refresh_token,
                    expires_at=now + dt.timedelta(seconds=pair.expires_in),
                    updated_at=now,
                    version=ZaloToken.version + 1,
                    lease_owner=None,
                    lease_until=None,
                    failures=0,
                    next_attempt_at=None,
                    last_error=None,
                )
            )
        register_secrets((pair.access_token, pair.refresh_token))
        log.info("Zalo tokens of unit %s refreshed", self.unit)
        if self.state == "error":
            log.warning("Zalo tokens of unit %s work again", self.unit)
        self.state, self.last_error = "ok", None
        return await self._row()

    async def _failed(self, row: ZaloToken, exc: Exception) -> None:
        failures = row.failures + 1
        wait = backoff_seconds(failures)
        error = str(exc)[:500]
        now = self.clock()
        async with self.sessionmaker.begin() as sess:
            await sess.execute(
                update(ZaloToken)
                .where(ZaloToken.unit == self.unit, ZaloToken.lease_owner == self.owner)
                .values(
                    lease_owner=None,
                    lease_until=None,
                    failures=failures,
                    next_attempt_at=now + dt.timedelta(seconds=wait),
                    last_error=error,
                )
            )
        self.state, self.last_error = "error", error
        log.error(
            "Zalo token refresh failed for unit %s (%d in a row, next try in %.0f s): %s",
            self.unit,
            failures,
            wait,
            error,
        )
        if failures == 1 and self.alert is not None:
            try:
                await self.alert(
                    f"Zalo OA của {self.unit}: không làm mới được mã truy cập ({error}). "
                    "Tin trả lời đang được giữ lại; hãy kiểm tra cấu hình Zalo."
                )
            except Exception:
                log.exception("Zalo alert hook failed")

    async def _release(self) -> None:
        async with self.sessionmaker.begin() as sess:
            await sess.execute(
                update(ZaloToken)
                .where(ZaloToken.unit == self.unit, ZaloToken.lease_owner == self.owner)
                .values(lease_owner=None, lease_until=None)
            )
