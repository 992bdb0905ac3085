"""`/nhap <text>` (or /draft) in the unit's staff Telegram group creates a campaign draft with the
group member as author, and answers with the draft's number and console link."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import build_app
from bot.db.models_campaigns import Campaign, CampaignEvent
from bot.db.models_console import AuditEntry
from bot.keys import pipeline_key, sessionmaker_key
from tests.conversations.drivers import TG_SECRET
from tests.fakes import make_user

UNIT = "xa-binh-minh"
STAFF_CHAT = -1005550001
LAN = make_user(777, "Lan")
TEXT = "Từ 01/02, {{ unit.name }} nhận hồ sơ khai sinh trực tuyến.\nGọi {{ unit.hotline }}."


async def _client(
    settings: Any, services: Any, aiohttp_client: Any, fake: Any, **extra: Any
) -> Any:
    tg_settings = dataclasses.replace(
        settings,
        telegram_bot_token=fake.token,
        telegram_api_url=fake.base_url,
        telegram_webhook_secret=TG_SECRET,
        telegram_staff_chat_id=str(STAFF_CHAT),
        web_chat="off",
        **extra,
    )
    services.settings = tg_settings
    return await aiohttp_client(build_app(tg_settings, services=services, environ={}))


@pytest.fixture
async def tg(settings, services, aiohttp_client, fake_telegram) -> AsyncIterator[Any]:  # type: ignore[no-untyped-def]
    yield await _client(settings, services, aiohttp_client, fake_telegram), fake_telegram
    services.staff_chats = {}


async def push(client: Any, fake: Any, chat: int, text: str) -> None:
    url = str(client.make_url(f"/webhooks/telegram/{UNIT}"))
    update = fake.make_text_update(chat, text, user=LAN)
    assert await fake.push_update(update, url=url, secret=TG_SECRET) == 200
    await client.app[pipeline_key].process_pending()


async def drafts(client: Any) -> list[Campaign]:
    async with client.app[sessionmaker_key]() as sess:
        return list((await sess.execute(select(Campaign).order_by(Campaign.id))).scalars())


async def test_nhap_creates_a_draft_authored_by_the_member(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    await push(client, fake, STAFF_CHAT, f"/nhap {TEXT}")
    [draft] = await drafts(client)
    assert draft.status == "draft" and draft.unit == UNIT
    assert draft.author == "tg:777" and draft.template == TEXT
    assert draft.title == "Từ 01/02, {{ unit.name }} nhận hồ sơ khai sinh trực tuyến."
    assert draft.topics  # guessed from the text; the console lets staff change them
    async with client.app[sessionmaker_key]() as sess:
        [event] = (await sess.execute(select(CampaignEvent))).scalars()
        audit = (await sess.execute(select(AuditEntry))).scalars().all()
    assert (event.actor, event.role, event.to_status) == ("tg:777", "staff", "draft")
    assert [(a.action, a.target, a.actor) for a in audit] == [
        ("campaign.create", f"campaign:{draft.id}", "tg:777")
    ]
    reply = fake.sent(STAFF_CHAT)[-1]["text"]
    assert f"số {draft.id}" in reply and "Lan" in reply
    assert "/console/campaigns/" not in reply  # no PUBLIC_URL: no link, the menu is named
    assert "Chiến dịch" in reply


async def test_draft_alias_with_bot_name_and_console_link(
    settings: Any, services: Any, aiohttp_client: Any, fake_telegram: Any
) -> None:
    client = await _client(
        settings, services, aiohttp_client, fake_telegram, public_url="https://loaxa.example.vn"
    )
    try:
        await push(client, fake_telegram, STAFF_CHAT, "/draft@LoaXaBot Lịch tiếp công dân tháng 3")
    finally:
        services.staff_chats = {}
    [draft] = await drafts(client)
    assert draft.template == "Lịch tiếp công dân tháng 3"
    reply = fake_telegram.sent(STAFF_CHAT)[-1]["text"]
    assert f"https://loaxa.example.vn/console/campaigns/{draft.id}" in reply


async def test_without_text_the_usage_is_shown_and_nothing_created(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    await push(client, fake, STAFF_CHAT, "/nhap   ")
    assert await drafts(client) == []
    assert "/nhap <nội dung tin>" in fake.sent(STAFF_CHAT)[-1]["text"]


async def test_other_groups_and_private_chats_create_nothing(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    await push(client, fake, -1009999, f"/nhap {TEXT}")  # a group that is not the staff group
    await push(client, fake, 9001, f"/nhap {TEXT}")  # a citizen's private chat
    assert await drafts(client) == []
    assert fake.sent(-1009999) == []
