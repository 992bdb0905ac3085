"""Liveness check for pooled PostgreSQL connections, only after they sat idle.

SQLAlchemy's `pool_pre_ping` pings on every checkout; with asyncpg that is BEGIN, a query
and ROLLBACK: three round trips in front of every transaction of the hot path. A connection
given back a moment ago was alive a moment ago, so (as HikariCP's alive-bypass window does)
only a connection idle for longer than `IDLE_BEFORE_PING` is pinged. A database that goes away
under a busy pool is caught by the first failing statement instead: SQLAlchemy sees the
disconnect and invalidates the whole pool, and the failed work is retried by its caller.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncEngine

IDLE_BEFORE_PING = 1.0  # seconds
_LAST_USED = "loaxa_last_used"


def ping_after_idle(engine: AsyncEngine) -> None:
    """Ping a pooled connection at checkout when it was idle for over IDLE_BEFORE_PING s."""
    pool = engine.sync_engine.pool
    dialect = engine.sync_engine.dialect

    def on_connect(_dbapi_conn: Any, record: Any) -> None:
        record.info[_LAST_USED] = time.monotonic()

    def on_checkin(_dbapi_conn: Any, record: Any) -> None:
        if record is not None:
            record.info[_LAST_USED] = time.monotonic()

    def on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        last = record.info.get(_LAST_USED)
        if last is not None and time.monotonic() - last <= IDLE_BEFORE_PING:
            return
        try:
            dialect.do_ping(dbapi_conn)
        except dialect.loaded_dbapi.Error as err:
            if dialect.is_disconnect(err, dbapi_conn, None):
                # The pool retries with a new connection, after dropping the older ones.
                raise exc.InvalidatePoolError() from err
            raise

    event.listen(pool, "connect", on_connect)
    event.listen(pool, "checkin", on_checkin)
    event.listen(pool, "checkout", on_checkout)
