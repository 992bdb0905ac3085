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
from bot.core.messages import FlowState, Inbound, Reply
from bot.core.pipeline import ChannelRegistry, Pipeline
from bot.db import queries
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


async def process_behind_a_slow_contact(
    pipeline: Pipeline, channel: GatedChannel, others: int
) -> asyncio.Task[int]:
    """Store one update of "slow" (whose send waits) then one each of u0 … u<others-1>, start
    processing, and wait (up to 5 s) until the others have been sent."""
    for u in [update("slow", 1), *(update(f"u{i}", 1) for i in range(others))]:
        await pipeline.accept(*u)
    running = asyncio.create_task(pipeline.process_pending())
    for _ in range(500):
        if all(channel.sent[f"u{i}"] for i in range(others)):
            break
        await asyncio.sleep(0.01)
    return running


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
    running = await process_behind_a_slow_contact(pipeline, channel, 5)
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


async def test_the_write_gate_on_postgresql_lets_several_in() -> None:
    from bot.core.intake import PriorityLock

    lock = PriorityLock(2)
    await lock.acquire(1)
    await asyncio.wait_for(lock.acquire(1), 1)  # a second slot
    third = asyncio.create_task(lock.acquire(1))
    await asyncio.sleep(0.01)
    assert not third.done()
    lock.release()
    await asyncio.wait_for(third, 1)


async def test_lanes_have_no_rounds_and_keep_each_contacts_order() -> None:
    """A slow lane does not hold up the next fetch; an id fetched while its contact's lane
    runs joins that lane, after the ids before it."""
    from bot.core.lanes import run_lanes

    stored = [(i, "slow" if i in (1, 4, 9) else f"c{i}") for i in range(1, 13)]
    fetched_after: list[int] = []
    done: list[int] = []
    slow_may_finish = asyncio.Event()

    async def fetch(after: int) -> list[tuple[int, Any]]:
        fetched_after.append(after)
        return [row for row in stored if row[0] > after][:3]

    async def process(item_id: int) -> None:
        if item_id == 1:
            await slow_may_finish.wait()
        done.append(item_id)

    running = asyncio.create_task(run_lanes(fetch, process, workers=2, batch=3))
    for _ in range(200):  # everything but the slow contact's lane goes through meanwhile
        if set(done) == {i for i, key in stored if key != "slow"}:
            break
        await asyncio.sleep(0.005)
    assert set(done) == {i for i, key in stored if key != "slow"}, done
    slow_may_finish.set()
    assert await asyncio.wait_for(running, 5) == 12
    assert [i for i in done if i in (1, 4, 9)] == [1, 4, 9]
    assert fetched_after[-1] == 12


async def test_writes_ride_along_with_a_transaction_or_are_flushed() -> None:
    from bot.core.batcher import Batch, RideAlong

    written: list[list[int]] = []

    async def flush() -> None:
        batch = ride.take()
        written.append(batch.items)
        batch.settle()

    ride: RideAlong[int] = RideAlong(flush, "test")
    first = asyncio.create_task(ride.submit(1))
    second = asyncio.create_task(ride.submit(2))
    await asyncio.sleep(0)
    taken: Batch[int] = ride.take()  # another transaction takes them along …
    assert taken.items == [1, 2] and not first.done()
    taken.settle()  # … and commits
    await asyncio.wait_for(asyncio.gather(first, second), 1)
    failed = asyncio.create_task(ride.submit(3))
    await asyncio.sleep(0)
    ride.take().settle(asyncio.CancelledError())  # the transaction did not commit
    with pytest.raises(RuntimeError):
        await asyncio.wait_for(failed, 1)
    await asyncio.wait_for(ride.submit(4), 1)  # nobody takes it: the flush writes it
    assert written[-1] == [4]


async def test_a_slow_contact_does_not_hold_up_later_fetches(
    setup: tuple[Pipeline, GatedChannel], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.core import pipeline as pipeline_module

    monkeypatch.setattr(pipeline_module, "PENDING_BATCH", 2)  # many fetches of pending rows
    pipeline, channel = setup
    channel.held.add("slow")
    running = await process_behind_a_slow_contact(pipeline, channel, 7)
    assert all(channel.sent[f"u{i}"] == 1 for i in range(7)), channel.sent
    channel.release.set()
    assert await asyncio.wait_for(running, 30) == 8


async def test_a_failing_flow_is_rolled_back_and_answered_with_an_apology(
    setup: tuple[Pipeline, GatedChannel], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No savepoint: the whole transaction is redone in error mode, so nothing the flow wrote
    stays, the message is logged once, and the citizen gets the apology."""
    from bot.core.flow import Context
    from bot.db.models import ConversationState
    from handlers import ask

    async def half_then_boom(self: object, ctx: Context) -> None:
        await queries.save_state(ctx.session, ctx.contact.id, FlowState("pakn", "x", {}), ctx.now)
        ctx.say("nửa chừng")
        raise RuntimeError("bug")

    monkeypatch.setattr(ask.AskFlow, "_answer_text", half_then_boom)
    pipeline, channel = setup
    item_id = await pipeline.accept(*update("ana", 1, "đăng ký khai sinh cho con"))
    assert item_id is not None
    [reply_id] = await pipeline.process_item(item_id)
    async with pipeline.sessionmaker() as sess:
        reply = await sess.get(Message, reply_id)
        inbound = await sess.scalar(
            select(func.count()).select_from(Message).where(Message.direction == "in")
        )
        states = (await sess.scalars(select(ConversationState))).all()
        item = await sess.get(InboxItem, item_id)
    assert reply is not None and "gặp lỗi" in (reply.text or "") and reply.status == "sent"
    assert inbound == 1 and states == []
    assert item is not None and item.processed_at is not None and item.attempts == 0
    assert channel.sent["ana"] == 1


async def test_a_question_is_understood_before_its_transaction(
    setup: tuple[Pipeline, GatedChannel], matched: Any
) -> None:
    """The FAQ matching runs while the write gate is free (Pipeline → engine.prime), and the
    flow inside the transaction takes that result instead of matching again."""
    pipeline, channel = setup
    calls = matched(pipeline)
    await pipeline.accept(*update("q1", 1, "lam lai can cuoc o dau"))
    await pipeline.process_pending()
    assert calls == [("lam lai can cuoc o dau", True)]  # once, outside any transaction
    assert channel.sent["q1"] == 1


async def test_a_failure_understanding_ahead_does_not_stop_the_update(
    setup: tuple[Pipeline, GatedChannel], monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline, channel = setup

    def broken(_messages: Any) -> None:
        raise RuntimeError("bug in the matcher")

    monkeypatch.setattr(pipeline.engine, "prime", broken)
    await pipeline.accept(*update("q2", 1, "đăng ký thường trú cần giấy tờ gì"))
    await pipeline.process_pending()
    assert channel.sent["q2"] == 1  # answered, the flow matched the question itself
