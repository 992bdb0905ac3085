"""Deleting one's data ("Xóa dữ liệu của tôi") on every channel: afterwards no table holds
the citizen's name, phone number or words (SQLite and PostgreSQL). The one documented exception
is the PAKN's content, kept for the case file without the name, phone number and address
(docs/privacy.md)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.db.models import Contact, InboxItem
from bot.db.models_pakn import Pakn
from bot.keys import sessionmaker_key
from tests.conversations.test_transcripts import driver  # noqa: F401 (the fixture)
from tests.privacy.scan import find_traces

NAME = "Trịnh Thị Mai Hoa"
PHONE = "0912 345 678"
QUESTION = "Cây xoài cổ thụ trước nhà văn hóa Gò Quéo có được chặt không"
QUESTION_PHRASE = "xoài cổ thụ trước nhà văn hóa gò quéo"
PETITION = (
    "Cống thoát nước ở xóm Bàu Sen bị nghẹt, nước tràn vào nhà. "
    "Tôi là Trịnh Thị Mai Hoa, gọi 0912.345.678 khi cần."
)
PETITION_PHRASE = "xóm bàu sen bị nghẹt"


async def _submit_petition(drv: Any) -> None:
    await drv.say("menu")
    await drv.press("Gửi phản ánh")
    await drv.press("Khác")
    await drv.say(PETITION)
    await drv.press("sang bước tiếp")
    await drv.say(NAME)
    await drv.say(PHONE)
    done = await drv.press("Gửi")
    assert any("Mã phản ánh" in s.text for s in done), [s.text for s in done]


async def test_nothing_personal_is_left_after_deletion(driver: Any) -> None:  # noqa: F811
    drv = driver
    sm = drv.client.app[sessionmaker_key]
    await drv.say("xin chào")
    await drv.say(QUESTION)
    await _submit_petition(drv)
    before = await find_traces(sm, phrases=[NAME, QUESTION_PHRASE], phones=[PHONE])
    assert {h.table for h in before} >= {"messages", "faq_queries", "pakn", "inbox"}

    await drv.say("xóa dữ liệu")
    done = await drv.press("Đồng ý xóa")
    assert any("Đã xóa" in s.text for s in done), [s.text for s in done]

    hits = await find_traces(sm, phrases=[NAME, QUESTION, QUESTION_PHRASE], phones=[PHONE])
    assert hits == [], "\n".join(map(str, hits))
    kept = await find_traces(sm, phrases=[PETITION_PHRASE])
    assert [(h.table, h.column) for h in kept] == [("pakn", "content")]
    async with sm() as sess:
        pakn = (await sess.execute(select(Pakn))).scalar_one()
        assert pakn.content.startswith("Cống thoát nước ở xóm Bàu Sen bị nghẹt")
        assert "Tôi là [đã xóa], gọi [đã xóa] khi cần." in pakn.content
        assert (pakn.sender_name, pakn.phone, pakn.contact_id) == (None, None, None)
        contact = (await sess.execute(select(Contact))).scalar_one()
        raw = (
            await sess.execute(select(InboxItem).where(InboxItem.contact_id == contact.id))
        ).scalars()
        assert [i.payload for i in raw if i.payload] == [], "raw updates still hold content"
