"""The broadcast worker against the fake Telegram Bot API, through the production adapter."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
import telegram
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.campaigns import links
from bot.campaigns.service import CampaignService
from bot.campaigns.worker import CampaignWorker
from bot.channels.base import SendResult
from bot.channels.telegram import TelegramChannel
from bot.core.messages import Button, Reply
from bot.core.pipeline import ChannelRegistry
from bot.db.models import Contact, Message
from bot.db.models_campaigns import Campaign, CampaignOutbox
from bot.settings import Settings
from tests.campaigns.conftest import (
    ADMIN,
    DAY,
    NIGHT,
    UNIT,
    VOLUNTEER,
    Clock,
    add_contact,
    approved_campaign,
)

pytestmark = pytest.mark.usefixtures("fake_telegram")


@pytest.fixture
async def tg(fake_telegram: Any) -> AsyncIterator[TelegramChannel]:
    async with telegram.Bot(fake_telegram.token, base_url=fake_telegram.base_url) as bot:
        yield TelegramChannel(UNIT, bot)


def make_worker(
    sm: async_sessionmaker[AsyncSession],
    channel: Any,
    service: CampaignService,
    settings: Settings,
    **overrides: Any,
) -> CampaignWorker:
    registry = ChannelRegistry()
    registry.add(channel)
    return CampaignWorker(sm, registry, service, dataclasses.replace(settings, **overrides))


def per_chat(fake: Any) -> dict[int, int]:
    counts: dict[int, int] = {}
    for m in fake.sent():
        counts[m["chat"]["id"]] = counts.get(m["chat"]["id"], 0) + 1
    return counts


async def _status(sm: async_sessionmaker[AsyncSession], cid: int) -> str:
    async with sm() as sess:
        campaign = await sess.get(Campaign, cid)
        assert campaign is not None
        return campaign.status


async def test_only_opted_in_receive_once_with_stop_buttons(
    sm: async_sessionmaker[AsyncSession],
    campaigns: CampaignService,
    settings: Settings,
    tg: TelegramChannel,
    fake_telegram: Any,
) -> None:
    async with sm.begin() as sess:
        for i in range(5):
            await add_contact(sess, str(100 + i))
        await add_contact(sess, "200", topics=["lua_dao"])  # other topic
        await add_contact(sess, "201", topics=[])  # talked to the bot, never opted in
    cid = await approved_campaign(sm, campaigns)
    worker = make_worker(sm, tg, campaigns, settings)
    await worker.run_once()
    assert per_chat(fake_telegram) == {100 + i: 1 for i in range(5)}
    message = fake_telegram.sent(100)[0]
    assert "UBND xã Bình Minh" in message["text"]
    labels = [b["text"] for row in message["reply_markup"]["inline_keyboard"] for b in row]
    assert any("Dừng nhận tin" in label for label in labels)
    assert await _status(sm, cid) == "sent"
    await worker.run_once()  # nothing is sent twice
    assert len(fake_telegram.sent()) == 5
    async with sm() as sess:  # logged in the conversation, as every outbound message
        logged = await sess.execute(select(Message).where(Message.kind == "campaign"))
        assert len(logged.scalars().all()) == 5


async def test_429_pauses_the_channel_and_nothing_is_lost(
    sm: async_sessionmaker[AsyncSession],
    campaigns: CampaignService,
    settings: Settings,
    tg: TelegramChannel,
    fake_telegram: Any,
) -> None:
    async with sm.begin() as sess:
        for i in range(6):
            await add_contact(sess, str(300 + i))
    await approved_campaign(sm, campaigns)
    fake_telegram.fail_next("sendMessage", 429, retry_after=1)
    worker = make_worker(sm, tg, campaigns, settings, campaign_concurrency=1)
    await worker.run_once()
    assert worker.pauses == [(UNIT, "telegram", 1.0)]
    assert fake_telegram.stats.rate_limited == 1
    assert per_chat(fake_telegram) == {300 + i: 1 for i in range(6)}


async def test_blocked_user_is_marked_and_skipped_later(
    sm: async_sessionmaker[AsyncSession],
    campaigns: CampaignService,
    settings: Settings,
    tg: TelegramChannel,
    fake_telegram: Any,
) -> None:
    async with sm.begin() as sess:
        for i in range(3):
            await add_contact(sess, str(400 + i))
    fake_telegram.block_user(401)
    first = await approved_campaign(sm, campaigns)
    worker = make_worker(sm, tg, campaigns, settings)
    await worker.run_once()
    async with sm() as sess:
        contact = (
            await sess.execute(select(Contact).where(Contact.external_id == "401"))
        ).scalar_one()
        assert contact.blocked
        row = (
            await sess.execute(
                select(CampaignOutbox).where(
                    CampaignOutbox.campaign_id == first, CampaignOutbox.contact_id == contact.id
                )
            )
        ).scalar_one()
        assert row.status == "blocked"
    calls_before = len(fake_telegram.calls("sendMessage"))
    await approved_campaign(sm, campaigns)
    await worker.run_once()
    new_calls = fake_telegram.calls("sendMessage")[calls_before:]
    assert sorted(int(c["chat_id"]) for c in new_calls) == [400, 402]  # 401 not tried again


async def test_quiet_hours_hold_broadcasts_but_not_emergencies(
    sm: async_sessionmaker[AsyncSession],
    campaigns: CampaignService,
    settings: Settings,
    tg: TelegramChannel,
    fake_telegram: Any,
    clock: Clock,
) -> None:
    async with sm.begin() as sess:
        await add_contact(sess, "500")
        await add_contact(sess, "501", topics=["lua_dao"])
    clock.now = NIGHT
    cid = await approved_campaign(sm, campaigns)
    worker = make_worker(sm, tg, campaigns, settings)
    await worker.run_once()
    assert fake_telegram.sent() == []
    assert await _status(sm, cid) == "scheduled"
    async with sm.begin() as sess:
        alert = await campaigns.create_draft(
            sess, VOLUNTEER, unit=UNIT, title="Cảnh báo", topics=["lua_dao"],
            template="⚠️ Cảnh báo lừa đảo qua điện thoại.",
        )  # fmt: skip
        await campaigns.emergency_send(sess, ADMIN, alert.id, "đang có nhiều vụ lừa")
    await worker.run_once()
    assert per_chat(fake_telegram) == {501: 1}  # the emergency goes out at night
    clock.now = DAY.replace(day=DAY.day + 1)
    await worker.run_once()
    assert per_chat(fake_telegram) == {500: 1, 501: 1}
    assert await _status(sm, cid) == "sent"


async def test_quiet_hours_can_be_switched_off(
    sm: async_sessionmaker[AsyncSession],
    campaigns: CampaignService,
    settings: Settings,
    tg: TelegramChannel,
    fake_telegram: Any,
    clock: Clock,
) -> None:
    async with sm.begin() as sess:
        await add_contact(sess, "550")
    clock.now = NIGHT
    await approved_campaign(sm, campaigns)
    worker = make_worker(sm, tg, campaigns, settings, campaign_quiet_hours="off")
    await worker.run_once()
    assert per_chat(fake_telegram) == {550: 1}


async def test_long_text_parts_keep_the_per_chat_interval(
    sm: async_sessionmaker[AsyncSession],
    campaigns: CampaignService,
    settings: Settings,
    tg: TelegramChannel,
    fake_telegram: Any,
) -> None:
    fake_telegram.rate_limit(global_per_sec=30, per_chat_per_sec=1)
    async with sm.begin() as sess:
        await add_contact(sess, "600")
        await add_contact(sess, "601")
    text = ("Hướng dẫn nộp hồ sơ trực tuyến. " * 200).strip()  # two Telegram messages
    await approved_campaign(sm, campaigns, template=text)
    worker = make_worker(sm, tg, campaigns, settings, campaign_per_chat_interval=1.0)
    await worker.run_once()
    assert per_chat(fake_telegram) == {600: 2, 601: 2}
    assert fake_telegram.stats.rate_limited == 0  # the per-chat limit was never hit
    last = fake_telegram.sent(600)[-1]
    assert "reply_markup" in last and "reply_markup" not in fake_telegram.sent(600)[0]


class CrashingChannel:
    """Delivers through the real adapter, then 'dies' (hangs) after `crash_after` calls."""

    name = "telegram"

    def __init__(self, inner: TelegramChannel, crash_after: int) -> None:
        self.inner = inner
        self.unit = inner.unit
        self.crash_after = crash_after
        self.calls = 0
        self.crashed = asyncio.Event()

    def parse(self, payload: dict[str, Any]) -> list[Any]:
        return []

    async def acknowledge(self, payload: dict[str, Any]) -> None:
        return None

    async def send(self, user_id: str, reply: Reply) -> SendResult:
        self.calls += 1
        result = await self.inner.send(user_id, reply)  # the message reached Telegram …
        if self.calls >= self.crash_after:
            self.crashed.set()
            await asyncio.Event().wait()  # … but the process dies before recording it
        return result


@pytest.mark.parametrize("resend", [True, False])
async def test_resume_after_crash_without_duplicates_beyond_inflight(
    sm: async_sessionmaker[AsyncSession],
    campaigns: CampaignService,
    settings: Settings,
    tg: TelegramChannel,
    fake_telegram: Any,
    resend: bool,
) -> None:
    n = 12
    async with sm.begin() as sess:
        for i in range(n):
            await add_contact(sess, str(700 + i))
    cid = await approved_campaign(sm, campaigns)
    crashing = CrashingChannel(tg, crash_after=5)
    first = make_worker(sm, crashing, campaigns, settings, campaign_concurrency=1)
    run = asyncio.create_task(first.run_once())
    await crashing.crashed.wait()
    run.cancel()  # the crash: whatever was not committed is lost
    with pytest.raises(asyncio.CancelledError):
        await run
    async with sm() as sess:
        rows = (
            await sess.execute(
                select(CampaignOutbox.status).where(CampaignOutbox.campaign_id == cid)
            )
        ).scalars()
        statuses = list(rows)
    inflight = statuses.count("inflight")
    assert inflight == 1 and statuses.count("sent") == 4
    second = make_worker(sm, tg, campaigns, settings, campaign_resend_inflight=resend)
    assert await second.recover() == inflight
    await second.run_once()
    counts = per_chat(fake_telegram)
    duplicated = sum(c - 1 for c in counts.values())
    assert set(counts) == {700 + i for i in range(n)}  # nobody lost
    assert duplicated == (inflight if resend else 0)
    assert await _status(sm, cid) == "sent"


async def test_link_buttons_go_through_the_tracked_redirect_like_links_in_the_text(
    sm: async_sessionmaker[AsyncSession],
    campaigns: CampaignService,
    settings: Settings,
    tg: TelegramChannel,
    fake_telegram: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target, other = "https://dichvucong.gov.vn/khai-sinh", "https://binhminh.gov.vn/lich"
    stock = campaigns.buttons

    def with_links(unit: Any) -> tuple[Button, ...]:
        return (Button.link("Nộp hồ sơ", target), Button.link("Lịch", other), *stock(unit))

    monkeypatch.setattr(campaigns, "buttons", with_links)
    async with sm.begin() as sess:
        await add_contact(sess, "300")
    cid = await approved_campaign(sm, campaigns, template=f"Nộp hồ sơ tại {target}.")
    public = "https://loaxa.example"
    await make_worker(sm, tg, campaigns, settings, public_url=public).run_once()
    [message] = fake_telegram.sent(300)
    urls = [
        b["url"] for row in message["reply_markup"]["inline_keyboard"] for b in row if "url" in b
    ]
    assert len(urls) == 2 and all(u.startswith(f"{public}/r/") for u in urls)
    assert urls[0] in message["text"] and target not in message["text"]  # one token per target
    async with sm() as sess:
        stored = [await links.target_of(sess, u.rsplit("/", 1)[1]) for u in urls]
    assert [(s.target, s.campaign_id, s.channel) for s in stored if s] == [
        (target, cid, "telegram"),
        (other, cid, "telegram"),
    ]
