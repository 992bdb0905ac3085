"""Deletion reaches the staff group's copies: the Telegram messages are edited (through the
delivery queue, also when the card was being sent at that moment), the database copies are
replaced, and the console's unanswered list no longer shows the question. All or nothing.
SQLite and PostgreSQL (LOAXA_TEST_BACKEND)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

import bot.privacy
from bot.app import build_app
from bot.db.models import Contact, Message
from bot.db.models_pakn import Pakn
from bot.keys import channels_key, pipeline_key, services_key, sessionmaker_key
from bot.privacy import erase_contact
from tests.console.helpers import signed_in
from tests.conversations.drivers import TG_SECRET, TelegramDriver
from tests.fakes import make_user
from tests.privacy.scan import find_traces
from tests.privacy.test_erase_channels import (
    NAME,
    PETITION_PHRASE,
    PHONE,
    QUESTION,
    QUESTION_PHRASE,
    _submit_petition,
)

UNIT = "xa-binh-minh"
STAFF_CHAT = -1005550001
CITIZEN = 5550001
CARD_GONE = "Nội dung đã được xóa theo yêu cầu của người dân"
QUESTION_GONE = "Câu hỏi đã được xóa theo yêu cầu của người dân"


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
    drv = TelegramDriver(client, fake_telegram, UNIT, chat_id=CITIZEN)
    # The citizen's Telegram profile carries their name, as real updates do.
    first, last = NAME.rsplit(" ", 2)[0], " ".join(NAME.split()[-2:])
    await drv._push(
        fake_telegram.make_text_update(
            CITIZEN, "xin chào", user=make_user(CITIZEN, first, last_name=last)
        )
    )
    yield drv
    services.staff_chats = {}


def staff_messages(fake: Any) -> dict[int, dict[str, Any]]:
    """The staff group as its members see it now: each message's latest version."""
    return {m["message_id"]: m for m in fake.sent(STAFF_CHAT)}


async def ask_and_hand_to_staff(drv: Any) -> None:
    replies = await drv.say(QUESTION)
    assert any("Nhờ cán bộ trả lời" in b["label"] for r in replies for b in r.buttons)
    handed = await drv.press("Nhờ cán bộ trả lời")
    assert any("Đã chuyển câu hỏi" in s.text for s in handed), [s.text for s in handed]


async def test_staff_group_copies_are_edited_and_nothing_is_left(tg: Any) -> None:
    drv, fake = tg, tg.fake
    sm = drv.client.app[sessionmaker_key]
    await ask_and_hand_to_staff(drv)
    await _submit_petition(drv)
    await drv.client.app[pipeline_key].deliver()  # the background loop posts the card
    group = staff_messages(fake)
    [question_post] = [m for m in group.values() if QUESTION in m["text"]]
    [card] = [m for m in group.values() if "Bàu Sen" in m["text"]]
    assert NAME in card["text"]

    await signed_in(drv.client, "lan", "staff")
    assert QUESTION in await (await drv.client.get("/console/faq/")).text()

    await drv.say("xóa dữ liệu")
    await drv.press("Đồng ý xóa")

    group = staff_messages(fake)
    assert CARD_GONE in group[card["message_id"]]["text"]
    async with sm() as sess:
        code = (await sess.execute(select(Pakn.code))).scalar_one()
    assert group[card["message_id"]]["text"].startswith(f"🗑️ {code}: ")  # staff can find it
    assert QUESTION_GONE in group[question_post["message_id"]]["text"]
    edited = {c["message_id"] for c in fake.calls("editMessageText")}
    assert edited == {card["message_id"], question_post["message_id"]}
    # The card keeps its buttons: the case is still to be handled, in the console.
    assert group[card["message_id"]]["reply_markup"]["inline_keyboard"]

    hits = await find_traces(sm, phrases=[NAME, QUESTION, QUESTION_PHRASE], phones=[PHONE])
    assert hits == [], "\n".join(map(str, hits))
    kept = await find_traces(sm, phrases=[PETITION_PHRASE])
    assert [(h.table, h.column) for h in kept] == [("pakn", "content")]
    page = await (await drv.client.get("/console/faq/")).text()
    assert QUESTION not in page and QUESTION_PHRASE not in page.casefold()


async def test_a_card_being_sent_during_deletion_is_edited_afterwards(
    tg: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    drv, fake = tg, tg.fake
    app = drv.client.app
    channel = app[channels_key].get(UNIT, "telegram")
    send = channel.send

    async def send_then_erase(user_id: str, reply: Any) -> Any:
        result = await send(user_id, reply)  # the card reaches the group with the old text …
        if user_id == str(STAFF_CHAT) and "Bàu Sen" in reply.text:
            async with app[sessionmaker_key].begin() as sess:  # … while the citizen deletes
                contact = (
                    await sess.execute(select(Contact).where(Contact.external_id == str(CITIZEN)))
                ).scalar_one()
                await erase_contact(sess, app[services_key], contact, app[services_key].clock())
        return result

    monkeypatch.setattr(channel, "send", send_then_erase)
    await _submit_petition(drv)
    await app[pipeline_key].deliver()  # posts the card
    [card] = [m for m in fake.sent(STAFF_CHAT) if "Bàu Sen" in m["text"]]
    await app[pipeline_key].deliver()  # the edit, queued when the send was recorded
    now = staff_messages(fake)[card["message_id"]]
    assert CARD_GONE in now["text"] and "Bàu Sen" not in now["text"]


async def test_deletion_is_all_or_nothing(tg: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    drv, fake = tg, tg.fake
    sm = drv.client.app[sessionmaker_key]
    await ask_and_hand_to_staff(drv)
    await _submit_petition(drv)
    await drv.client.app[pipeline_key].deliver()
    before = await find_traces(sm, phrases=[NAME, QUESTION_PHRASE], phones=[PHONE])

    async def fail(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(bot.privacy.inbox, "redact_for_contact", fail)  # a late step fails
    await drv.say("xóa dữ liệu")
    replies = await drv.press("Đồng ý xóa")
    assert not any("Đã xóa" in s.text for s in replies), [s.text for s in replies]
    assert fake.calls("editMessageText") == []
    async with sm() as sess:
        pakn = (await sess.execute(select(Pakn))).scalar_one()
        assert pakn.sender_name == NAME and pakn.contact_id is not None
        assert (await sess.execute(select(Message).where(Message.text == QUESTION))).first()
    after = await find_traces(sm, phrases=[NAME, QUESTION_PHRASE], phones=[PHONE])
    assert {(h.table, h.column) for h in after} >= {(h.table, h.column) for h in before}
