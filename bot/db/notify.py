"""Wake the worker when a webhook stored an update (PostgreSQL LISTEN/NOTIFY).

  web process: INSERT into inbox … SELECT pg_notify('loaxa_inbox', '') … COMMIT
                                                   │ (delivered at the commit)
  worker process: LISTEN loaxa_inbox ──▶ Pipeline.wake() ──▶ processes at once

Without it a separate worker finds new updates by polling once a second, so a citizen
waited up to a second more for each reply. Polling stays as the fallback: a lost
notification or a dropped listening connection costs at most that second. SQLite runs
one process, which wakes itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

log = logging.getLogger(__name__)
INBOX_CHANNEL = "loaxa_inbox"
_NOTIFY = text(f"SELECT pg_notify('{INBOX_CHANNEL}', '')")
CHECK_SECONDS = 30.0  # how often the listening connection is checked
RETRY_SECONDS = 5.0


async def notify_inbox(sess: AsyncSession) -> None:
    """Inside the transaction that stored updates: workers hear of it when it commits."""
    if sess.get_bind().dialect.name == "postgresql":
        await sess.execute(_NOTIFY)


async def listen(engine: AsyncEngine, on_notify: Callable[[], None]) -> None:
    """Call `on_notify` for every notification until cancelled; reconnect after a failure."""
    if engine.dialect.name != "postgresql":
        return
    while True:
        try:
            async with engine.connect() as conn:
                raw = await conn.get_raw_connection()
                driver: Any = raw.driver_connection  # asyncpg's own connection

                def heard(*_: object) -> None:
                    on_notify()

                await driver.add_listener(INBOX_CHANNEL, heard)
                try:
                    while True:
                        await asyncio.sleep(CHECK_SECONDS)
                        await driver.execute("SELECT 1")  # raises when the connection died
                finally:
                    if not driver.is_closed():
                        await driver.remove_listener(INBOX_CHANNEL, heard)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("listening for new updates failed (%s); polling", type(exc).__name__)
            await asyncio.sleep(RETRY_SECONDS)
