"""The pipeline under load: batched intake, contacts processed side by side, each in order."""

from __future__ import annotations

import asyncio
import collections
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select

import handlers
from bot.channels.base import SendResult
from bot.core.engine import ConversationEngine
from bot.core.messages import Inbound, Reply
from bot.core.pipeline import ChannelRegistry, Pipeline
from bot.db.engine import make_engine, make_sessionmaker, migrate
from bot.db.models import Contact, InboxItem, Message

UNIT = "xa-binh-minh"


class GatedChannel:
    """A web-like channel whose sends to the users in `held` wait until `release` is set."""

    name = "web"
    unit = UNIT

    def __init__(self) -> None:
        self.held: set[str] = set()
        self.release = asyncio.Event()
        self.sent: collections.Counter[str] = collections.Counter()

    def parse(self, payload: dict[str, Any]) -> list[Inbound]:
        return [Inbound(UNIT, "web", payload["sid"], text=payload["text"])]

    async def send(self, user_id: str, reply: Reply) -> SendResult:
        if user_id in self.held:
            await self.release.wait()
        self.sent[user_id] += 1
        return SendResult.ok()

    async def acknowledge(self, payload: dict[str, Any]) -> None:
        return None


@pytest.fixture
async def setup(db_url: str, services: Any) -> AsyncIterator[tuple[Pipeline, GatedChannel]]:
    engine = make_engine(db_url)
    await migrate(engine)
    channel = GatedChannel()
    registry = ChannelRegistry()
    registry.add(channel)
    pipeline = Pipeline(
        make_sessionmaker(engine),
        ConversationEngine(services, handlers.all_flows(), handlers.on_emergency),
        registry,
        clock=lambda: dt.datetime.now(dt.UTC),
        concurrency=8,
    )
    try:
        yield pipeline, channel
    finally:
        await engine.dispose()


def update(sid: str, n: int, text: str = "menu") -> tuple[str, str, str, dict[str, Any]]:
    return UNIT, "web", f"{sid}:{n}", {"sid": sid, "text": text}


async def test_a_burst_of_updates_is_committed_once_each(
    setup: tuple[Pipeline, GatedChannel],
) -> None:
    pipeline, _ = setup
    updates = [update(f"u{i}", 1) for i in range(40)]
    redelivered = updates[:10]  # the channel retried these while the first copies were queued
    ids = await asyncio.gather(*(pipeline.accept(*u) for u in [*updates, *redelivered]))
    stored = [i for i in ids if i is not None]
    assert len(stored) == len(set(stored)) == 40
    async with pipeline.sessionmaker() as sess:
        rows = await sess.scalar(select(func.count()).select_from(InboxItem))
    assert rows == 40


async def test_one_bad_update_does_not_fail_its_batch(
    setup: tuple[Pipeline, GatedChannel],
) -> None:
    pipeline, _ = setup
    bad = (UNIT, "web", "bad:1", {"sid": "bad", "text": object()})  # not JSON-serialisable
    results = await asyncio.gather(
        *(pipeline.accept(*u) for u in [update("a", 1), bad, update("b", 1)]),
        return_exceptions=True,
    )
    assert isinstance(results[0], int) and isinstance(results[2], int)
    assert isinstance(results[1], Exception)  # that webhook answers 500; the channel retries


async def test_a_slow_contact_does_not_hold_up_the_others(
    setup: tuple[Pipeline, GatedChannel],
) -> None:
    pipeline, channel = setup
    channel.held.add("slow")
    for u in [update("slow", 1), *(update(f"u{i}", 1) for i in range(5))]:
        await pipeline.accept(*u)
    running = asyncio.create_task(pipeline.process_pending())
    for _ in range(500):
        if all(channel.sent[f"u{i}"] for i in range(5)):
            break
        await asyncio.sleep(0.01)
    assert all(channel.sent[f"u{i}"] == 1 for i in range(5)), channel.sent
    assert channel.sent["slow"] == 0 and not running.done()
    channel.release.set()
    assert await asyncio.wait_for(running, 30) == 6
    assert channel.sent["slow"] == 1


async def test_one_contacts_updates_are_processed_in_order(
    setup: tuple[Pipeline, GatedChannel],
) -> None:
    pipeline, _ = setup
    texts = ["thủ tục", "khai sinh", "menu", "xin chào", "cccd", "hộ khẩu"]
    for n, text in enumerate(texts):
        await pipeline.accept(*update("ana", n, text))
        await pipeline.accept(*update(f"other{n}", 1))
    await pipeline.process_pending()
    async with pipeline.sessionmaker() as sess:
        logged = await sess.scalars(
            select(Message.text)
            .join(Contact, Contact.id == Message.contact_id)
            .where(Contact.external_id == "ana", Message.direction == "in")
            .order_by(Message.id)
        )
        assert list(logged) == texts


async def test_two_callers_of_one_update_process_it_once(
    setup: tuple[Pipeline, GatedChannel],
) -> None:
    pipeline, channel = setup
    item_id = await pipeline.accept(*update("ana", 1))
    assert item_id is not None
    await asyncio.gather(pipeline.process_item(item_id), pipeline.process_pending())
    async with pipeline.sessionmaker() as sess:
        inbound = await sess.scalar(
            select(func.count()).select_from(Message).where(Message.direction == "in")
        )
    assert inbound == 1
    assert channel.sent["ana"] == 1


async def test_the_write_gate_serves_intake_first_then_in_arrival_order() -> None:
    from bot.core.intake import PriorityLock

    lock, order = PriorityLock(), []
    await lock.acquire(1)

    async def waiter(name: str, priority: int) -> None:
        await lock.acquire(priority)
        order.append(name)
        lock.release()

    tasks = [asyncio.create_task(waiter(n, p)) for n, p in [("a", 1), ("b", 1), ("hook", 0)]]
    doomed = asyncio.create_task(waiter("cancelled", 0))
    await asyncio.sleep(0)
    doomed.cancel()
    await asyncio.sleep(0)
    lock.release()
    await asyncio.wait_for(asyncio.gather(*tasks), 5)
    assert order == ["hook", "a", "b"]
    await asyncio.wait_for(lock.acquire(), 1)  # free again
