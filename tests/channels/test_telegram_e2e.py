"""End to end against the fake Telegram Bot API: webhook in, production PTB client out."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import build_app
from bot.db.models import Contact, InboxItem, Message
from bot.keys import pipeline_key, sessionmaker_key
from tests.conversations.drivers import TG_SECRET

UNIT = "xa-binh-minh"
CHAT = 7001


@pytest.fixture
async def tg(settings, services, aiohttp_client, fake_telegram):  # type: ignore[no-untyped-def]
    tg_settings = type(settings)(
        **{
            **settings.__dict__,
            "telegram_bot_token": fake_telegram.token,
            "telegram_api_url": fake_telegram.base_url,
            "telegram_webhook_secret": TG_SECRET,
            "web_chat": "off",
        }
    )
    services.settings = tg_settings
    client = await aiohttp_client(build_app(tg_settings, services=services, environ={}))
    return client, fake_telegram


async def _push(
    client: Any, fake: Any, update: dict[str, Any], secret: str | None = TG_SECRET
) -> int:
    url = str(client.make_url(f"/webhooks/telegram/{UNIT}"))
    return int(await fake.push_update(update, url=url, secret=secret))


async def _count(client: Any, model: Any) -> int:
    async with client.app[sessionmaker_key]() as sess:
        return int((await sess.execute(select(func.count()).select_from(model))).scalar_one())


async def test_start_then_press_a_menu_button(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    assert await _push(client, fake, fake.make_text_update(CHAT, "/start")) == 200
    await client.app[pipeline_key].process_pending()
    [welcome] = await fake.wait_for_messages(CHAT, 1)
    assert "UBND xã Bình Minh" in welcome["text"]
    keyboard = [b for row in welcome["reply_markup"]["inline_keyboard"] for b in row]
    ask = next(b for b in keyboard if "Hỏi về thủ tục" in b["text"])
    portal = next(b for b in keyboard if "Cổng Dịch vụ công" in b["text"])
    assert portal["url"] == "https://dichvucong.gov.vn"
    assert "(0251) 1022" in welcome["text"]  # no call buttons on Telegram: the number is in text

    press = fake.make_callback_update(CHAT, ask["callback_data"], welcome["message_id"])
    assert await _push(client, fake, press) == 200
    await client.app[pipeline_key].process_pending()
    messages = await fake.wait_for_messages(CHAT, 2)
    assert "gõ câu hỏi" in messages[1]["text"]
    assert fake.calls("answerCallbackQuery"), "the button spinner must be stopped"


@pytest.mark.parametrize(
    ("secret", "status"), [(None, 401), ("wrong-secret-0123456789", 403), ("", 403)]
)
async def test_forged_webhook_is_rejected_and_nothing_stored(tg, secret, status) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    update = fake.make_text_update(CHAT, "xin chào")
    url = str(client.make_url(f"/webhooks/telegram/{UNIT}"))
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    resp = await client.session.post(url, json=update, headers=headers)
    assert resp.status == status
    assert await _count(client, InboxItem) == 0
    assert await _count(client, Contact) == 0


async def test_malformed_and_unknown_unit(tg) -> None:  # type: ignore[no-untyped-def]
    client, _ = tg
    headers = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}
    bad = await client.post(f"/webhooks/telegram/{UNIT}", data=b"{not json", headers=headers)
    assert bad.status == 400
    not_update = await client.post(f"/webhooks/telegram/{UNIT}", json=[1, 2], headers=headers)
    assert not_update.status == 400
    unknown = await client.post(
        "/webhooks/telegram/xa-khong-co", json={"update_id": 1}, headers=headers
    )
    assert unknown.status == 404
    assert await _count(client, InboxItem) == 0


async def test_redelivered_update_is_processed_once(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    update = fake.make_text_update(CHAT, "xin chào")
    assert await _push(client, fake, update) == 200
    assert await _push(client, fake, update) == 200  # Telegram retries: still 200
    await client.app[pipeline_key].process_pending()
    await client.app[pipeline_key].process_pending()
    assert len(fake.sent(CHAT)) == 1
    assert await _count(client, InboxItem) == 1


async def test_update_stored_before_200_survives_until_processed(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    assert await _push(client, fake, fake.make_text_update(CHAT, "menu")) == 200
    async with client.app[sessionmaker_key]() as sess:
        item = (await sess.execute(select(InboxItem))).scalar_one()
        assert item.processed_at is None  # stored, not yet processed: a crash here loses nothing
    await client.app[pipeline_key].process_pending()
    async with client.app[sessionmaker_key]() as sess:
        item = (await sess.execute(select(InboxItem))).scalar_one()
        assert item.processed_at is not None


async def test_429_is_retried_after_retry_after(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    fake.fail_next("sendMessage", error_code=429, retry_after=7)
    await _push(client, fake, fake.make_text_update(CHAT, "menu"))
    pipeline = client.app[pipeline_key]
    await pipeline.process_pending()
    assert fake.sent(CHAT) == []
    async with client.app[sessionmaker_key]() as sess:
        msg = (await sess.execute(select(Message).where(Message.direction == "out"))).scalar_one()
    assert msg.status == "pending"
    assert msg.next_attempt_at is not None
    wait = (msg.next_attempt_at - dt.datetime.now(dt.UTC)).total_seconds()
    assert 5 < wait <= 7.5
    pipeline.clock = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(seconds=8)
    assert await pipeline.deliver() == 1
    assert len(fake.sent(CHAT)) == 1


async def test_403_marks_the_contact_blocked(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    fake.block_user(CHAT)
    await _push(client, fake, fake.make_text_update(CHAT, "menu"))
    await client.app[pipeline_key].process_pending()
    async with client.app[sessionmaker_key]() as sess:
        contact = (await sess.execute(select(Contact))).scalar_one()
        msg = (await sess.execute(select(Message).where(Message.direction == "out"))).scalar_one()
    assert contact.blocked is True
    assert msg.status == "blocked"


async def test_long_reply_is_split_under_4096(tg) -> None:  # type: ignore[no-untyped-def]
    from bot.channels.telegram import TelegramChannel
    from bot.core.messages import Button, Reply

    client, fake = tg
    channel = client.app[pipeline_key].channels.get(UNIT, "telegram")
    assert isinstance(channel, TelegramChannel)
    text = "\n\n".join(f"Đoạn {i}: " + "chữ " * 200 for i in range(12))
    result = await channel.send(str(CHAT), Reply(text, (Button.reply("Menu", "menu"),)))
    assert result.outcome == "sent"
    sent = fake.sent(CHAT)
    assert len(sent) > 1
    assert all(len(m["text"]) <= 4096 for m in sent)
    assert "reply_markup" in sent[-1] and "reply_markup" not in sent[0]
    assert "".join(m["text"] for m in sent).replace("\n", "").replace(" ", "") == text.replace(
        "\n", ""
    ).replace(" ", "")


async def test_healthz_reports_database_and_telegram(tg) -> None:  # type: ignore[no-untyped-def]
    client, _ = tg
    resp = await client.get("/healthz")
    body = await resp.json()
    assert resp.status == 200
    assert body["database"]["ok"] is True
    assert body["channels"][UNIT]["telegram"]["state"] == "ok"


async def test_a_big_chunked_update_is_refused_while_reading(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    update = fake.make_text_update(CHAT, "x" * (2 * 1024 * 1024))
    raw = json.dumps(update).encode()

    async def chunks() -> Any:  # no Content-Length: the size is known only by reading
        for start in range(0, len(raw), 64 * 1024):
            yield raw[start : start + 64 * 1024]

    headers = {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET, "Content-Type": "application/json"}
    resp = await client.post(f"/webhooks/telegram/{UNIT}", data=chunks(), headers=headers)
    assert resp.status == 413
    assert await _count(client, InboxItem) == 0


@pytest.mark.parametrize("poison", ["\x00", "\ud83d"], ids=["nul", "lone-surrogate"])
async def test_a_poison_character_in_an_update_still_gets_an_answer(tg, poison) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    update = fake.make_text_update(CHAT, f"xin{poison} chào")  # sent as \\u0000 / \\ud83d
    assert await _push(client, fake, update) == 200
    await client.app[pipeline_key].process_pending()
    [welcome] = await fake.wait_for_messages(CHAT, 1)
    assert "UBND xã Bình Minh" in welcome["text"]
    async with client.app[sessionmaker_key]() as sess:
        item = (await sess.execute(select(InboxItem))).scalar_one()
    assert item.processed_at is not None and item.error is None


async def test_command_menu_is_set_and_help_answers(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    commands = {c["command"] for c in fake.commands}
    assert {"menu", "help", "pakn", "tracuu", "stop"} <= commands
    assert all(c["description"] for c in fake.commands)
    for text in ("/help", "/help@LoaXaBot"):
        assert await _push(client, fake, fake.make_text_update(CHAT, text)) == 200
    await client.app[pipeline_key].process_pending()
    replies = await fake.wait_for_messages(CHAT, 2)
    for reply in replies:
        assert "Tôi có thể" in reply["text"]
        assert "chưa có câu trả lời chắc chắn" not in reply["text"]


async def test_a_subscription_toggle_edits_the_topics_message(tg) -> None:  # type: ignore[no-untyped-def]
    """Each toggle replaces the topics screen in place: no new message per press."""
    client, fake = tg
    assert await _push(client, fake, fake.make_text_update(CHAT, "đăng ký nhận tin")) == 200
    await client.app[pipeline_key].process_pending()
    [screen] = await fake.wait_for_messages(CHAT, 1)
    toggles = [b for row in screen["reply_markup"]["inline_keyboard"] for b in row]
    first = next(b for b in toggles if b["callback_data"].startswith("sub:t:"))
    assert first["text"].startswith("⬜")

    press = fake.make_callback_update(CHAT, first["callback_data"], screen["message_id"])
    assert await _push(client, fake, press) == 200
    await client.app[pipeline_key].process_pending()
    [edit] = fake.calls("editMessageText")
    assert edit["message_id"] == screen["message_id"]
    assert edit["text"].startswith("✅ Đã chọn:")
    pressed = [b for row in edit["reply_markup"]["inline_keyboard"] for b in row]
    assert next(b for b in pressed if b["callback_data"] == first["callback_data"])[
        "text"
    ].startswith("✅")
    assert not [m for m in fake.sent(CHAT) if "edit_date" not in m][1:], "no second message"


async def test_a_toggle_on_a_message_that_cannot_be_edited_is_sent_anew(tg) -> None:  # type: ignore[no-untyped-def]
    """The topics message was deleted (or is unknown): the refreshed screen still arrives."""
    client, fake = tg
    press = fake.make_callback_update(CHAT, "sub:t:thu_tuc_moi", 987654)
    assert await _push(client, fake, press) == 200
    await client.app[pipeline_key].process_pending()
    [screen] = [m for m in await fake.wait_for_messages(CHAT, 1) if "edit_date" not in m]
    assert screen["text"].startswith("✅ Đã chọn:")
