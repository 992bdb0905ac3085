"""A worker process hears of stored updates at once on PostgreSQL (bot/db/notify.py)."""

from __future__ import annotations

import asyncio
import datetime as dt

from bot.core.intake import InboxWriter, WriteGate
from bot.db import notify
from bot.db.engine import make_engine, make_sessionmaker, migrate


async def test_a_stored_update_wakes_a_listener_elsewhere(db_url: str) -> None:
    engine = make_engine(db_url)
    await migrate(engine)
    worker_engine = make_engine(db_url)  # as another process would have
    woken = asyncio.Event()
    listening = asyncio.create_task(notify.listen(worker_engine, {notify.INBOX_CHANNEL: woken.set}))
    writer = InboxWriter(WriteGate(make_sessionmaker(engine)), lambda: dt.datetime.now(dt.UTC))
    try:
        if engine.dialect.name != "postgresql":
            await asyncio.sleep(0.05)
            assert listening.done()  # SQLite: one process, nothing to listen for
            return
        for n in range(50):  # the listener subscribes in the background: store until heard
            assert await writer.store("xa-a", "web", f"u{n}", {"text": "menu"}) is not None
            try:
                await asyncio.wait_for(woken.wait(), 0.1)
                break
            except TimeoutError:
                continue
        assert woken.is_set()
        woken.clear()
        assert await writer.store("xa-a", "web", "u0", {"text": "menu"}) is None  # redelivery
        await asyncio.sleep(0.3)
        assert not woken.is_set()  # nothing new stored: nobody woken
    finally:
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)
        await worker_engine.dispose()
        await engine.dispose()
