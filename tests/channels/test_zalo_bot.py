"""Zalo Bot Platform: secret check, numbered menus, polling with getUpdates, send errors."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import build_app
from bot.channels import zalo_runtime
from bot.channels.zalo_bot import CHOICE_KEY, ZaloBotChannel, unwrap, update_id
from bot.core.messages import Button, Reply
from bot.db.models import InboxItem
from bot.db.models_zalo import ZaloBotMenu
from bot.keys import pipeline_key, sessionmaker_key
from tests.conversations.drivers_zalo import ZALOBOT_SECRET, zalo_settings

UNIT = "xa-binh-minh"
CHAT = "e4ea2cd5189df1c3a88c"


@pytest.fixture
async def zb(settings, services, aiohttp_client, fake_zalo):  # type: ignore[no-untyped-def]
    zs = zalo_settings(settings, fake_zalo)
    services.settings = zs
    client = await aiohttp_client(build_app(zs, services=services, environ={}))
    channel = client.app[pipeline_key].channels.get(UNIT, "zalobot")
    assert isinstance(channel, ZaloBotChannel)
    return client, fake_zalo.bot, channel


async def _count(client: Any, model: Any) -> int:
    async with client.app[sessionmaker_key]() as sess:
        return int((await sess.execute(select(func.count()).select_from(model))).scalar_one())


async def _say(client: Any, fake: Any, text: str) -> list[str]:
    before = len(fake.sent(CHAT))
    url = str(client.make_url(f"/webhooks/zalobot/{UNIT}"))
    assert await fake.push_update(url, fake.make_update(CHAT, text), ZALOBOT_SECRET) == 200
    await client.app[pipeline_key].process_pending()
    return [m["text"] for m in fake.sent(CHAT)[before:]]


@pytest.mark.parametrize(
    ("secret", "status"), [(None, 401), ("wrong-secret-0000", 403), ("", 403)]
)
async def test_webhook_secret_is_checked_and_nothing_stored(zb, secret, status) -> None:  # type: ignore[no-untyped-def]
    client, fake, _ = zb
    url = str(client.make_url(f"/webhooks/zalobot/{UNIT}"))
    assert await fake.push_update(url, fake.make_update(CHAT, "xin chào"), secret) == status
    assert await _count(client, InboxItem) == 0


async def test_malformed_and_unknown_unit(zb) -> None:  # type: ignore[no-untyped-def]
    client, fake, _ = zb
    headers = {"X-Bot-Api-Secret-Token": ZALOBOT_SECRET}
    assert (
        await client.post(f"/webhooks/zalobot/{UNIT}", data=b"{", headers=headers)
    ).status == 400
    assert (
        await client.post(f"/webhooks/zalobot/{UNIT}", json={"x": 1}, headers=headers)
    ).status == 400
    url = str(client.make_url("/webhooks/zalobot/xa-khong-co"))
    assert await fake.push_update(url, fake.make_update(CHAT, "hi"), ZALOBOT_SECRET) == 404
    assert await _count(client, InboxItem) == 0


def test_updates_are_unwrapped_in_both_shapes() -> None:
    update = {"event_name": "message.text.received", "message": {"message_id": "a1", "text": "x"}}
    assert unwrap({"ok": True, "result": update}) == [update]
    assert unwrap(update) == [update]
    assert unwrap({"ok": True, "result": [update, update]}) == [update, update]
    assert unwrap({"ok": True, "result": {}}) == []
    assert update_id(update) == "m:a1"


def test_buttons_render_as_a_numbered_menu() -> None:
    reply = Reply(
        "Chọn:",
        (
            Button.reply("Hỏi", "ask"),
            Button.link("Cổng", "https://dichvucong.gov.vn"),
            Button.call("Gọi (0251) 1022", "02511022"),
            Button.reply("Phản ánh", "pakn"),
        ),
    )
    [text], payloads = ZaloBotChannel.render(reply)
    assert payloads == ["ask", "pakn"]
    lines = text.splitlines()
    assert lines[:4] == ["Chọn:", "", "1. Hỏi", "2. Phản ánh"]
    assert "Cổng: https://dichvucong.gov.vn" in lines and "Gọi (0251) 1022" in lines
    long_texts, _ = ZaloBotChannel.render(Reply("chữ " * 1500))
    assert len(long_texts) == 3 and all(len(t) <= 2000 for t in long_texts)


async def test_numbered_menu_round_trip(zb) -> None:  # type: ignore[no-untyped-def]
    client, fake, _ = zb
    [welcome] = await _say(client, fake, "xin chào")
    assert "1. ❓ Hỏi về thủ tục" in welcome
    async with client.app[sessionmaker_key]() as sess:
        menu = await sess.get(ZaloBotMenu, (UNIT, CHAT))
    assert menu is not None and menu.payloads[:2] == ["ask", "pakn"]
    [answer] = await _say(client, fake, "1")  # "1" = Hỏi về thủ tục
    assert "gõ câu hỏi" in answer
    async with client.app[sessionmaker_key]() as sess:
        stored = (await sess.execute(select(InboxItem).order_by(InboxItem.id.desc()))).scalars()
        assert next(iter(stored)).payload[CHOICE_KEY] == "ask"
        menu = await sess.get(ZaloBotMenu, (UNIT, CHAT), populate_existing=True)
    # The answer's own menu (the groups to browse, then the menu) replaced it.
    assert menu is not None and menu.payloads[0] == "ask:l:khai_sinh:0"
    assert menu.payloads[-1] == "menu"
    assert "1. Khai sinh, khai tử, giám hộ" in answer and "☰ Về menu chính" in answer


async def test_a_reply_without_buttons_clears_the_menu(zb) -> None:  # type: ignore[no-untyped-def]
    client, fake, channel = zb
    await _say(client, fake, "xin chào")
    assert (await channel.resolve_choice(fake.make_update(CHAT, "2")))[CHOICE_KEY] == "pakn"
    assert (await channel.send(CHAT, Reply("Ông/bà có mấy người con?"))).outcome == "sent"
    assert CHOICE_KEY not in await channel.resolve_choice(fake.make_update(CHAT, "2"))


async def test_number_outside_the_menu_is_plain_text(zb) -> None:  # type: ignore[no-untyped-def]
    client, fake, channel = zb
    await _say(client, fake, "xin chào")
    update = fake.make_update(CHAT, "9")
    assert CHOICE_KEY not in await channel.resolve_choice(update)
    assert (await channel.resolve_choice(fake.make_update(CHAT, "2")))[CHOICE_KEY] == "pakn"


async def test_polling_stores_updates_and_replies(
    settings, services, aiohttp_client, fake_zalo
) -> None:  # type: ignore[no-untyped-def]
    zs = zalo_settings(settings, fake_zalo, zalo_bot_webhook_secret="", zalo_app_id="")
    services.settings = zs
    client = await aiohttp_client(build_app(zs, services=services, environ={}))
    fake = fake_zalo.bot
    channel = client.app[pipeline_key].channels.get(UNIT, "zalobot")
    fake.queue_update(fake.make_update(CHAT, "xin chào"))
    assert await zalo_runtime.poll_once(client.app, channel, wait=1) == 1
    assert await zalo_runtime.poll_once(client.app, channel, wait=0) == 0  # 408: nothing new
    await client.app[pipeline_key].process_pending()
    assert "1. ❓ Hỏi về thủ tục" in fake.sent(CHAT)[0]["text"]
    fake.queue_update(fake.make_update(CHAT, "2"))
    assert await zalo_runtime.poll_once(client.app, channel, wait=1) == 1
    await client.app[pipeline_key].process_pending()
    assert len(fake.sent(CHAT)) == 2
    async with client.app[sessionmaker_key]() as sess:
        items = list((await sess.execute(select(InboxItem).order_by(InboxItem.id))).scalars())
    assert [i.payload.get(CHOICE_KEY) for i in items] == [None, "pakn"]


@pytest.mark.parametrize(
    ("code", "outcome"), [(429, "retry"), (500, "retry"), (403, "blocked"), (400, "failed")]
)
async def test_send_errors_map_to_outcomes(zb, code, outcome) -> None:  # type: ignore[no-untyped-def]
    _, fake, channel = zb
    fake.fail_next("sendMessage", code)
    assert (await channel.send(CHAT, Reply("Xin chào"))).outcome == outcome
