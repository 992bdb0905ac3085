"""Web + worker processes: the web process understands a typed question at intake, the worker
takes that result instead of matching again (bot/core/ahead.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select, update

import handlers
from bot.core.engine import ConversationEngine
from bot.core.pipeline import ChannelRegistry, Pipeline
from bot.db.engine import make_engine, make_sessionmaker, migrate
from bot.db.models import InboxItem, Message
from tests.db.test_pipeline_concurrency import GatedChannel

UNIT = "xa-binh-minh"
QUESTION = "lam lai can cuoc o dau"


def _pipeline(engine: Any, services: Any, channel: GatedChannel, *, web: bool) -> Pipeline:
    registry = ChannelRegistry()
    registry.add(channel)
    return Pipeline(
        make_sessionmaker(engine),
        ConversationEngine(services, handlers.all_flows(), handlers.on_emergency),
        registry,
        clock=lambda: dt.datetime.now(dt.UTC),
        understand_at_intake=web,
    )


@pytest.fixture
async def web_and_worker(
    db_url: str, services: Any
) -> AsyncIterator[tuple[Pipeline, Pipeline, GatedChannel]]:
    web_engine, worker_engine = make_engine(db_url), make_engine(db_url)
    await migrate(web_engine)
    channel = GatedChannel()
    try:
        yield (
            _pipeline(web_engine, services, channel, web=True),
            _pipeline(worker_engine, services, channel, web=False),
            channel,
        )
    finally:
        await web_engine.dispose()
        await worker_engine.dispose()


async def _accept_at_web(web: Pipeline) -> int:
    """The web process stores the question; the worker, another process, has no memo of it."""
    item_id = await web.accept(UNIT, "web", "ana:1", {"sid": "ana", "text": QUESTION})
    assert item_id is not None
    web.engine.services.faq._primed.clear()
    return item_id


async def _stored(pipeline: Pipeline, item_id: int) -> InboxItem:
    async with pipeline.sessionmaker() as sess:
        row = await sess.get(InboxItem, item_id)
    assert row is not None
    return row


async def _store_understood(pipeline: Pipeline, item_id: int, understood: Any) -> None:
    async with pipeline.sessionmaker.begin() as sess:
        await sess.execute(
            update(InboxItem).where(InboxItem.id == item_id).values(understood=understood)
        )


async def _reply_text(pipeline: Pipeline) -> str:
    async with pipeline.sessionmaker() as sess:
        reply = await sess.scalar(
            select(Message).where(Message.direction == "out").order_by(Message.id.desc())
        )
    assert reply is not None
    return reply.text or ""


async def test_the_worker_answers_from_what_the_web_process_understood(
    web_and_worker: tuple[Pipeline, Pipeline, GatedChannel], matched: Any
) -> None:
    web, worker, channel = web_and_worker
    calls = matched(worker)
    item_id = await _accept_at_web(web)
    assert calls == [(QUESTION, True)]  # understood once, at intake
    stored = await _stored(web, item_id)
    assert stored.understood is not None
    assert stored.understood["faq"] == web.engine.services.faq.fingerprint

    await worker.process_pending()
    assert calls == [(QUESTION, True)]  # the worker did not match it again
    assert channel.sent["ana"] == 1
    from_intake = await _reply_text(worker)
    done = await _stored(worker, item_id)
    assert done.processed_at is not None
    assert done.understood is None  # it holds the citizen's words: gone once processed

    # The same question understood in the worker gives the same reply.
    worker.engine.services.faq._primed.clear()
    item_id = await worker.accept(UNIT, "web", "ben:1", {"sid": "ben", "text": QUESTION})
    await worker.process_pending()
    assert await _reply_text(worker) == from_intake


async def test_an_understanding_from_other_content_is_not_taken(
    web_and_worker: tuple[Pipeline, Pipeline, GatedChannel], matched: Any
) -> None:
    web, worker, channel = web_and_worker
    calls = matched(worker)
    item_id = await _accept_at_web(web)
    understood = (await _stored(web, item_id)).understood
    assert understood is not None
    other = {**understood, "faq": "another-fingerprint"}  # as if the web ran other content
    await _store_understood(web, item_id, other)
    await worker.process_pending()
    assert calls == [(QUESTION, True), (QUESTION, True)]  # the worker matched it itself
    assert channel.sent["ana"] == 1


async def test_an_unreadable_understanding_is_matched_again(
    web_and_worker: tuple[Pipeline, Pipeline, GatedChannel], matched: Any
) -> None:
    web, worker, channel = web_and_worker
    calls = matched(worker)
    item_id = await _accept_at_web(web)
    fingerprint = web.engine.services.faq.fingerprint
    broken = {"faq": fingerprint, "texts": [[UNIT, QUESTION, {"v": 99}]]}
    await _store_understood(web, item_id, broken)
    await worker.process_pending()
    assert len(calls) == 2
    assert channel.sent["ana"] == 1


async def test_a_single_process_does_not_store_an_understanding(
    web_and_worker: tuple[Pipeline, Pipeline, GatedChannel],
) -> None:
    _, worker, _ = web_and_worker
    item_id = await worker.accept(UNIT, "web", "ana:1", {"sid": "ana", "text": QUESTION})
    assert item_id is not None
    stored = await _stored(worker, item_id)
    assert stored.understood is None  # it primes just before processing


async def test_a_failure_understanding_at_intake_still_stores_the_update(
    web_and_worker: tuple[Pipeline, Pipeline, GatedChannel], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A matcher bug must not cost the update: it is stored (the channel gets its 200) and
    the worker understands it itself."""
    web, worker, channel = web_and_worker
    faq = web.engine.services.faq

    def broken(_text: str, _unit: str | None = None) -> Any:
        raise RuntimeError("bug in the matcher")

    monkeypatch.setattr(faq, "ahead", broken)
    item_id = await web.accept(UNIT, "web", "ana:1", {"sid": "ana", "text": QUESTION})
    assert item_id is not None
    monkeypatch.undo()
    assert (await _stored(web, item_id)).understood is None
    await worker.process_pending()
    assert channel.sent["ana"] == 1
