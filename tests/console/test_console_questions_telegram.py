"""A question handed to staff from Telegram, with a staff group: one record for both places.
Answered in the console → reaches the citizen on the (fake) Telegram and the group can no
longer answer it twice; answered in the group → it leaves the console's inbox."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from bot.app import build_app
from bot.keys import pipeline_key
from tests.console.helpers import csrf_of, signed_in, soup
from tests.conversations.drivers import TG_SECRET
from tests.fakes import make_user

UNIT = "xa-binh-minh"
STAFF_CHAT = -1005550001
CITIZEN = 9001
LAN = make_user(777, "Lan")
QUESTION = "thời tiết hôm nay thế nào"
ANSWER = "Xã không dự báo thời tiết; ông/bà xem bản tin của đài truyền thanh xã nhé."


@pytest.fixture
async def tg(settings, console_services, aiohttp_client, fake_telegram):  # type: ignore[no-untyped-def]
    tg_settings = dataclasses.replace(
        settings,
        telegram_bot_token=fake_telegram.token,
        telegram_api_url=fake_telegram.base_url,
        telegram_webhook_secret=TG_SECRET,
        telegram_staff_chat_id=str(STAFF_CHAT),
        web_chat="off",
    )
    console_services.settings = tg_settings
    client = await aiohttp_client(build_app(tg_settings, services=console_services, environ={}))
    yield client, fake_telegram
    console_services.staff_chats = {}


async def push(client: Any, fake: Any, update: dict[str, Any]) -> None:
    url = str(client.make_url(f"/webhooks/telegram/{UNIT}"))
    assert await fake.push_update(update, url=url, secret=TG_SECRET) == 200
    await client.app[pipeline_key].process_pending()


def button(message: dict[str, Any], label: str) -> str:
    for row in message["reply_markup"]["inline_keyboard"]:
        for b in row:
            if label in b["text"]:
                return str(b["callback_data"])
    raise AssertionError(f"no button {label}")


def group_reply(fake: Any, text: str, to_message_id: int) -> dict[str, Any]:
    update = fake.make_text_update(STAFF_CHAT, text, user=LAN)
    update["message"]["reply_to_message"] = {
        "message_id": to_message_id,
        "chat": fake.chat(STAFF_CHAT),
        "date": 0,
        "text": "…",
    }
    return update


async def hand_off(client: Any, fake: Any) -> dict[str, Any]:
    await push(client, fake, fake.make_text_update(CITIZEN, QUESTION))
    fallback = fake.sent(CITIZEN)[-1]
    press = fake.make_callback_update(
        CITIZEN, button(fallback, "Nhờ cán bộ"), fallback["message_id"]
    )
    await push(client, fake, press)
    post = fake.sent(STAFF_CHAT)[-1]
    assert QUESTION in post["text"]
    return post


async def question_link(client: Any) -> str:
    html = await (await client.get("/console/questions/")).text()
    link = soup(html).select_one(".question-list a")
    assert link is not None, "the question is not in the inbox"
    return str(link["href"])


async def test_console_answer_reaches_telegram_and_the_group_cannot_answer_twice(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    post = await hand_off(client, fake)
    await signed_in(client, "lan")
    href = await question_link(client)
    page = await (await client.get(href)).text()
    resp = await client.post(
        f"{href}/answer", data={"_csrf": csrf_of(page), "text": ANSWER}, allow_redirects=False
    )
    assert resp.status == 302
    reply = fake.sent(CITIZEN)[-1]["text"]
    assert ANSWER in reply and "Cán bộ xã Bình Minh trả lời" in reply
    note = fake.sent(STAFF_CHAT)[-1]
    assert "đã được trả lời trên trang quản trị (lan)" in note["text"]

    await push(client, fake, group_reply(fake, "Trả lời lần nữa từ nhóm.", post["message_id"]))
    await push(client, fake, group_reply(fake, "Và trả lời vào thông báo.", note["message_id"]))
    await client.app[pipeline_key].deliver()
    assert "đã được trả lời (lan)" in fake.sent(STAFF_CHAT)[-1]["text"]
    assert "đã được trả lời (lan)" in fake.sent(STAFF_CHAT)[-2]["text"]
    assert not any("lần nữa" in m["text"] or "thông báo" in m["text"] for m in fake.sent(CITIZEN))


async def test_a_group_answer_closes_the_question_in_the_console(tg) -> None:  # type: ignore[no-untyped-def]
    client, fake = tg
    post = await hand_off(client, fake)
    await signed_in(client, "lan")
    href = await question_link(client)

    await push(client, fake, group_reply(fake, ANSWER, post["message_id"]))
    await client.app[pipeline_key].deliver()
    assert ANSWER in fake.sent(CITIZEN)[-1]["text"]

    inbox = await (await client.get("/console/questions/")).text()
    assert soup(inbox).find(attrs={"data-count": "questions-open"}).text == "0"
    detail = await (await client.get(href)).text()
    assert ANSWER in soup(detail).find(id="staff-answer").text
    assert "Lan" in detail  # who answered, in the group
    assert soup(detail).find("textarea", attrs={"name": "text"}) is None  # no second answer
