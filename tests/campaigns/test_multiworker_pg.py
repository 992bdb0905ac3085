"""Three broadcast workers on one PostgreSQL database (separate engines, as separate processes
have): one campaign to 300 subscribers reaches each exactly once on the fake Telegram API."""

from __future__ import annotations

import asyncio
import collections
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
import telegram
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.campaigns.service import CampaignService
from bot.campaigns.worker import CampaignWorker
from bot.channels.base import SendResult
from bot.channels.telegram import TelegramChannel
from bot.core.messages import Reply
from bot.core.pipeline import ChannelRegistry
from bot.db.engine import make_engine, make_sessionmaker, migrate
from bot.db.models import Contact, Message
from bot.db.models_campaigns import Campaign, CampaignOutbox, Subscription
from bot.settings import Settings
from tests.campaigns.conftest import DAY, UNIT, approved_campaign

N = 300
WORKERS = 3
BASE_CHAT = 5_000_000


class CountingChannel:
    """The production Telegram adapter, counting the calls this worker made."""

    def __init__(self, inner: TelegramChannel, calls: collections.Counter[int], key: int) -> None:
        self.inner, self.calls, self.key = inner, calls, key
        self.unit, self.name = inner.unit, inner.name

    async def send(self, user_id: str, reply: Reply) -> SendResult:
        self.calls[self.key] += 1
        return await self.inner.send(user_id, reply)


@pytest.fixture
async def engines(db_url: str) -> AsyncIterator[list[AsyncEngine]]:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite runs one process; several workers need PostgreSQL")
    made = [make_engine(db_url) for _ in range(WORKERS)]
    await migrate(made[0])
    yield made
    for engine in made:
        await engine.dispose()


async def _seed(engine: AsyncEngine) -> None:
    async with make_sessionmaker(engine).begin() as sess:
        await sess.execute(
            insert(Contact),
            [
                {"unit": UNIT, "channel": "telegram", "external_id": str(BASE_CHAT + i),
                 "blocked": False, "created_at": DAY}
                for i in range(N)
            ],
        )  # fmt: skip
        ids = (await sess.execute(select(Contact.id))).scalars().all()
        await sess.execute(
            insert(Subscription),
            [
                {"contact_id": cid, "unit": UNIT, "kind": "topic", "key": "thu_tuc_moi",
                 "created_at": DAY}
                for cid in ids
            ],
        )  # fmt: skip


async def test_three_workers_send_each_message_exactly_once(
    engines: list[AsyncEngine],
    campaigns: CampaignService,
    settings: Settings,
    fake_telegram: Any,
) -> None:
    await _seed(engines[0])
    cid = await approved_campaign(make_sessionmaker(engines[0]), campaigns)
    # Two 429 answers on the way: the rows they hit are retried, by whichever worker claims them.
    fake_telegram.fail_next("sendMessage", 429, retry_after=1, times=2)
    calls: collections.Counter[int] = collections.Counter()
    fast = dataclasses.replace(settings, campaign_telegram_rate=1000.0, campaign_concurrency=8)
    async with (
        telegram.Bot(fake_telegram.token, base_url=fake_telegram.base_url) as bot0,
        telegram.Bot(fake_telegram.token, base_url=fake_telegram.base_url) as bot1,
        telegram.Bot(fake_telegram.token, base_url=fake_telegram.base_url) as bot2,
    ):
        workers = []
        for k, (engine, bot) in enumerate(zip(engines, (bot0, bot1, bot2), strict=True)):
            registry = ChannelRegistry()
            registry.add(CountingChannel(TelegramChannel(UNIT, bot), calls, k))  # type: ignore[arg-type]
            workers.append(CampaignWorker(make_sessionmaker(engine), registry, campaigns, fast))
        for _ in range(20):  # each round: all three drain the lane at the same time
            await asyncio.gather(*(w.run_once() for w in workers))
            async with make_sessionmaker(engines[0])() as sess:
                status = (await sess.get(Campaign, cid, populate_existing=True)).status  # type: ignore[union-attr]
            if status == "sent":
                break
            await asyncio.sleep(0.5)

    per_chat = collections.Counter(m["chat"]["id"] for m in fake_telegram.sent())
    lost = [BASE_CHAT + i for i in range(N) if BASE_CHAT + i not in per_chat]
    duplicated = {chat: n for chat, n in per_chat.items() if n != 1}
    assert not lost and not duplicated, (len(lost), duplicated)
    assert len(per_chat) == N
    assert fake_telegram.stats.rate_limited == 2
    assert sum(calls.values()) == N + 2  # every accepted call once, plus the two 429s
    assert len([k for k, n in calls.items() if n]) >= 2, calls  # the workers really shared it
    assert status == "sent"
    async with make_sessionmaker(engines[1])() as sess:
        statuses = dict(
            (
                await sess.execute(
                    select(CampaignOutbox.status, func.count())
                    .where(CampaignOutbox.campaign_id == cid)
                    .group_by(CampaignOutbox.status)
                )
            ).all()
        )
        logged = (
            await sess.execute(select(func.count()).where(Message.kind == "campaign"))
        ).scalar_one()
    assert statuses == {"sent": N}
    assert logged == N  # one outbound log row per message, none twice
