"""Several workers on one PostgreSQL database: every update processed once, every reply sent once."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
from typing import Any

import pytest

import handlers
from bot.channels.base import SendResult
from bot.core.engine import ConversationEngine
from bot.core.messages import Inbound, Reply
from bot.core.pipeline import ChannelRegistry, Pipeline
from bot.db.engine import make_engine, make_sessionmaker, migrate

UNIT = "xa-binh-minh"


class RecordingChannel:
    name = "web"
    unit = UNIT

    def __init__(self, sent: collections.Counter[str]) -> None:
        self.sent = sent

    def parse(self, payload: dict[str, Any]) -> list[Inbound]:
        return [Inbound(UNIT, "web", payload["sid"], text=payload["text"])]

    async def send(self, user_id: str, reply: Reply) -> SendResult:
        await asyncio.sleep(0.001)  # let the other worker interleave
        self.sent[user_id] += 1
        return SendResult.ok()

    async def acknowledge(self, payload: dict[str, Any]) -> None:
        return None


async def test_two_workers_share_the_queue_without_duplicates(db_url: str, services: Any) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite runs one process; several workers need PostgreSQL")
    sent: collections.Counter[str] = collections.Counter()
    pipelines, engines = [], []
    for _ in range(2):
        engine = make_engine(db_url)
        engines.append(engine)
        registry = ChannelRegistry()
        registry.add(RecordingChannel(sent))
        pipelines.append(
            Pipeline(
                make_sessionmaker(engine),
                ConversationEngine(services, handlers.all_flows(), handlers.on_emergency),
                registry,
                clock=lambda: dt.datetime.now(dt.UTC),
            )
        )
    await migrate(engines[0])
    n = 40
    for i in range(n):  # 40 citizens, each says "menu" once: one reply each
        await pipelines[i % 2].accept(UNIT, "web", f"u{i}:1", {"sid": f"u{i}", "text": "menu"})
    try:
        processed = await asyncio.gather(*(p.process_pending() for p in pipelines))
        await asyncio.gather(*(p.deliver() for p in pipelines))
        assert sum(processed) >= n  # both saw the pending list; each item ran once
        assert len(sent) == n
        assert set(sent.values()) == {1}, {k: v for k, v in sent.items() if v != 1}
    finally:
        for engine in engines:
            await engine.dispose()


async def test_single_runner_lock_admits_one_process(db_url: str) -> None:
    from bot.db.locks import single_runner

    first, second = make_engine(db_url), make_engine(db_url)
    try:
        async with (
            single_runner(first, "deadline-alerts") as got_first,
            single_runner(second, "deadline-alerts") as got_second,
        ):
            if db_url.startswith("sqlite"):
                assert got_first and got_second  # one process does everything
            else:
                assert got_first and not got_second
        async with single_runner(second, "deadline-alerts") as got_after:
            assert got_after  # released when the first block ended
    finally:
        await first.dispose()
        await second.dispose()
