"""Tell the other processes what one of them changed (PostgreSQL LISTEN/NOTIFY).

  web process: INSERT into inbox … SELECT pg_notify('loaxa_inbox', '') … COMMIT
                                                   │ (delivered at the commit)
  worker process: LISTEN loaxa_inbox ──▶ Pipeline.wake() ──▶ processes at once

- `loaxa_inbox`: a webhook stored an update. Without it a separate worker finds new updates
  by polling once a second, so a citizen waited up to a second more for each reply. Polling
  stays as the fallback: a lost notification costs at most that second.
- `loaxa_faq`: staff saved an FAQ edit in one web process's console. Every other process
  rebuilds its index too (bot/faq_reload.py): the workers answer the citizens, other web
  processes serve the web chat; otherwise an edit would reach them only at their next start.

What was missed while nobody listened (before the first connection, or while it was down) is
made up for: every handler runs once each time the listening connection is set up.

SQLite runs one process, which wakes itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

log = logging.getLogger(__name__)
INBOX_CHANNEL = "loaxa_inbox"
FAQ_CHANNEL = "loaxa_faq"
_NOTIFY = text(f"SELECT pg_notify('{INBOX_CHANNEL}', '')")
_NOTIFY_FAQ = text(f"SELECT pg_notify('{FAQ_CHANNEL}', '')")
CHECK_SECONDS = 30.0  # how often the listening connection is checked
RETRY_SECONDS = 5.0


async def notify_inbox(sess: AsyncSession) -> None:
    """Inside the transaction that stored updates: workers hear of it when it commits."""
    if sess.get_bind().dialect.name == "postgresql":
        await sess.execute(_NOTIFY)


async def notify_faq(sess: AsyncSession) -> None:
    """Inside the transaction that saved an FAQ edit: workers rebuild when it commits."""
    if sess.get_bind().dialect.name == "postgresql":
        await sess.execute(_NOTIFY_FAQ)


async def listen(engine: AsyncEngine, handlers: Mapping[str, Callable[[], None]]) -> None:
    """Call a channel's handler for each of its notifications until cancelled; reconnect
    after a failure. Every handler also runs once when listening starts (what was missed)."""
    if engine.dialect.name != "postgresql":
        return
    while True:
        try:
            async with engine.connect() as conn:
                raw = await conn.get_raw_connection()
                driver: Any = raw.driver_connection  # asyncpg's own connection

                def heard(_conn: object, _pid: object, channel: str, _payload: object) -> None:
                    handlers[channel]()

                for channel in handlers:
                    await driver.add_listener(channel, heard)
                for handler in handlers.values():
                    handler()
                try:
                    while True:
                        await asyncio.sleep(CHECK_SECONDS)
                        await driver.execute("SELECT 1")  # raises when the connection died
                finally:
                    if not driver.is_closed():
                        for channel in handlers:
                            await driver.remove_listener(channel, heard)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("listening for notifications failed (%s); polling", type(exc).__name__)
            await asyncio.sleep(RETRY_SECONDS)
