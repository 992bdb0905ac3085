"""The staff Telegram group against the fake Bot API: posts, take, answer by reply, reject,
reminders, and the guards (other groups, forged payloads)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import build_app
from bot.db import queries
from bot.db.models_pakn import Pakn, PaknEvent
from bot.keys import pipeline_key, services_key, sessionmaker_key
from bot.pakn import staff_group
from bot.pakn.draft import Draft
from tests.conversations.drivers import TG_SECRET
from tests.fakes import make_user

UNIT = "xa-binh-minh"
STAFF_CHAT = -1005550001
CITIZEN = 9001
LAN = make_user(777, "Lan")


@pytest.fixture
async def tg(settings, services, aiohttp_client, fake_telegram):  # type: ignore[no-untyped-def]
    tg_settings = type(settings)(
        **{
            **settings.__dict__,
            "telegram_bot_token": fake_telegram.token,
            "telegram_api_url": fake_telegram.base_url,
            "telegram_webhook_secret": TG_SECRET,
            "telegram_staff_chat_id": str(STAFF_CHAT),
            "web_chat": "off",
        }
    )
    services.settings = tg_settings
    client = await aiohttp_client(build_app(tg_settings, services=services, environ={}))
    yield client, fake_telegram
    services.staff_chats = {}


async def submit(client: Any, content: str, key: str) -> Pakn:
    services = client.app[services_key]
    now = services.clock()
    async with client.app[sessionmaker_key].begin() as sess:
        contact = await queries.get_or_create_contact(
            sess, unit=UNIT, channel="telegram", external_id=str(CITIZEN), now=now
        )
        await sess.flush()
        draft = Draft(
            category="khac", content=content, sender_name="Nguyễn Văn Bình", phone="+84912345678"
        )
        result = await services.pakn.submit(
            sess,
            unit=UNIT,
            channel="telegram",
            draft=draft,
            contact_id=contact.id,
            idempotency_key=key,
            now=now,
        )
        pakn = result.pakn
    await client.app[pipeline_key].deliver()
    return pakn


async def push(client: Any, fake: Any, update: dict[str, Any]) -> None:
    url = str(client.make_url(f"/webhooks/telegram/{UNIT}"))
    assert await fake.push_update(update, url=url, secret=TG_SECRET) == 200
    await client.app[pipeline_key].process_pending()


def reply_update(
    fake: Any, text: str, to_message_id: int, user: dict[str, Any] = LAN
) -> dict[str, Any]:
    update = fake.make_text_update(STAFF_CHAT, text, user=user)
    update["message"]["reply_to_message"] = {
        "message_id": to_message_id,
        "chat": fake.chat(STAFF_CHAT),
        "date": 0,
        "text": "…",
    }
    return update


async def state_of(client: Any, pakn_id: int) -> Pakn:
    async with client.app[sessionmaker_key]() as sess:
        pakn = await sess.get(Pakn, pakn_id)
        assert pakn is not None
        return pakn


def button(message: dict[str, Any], label: str) -> str:
    for row in message["reply_markup"]["inline_keyboard"]:
        for b in row:
            if label in b["text"]:
                return str(b["callback_data"])
    raise AssertionError(f"no button {label}")


async def test_new_pakn_is_posted_taken_and_answered_by_reply(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    pakn = await submit(client, "Đèn đường ở ấp 3 bị hỏng hơn một tuần, tối rất nguy hiểm.", "k1")
    [card] = fake.sent(STAFF_CHAT)
    assert pakn.code in card["text"] and "Đèn đường ở ấp 3" in card["text"]
    assert "0912 *** 678" in card["text"] and "+84912345678" not in card["text"]

    take = fake.make_callback_update(
        STAFF_CHAT, button(card, "Nhận xử lý"), card["message_id"], user=LAN
    )
    await push(client, fake, take)
    assert (await state_of(client, pakn.id)).state == "in_progress"
    assert "Lan đã nhận xử lý" in fake.sent(STAFF_CHAT)[-1]["text"]

    answer = "Đã thay bóng đèn đường ở ấp 3 hôm nay. Cảm ơn ông/bà đã phản ánh."
    await push(client, fake, reply_update(fake, answer, card["message_id"]))
    done = await state_of(client, pakn.id)
    assert done.state == "answered" and done.answer == answer
    assert "Đã gửi câu trả lời" in fake.sent(STAFF_CHAT)[-1]["text"]
    await client.app[pipeline_key].deliver()
    citizen = fake.sent(CITIZEN)
    assert any(answer in m["text"] for m in citizen), [m["text"] for m in citizen]
    async with client.app[sessionmaker_key]() as sess:
        events = (
            await sess.execute(select(PaknEvent).where(PaknEvent.pakn_id == pakn.id))
        ).scalars()
        trail = [(e.to_state, e.actor) for e in events]
    assert ("in_progress", "tg:777") in trail and ("answered", "tg:777") in trail


async def test_reject_needs_a_reply_with_the_reason(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    pakn = await submit(
        client, "Tôi muốn phản ánh việc hàng xóm nuôi chó thả rông ngoài đường.", "k2"
    )
    [card] = fake.sent(STAFF_CHAT)
    press = fake.make_callback_update(
        STAFF_CHAT, button(card, "Từ chối"), card["message_id"], user=LAN
    )
    await push(client, fake, press)
    prompt = fake.sent(STAFF_CHAT)[-1]
    assert "lý do từ chối" in prompt["text"]
    assert (await state_of(client, pakn.id)).state == "new"  # nothing happens before the reason
    reason = "Nội dung không thuộc quy định hành chính; đề nghị liên hệ Trưởng ấp."
    await push(client, fake, reply_update(fake, reason, prompt["message_id"]))
    rejected = await state_of(client, pakn.id)
    assert rejected.state == "rejected" and rejected.reject_reason == reason
    await client.app[pipeline_key].deliver()
    assert any(reason in m["text"] for m in fake.sent(CITIZEN))


async def test_other_groups_and_forged_payloads_change_nothing(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    pakn = await submit(
        client, "Hồ sơ đăng ký kết hôn của tôi nộp đã quá hạn mà chưa có kết quả.", "k3"
    )
    other = fake.make_text_update(-1009999, "/ds", user=LAN)
    await push(client, fake, other)
    assert fake.sent(-1009999) == []
    forged = fake.make_callback_update(CITIZEN, f"staff:take:{pakn.id}", 1)
    await push(client, fake, forged)
    assert (await state_of(client, pakn.id)).state == "new"
    chatter = fake.make_text_update(STAFF_CHAT, "Chào cả nhà", user=LAN)
    before = len(fake.sent(STAFF_CHAT))
    await push(client, fake, chatter)
    assert len(fake.sent(STAFF_CHAT)) == before  # the bot stays quiet


async def test_overdue_reminder_and_list(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    pakn = await submit(
        client, "Đường liên ấp bị sạt lở một đoạn dài, xe máy đi rất nguy hiểm.", "k4"
    )
    services = client.app[services_key]
    later = services.clock() + dt.timedelta(days=40)
    async with client.app[sessionmaker_key].begin() as sess:
        assert await staff_group.post_alerts(sess, services, later) == 1
    async with client.app[sessionmaker_key].begin() as sess:
        assert await staff_group.post_alerts(sess, services, later) == 0  # once per change
    pipeline = client.app[pipeline_key]
    pipeline.clock = lambda: later
    await pipeline.deliver()
    assert "QUÁ HẠN" in fake.sent(STAFF_CHAT)[-1]["text"]
    assert pakn.code in fake.sent(STAFF_CHAT)[-1]["text"]
    await push(client, fake, fake.make_text_update(STAFF_CHAT, "/ds", user=LAN))
    listing = fake.sent(STAFF_CHAT)[-1]["text"]
    assert "Đang mở 1 phản ánh" in listing and pakn.code in listing


async def test_operational_alerts_reach_the_staff_group(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    services = client.app[services_key]
    sent = await staff_group.notify_staff(
        client.app[sessionmaker_key],
        services,
        UNIT,
        "Zalo OA: không làm mới được mã.",
        services.clock(),
    )
    assert sent
    await client.app[pipeline_key].deliver()
    assert "⚠️ Zalo OA: không làm mới được mã." in fake.sent(STAFF_CHAT)[-1]["text"]
    other = await staff_group.notify_staff(
        client.app[sessionmaker_key], services, "phuong-phuoc-tan", "x", services.clock()
    )
    assert other is False  # no staff group configured for that unit: nothing queued


async def test_a_question_handed_to_staff_is_answered_by_reply(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    await push(client, fake, fake.make_text_update(CITIZEN, "thời tiết hôm nay thế nào"))
    fallback = fake.sent(CITIZEN)[-1]
    press = fake.make_callback_update(
        CITIZEN, button(fallback, "Nhờ cán bộ"), fallback["message_id"]
    )
    await push(client, fake, press)
    assert "Đã chuyển câu hỏi" in fake.sent(CITIZEN)[-1]["text"]
    post = fake.sent(STAFF_CHAT)[-1]
    assert "thời tiết hôm nay thế nào" in post["text"] and "❓" in post["text"]
    again = fake.make_callback_update(
        CITIZEN, button(fallback, "Nhờ cán bộ"), fallback["message_id"]
    )
    await push(client, fake, again)
    assert "đã được chuyển tới cán bộ rồi" in fake.sent(CITIZEN)[-1]["text"]
    assert fake.sent(STAFF_CHAT)[-1]["message_id"] == post["message_id"]  # posted once

    answer = "Xã không dự báo thời tiết; ông/bà xem bản tin của đài truyền thanh xã nhé."
    await push(client, fake, reply_update(fake, answer, post["message_id"]))
    await client.app[pipeline_key].deliver()
    reply = fake.sent(CITIZEN)[-1]["text"]
    assert "Cán bộ xã Bình Minh trả lời" in reply and answer in reply
    assert "Đã gửi câu trả lời cho người dân (Lan)" in fake.sent(STAFF_CHAT)[-1]["text"]


def labels_of(markup: dict[str, Any] | None) -> list[str]:
    return [b["text"] for row in (markup or {}).get("inline_keyboard", []) for b in row]


async def test_card_buttons_follow_the_action_prompts_force_a_reply_confirmations_thread(
    tg,
) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    pakn = await submit(client, "Cống thoát nước trước chợ bị tắc, mưa xuống là ngập.", "k9")
    [card] = fake.sent(STAFF_CHAT)
    assert any("Nhận xử lý" in label for label in labels_of(card["reply_markup"]))
    take = fake.make_callback_update(
        STAFF_CHAT, button(card, "Nhận xử lý"), card["message_id"], user=LAN
    )
    await push(client, fake, take)
    # The card keeps its text; only its buttons change (no second "Nhận xử lý").
    [edit] = fake.calls("editMessageReplyMarkup")
    assert edit["message_id"] == card["message_id"]
    assert not any("Nhận xử lý" in label for label in labels_of(edit["reply_markup"]))
    assert any("Trả lời" in label for label in labels_of(edit["reply_markup"]))
    confirm = fake.sent(STAFF_CHAT)[-1]
    assert "Lan đã nhận xử lý" in confirm["text"]
    assert confirm["reply_to_message"]["message_id"] == card["message_id"]  # threaded
    # A prompt asks for a reply (ForceReply), under the card.
    press = fake.make_callback_update(
        STAFF_CHAT, button(card, "Từ chối"), card["message_id"], user=LAN
    )
    await push(client, fake, press)
    prompt = fake.sent(STAFF_CHAT)[-1]
    assert prompt["reply_markup"]["force_reply"] is True
    assert prompt["reply_to_message"]["message_id"] == card["message_id"]
    reason = "Việc nạo vét cống do Công ty cấp thoát nước làm; xã đã báo công ty."
    staff_reply = reply_update(fake, reason, prompt["message_id"])
    await push(client, fake, staff_reply)
    assert (await state_of(client, pakn.id)).state == "rejected"
    done = fake.sent(STAFF_CHAT)[-1]
    assert done["reply_to_message"]["message_id"] == staff_reply["message"]["message_id"]
    last_edit = fake.calls("editMessageReplyMarkup")[-1]
    assert labels_of(last_edit.get("reply_markup")) == []  # nothing left to do on the card
