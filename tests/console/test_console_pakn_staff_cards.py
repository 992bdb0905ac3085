"""Staff act on a PAKN in the console: its card in the Telegram staff group follows, as after an
action in the group (the fake Bot API records the edits)."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import build_app
from bot.core.services import Services
from bot.db.models import Contact
from bot.db.models_pakn import Pakn
from bot.keys import pipeline_key, services_key, sessionmaker_key
from bot.privacy import erase_contact
from bot.settings import Settings
from tests.console.helpers import csrf_of, signed_in
from tests.conversations.drivers import TG_SECRET
from tests.pakn.test_staff_group import STAFF_CHAT, labels_of, submit

CONTENT = "Cống thoát nước trước chợ bị tắc, mưa xuống là ngập cả đoạn đường."


@pytest.fixture
async def tg(
    settings: Settings, services: Services, aiohttp_client: Any, fake_telegram: Any
) -> AsyncIterator[tuple[Any, Any]]:
    s = dataclasses.replace(
        settings,
        telegram_bot_token=fake_telegram.token,
        telegram_api_url=fake_telegram.base_url,
        telegram_webhook_secret=TG_SECRET,
        telegram_staff_chat_id=str(STAFF_CHAT),
        web_chat="off",
    )
    services.settings = s  # the session's Services: its PAKN hook posts the card through it
    yield await aiohttp_client(build_app(s, services=services, environ={})), fake_telegram
    services.staff_chats = {}


async def act(client: Any, pakn: Pakn, path: str, **form: str) -> None:
    page = await (await client.get(f"/console/pakn/{pakn.id}")).text()
    resp = await client.post(
        f"/console/pakn/{pakn.id}/{path}",
        data={"_csrf": csrf_of(page), **form},
        allow_redirects=False,
    )
    assert resp.status == 302 and "ok=" in resp.headers["Location"], resp.headers["Location"]


async def test_console_actions_edit_the_staff_group_card(tg: tuple[Any, Any]) -> None:
    client, fake = tg
    pakn = await submit(client, CONTENT, "card-1")
    [card] = fake.sent(STAFF_CHAT)
    assert "Nhận xử lý" in " ".join(labels_of(card["reply_markup"]))
    await signed_in(client, "lan")

    # Registered: the card's buttons are still right, so it is left alone.
    await act(client, pakn, "state", to="received")
    assert fake.calls("editMessageReplyMarkup") == []
    # Taken in the console: "Nhận xử lý" leaves the card, the answer button stays.
    await act(client, pakn, "state", to="in_progress")
    [edit] = fake.calls("editMessageReplyMarkup")
    assert edit["chat_id"] == STAFF_CHAT and edit["message_id"] == card["message_id"]
    labels = " ".join(labels_of(edit["reply_markup"]))
    assert "Nhận xử lý" not in labels and "Trả lời" in labels

    # An assignment or a note changes nothing on the card: no edit.
    await act(client, pakn, "assign", assignee="lan")
    await act(client, pakn, "note", text="Đã gọi điện cho tổ dân phố.")
    assert len(fake.calls("editMessageReplyMarkup")) == 1
    assert fake.calls("editMessageText") == []

    # Re-categorised: the card's text shows the new category (and keeps its buttons).
    await act(client, pakn, "category", category="trat_tu")
    [text_edit] = fake.calls("editMessageText")
    assert text_edit["message_id"] == card["message_id"]
    assert "Trật tự – tiếng ồn" in text_edit["text"] and pakn.code in text_edit["text"]
    assert "Trả lời" in " ".join(labels_of(text_edit["reply_markup"]))

    # Answered in the console: nothing is left to press on the card.
    await act(client, pakn, "reply", text="Xã đã cử người nạo vét cống sáng nay. Cảm ơn ông/bà.")
    last = fake.calls("editMessageReplyMarkup")[-1]
    assert last["message_id"] == card["message_id"]
    assert labels_of(last.get("reply_markup")) == []
    posts = [m for m in fake.sent(STAFF_CHAT) if "edit_date" not in m]
    assert posts == [card]  # edits only: no new post in the group


async def test_a_redacted_card_stays_redacted_after_a_console_change(tg: tuple[Any, Any]) -> None:
    client, fake = tg
    pakn = await submit(client, CONTENT, "card-2")
    [card] = fake.sent(STAFF_CHAT)
    services = client.app[services_key]
    async with client.app[sessionmaker_key].begin() as sess:
        contact = await sess.get(Contact, pakn.contact_id)
        assert contact is not None
        await erase_contact(sess, services, contact, services.clock())
    await client.app[pipeline_key].deliver()
    [redaction] = fake.calls("editMessageText")
    assert "Nội dung đã được xóa" in redaction["text"]

    await signed_in(client, "lan")
    await act(client, pakn, "category", category="trat_tu")
    await act(client, pakn, "state", to="received")
    await act(client, pakn, "state", to="in_progress")
    assert len(fake.calls("editMessageText")) == 1  # nothing of the petition is put back
    now_shown = fake.sent(STAFF_CHAT)[-1]
    assert now_shown["message_id"] == card["message_id"]
    assert "Nội dung đã được xóa" in now_shown["text"] and CONTENT not in now_shown["text"]
    assert "Nhận xử lý" not in " ".join(labels_of(now_shown.get("reply_markup")))
