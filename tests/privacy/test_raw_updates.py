"""Raw updates: which keep their payload, for how long, and editing a message on Telegram.
Storage tests run on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import telegram
from sqlalchemy import select

from bot.channels.telegram import TelegramChannel
from bot.core.messages import Reply
from bot.db import inbox
from bot.db.engine import make_engine, make_sessionmaker, migrate
from bot.db.models import InboxItem
from bot.keys import sessionmaker_key
from tests.privacy.test_erase_staff_group import STAFF_CHAT, tg  # noqa: F401 (fixture)

NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)


async def test_updates_that_answer_nobody_keep_only_their_key(tg: Any) -> None:  # noqa: F811
    """A staff reply quotes the card it answers (a citizen's petition), and an edit of a
    message is answered by nobody: neither is linked to a citizen, so neither keeps content."""
    drv, fake = tg, tg.fake
    reply = fake.make_text_update(STAFF_CHAT, "Đã chuyển tổ dân phố xử lý")
    reply["message"]["reply_to_message"] = {
        "message_id": 1,
        "chat": fake.chat(STAFF_CHAT),
        "date": 0,
        "text": "📝 Phản ánh mới … Người gửi: Trịnh Thị Mai Hoa",
    }
    edit = fake.make_text_update(drv.chat_id, "sửa lại: tôi tên Trịnh Thị Mai Hoa")
    edit["edited_message"] = edit.pop("message")
    for update in (reply, edit):
        await drv._push(update)
    async with drv.client.app[sessionmaker_key]() as sess:
        rows = (await sess.execute(select(InboxItem).order_by(InboxItem.id))).scalars().all()
    by_update = {int(r.external_id): r for r in rows}
    for update in (reply, edit):
        row = by_update[update["update_id"]]
        assert row.processed_at is not None and row.payload == {}
    citizen = [r for r in rows if r.contact_id is not None and r.payload]
    assert citizen, "a citizen's own updates are kept (2 days), linked to the contact"


async def test_updates_that_failed_for_good_are_purged_too(db_url: str) -> None:
    engine = make_engine(db_url)
    await migrate(engine)
    sm = make_sessionmaker(engine)
    old, recent = NOW - dt.timedelta(days=3), NOW - dt.timedelta(hours=1)
    async with sm.begin() as sess:
        for key, received in (("dead-old", old), ("dead-recent", recent), ("retrying", old)):
            item_id = await inbox.store(
                sess, unit="u", channel="web", external_id=key, payload={"text": key}, now=received
            )
            assert item_id is not None
            failures = 2 if key == "retrying" else inbox.MAX_ATTEMPTS
            for _ in range(failures):
                await inbox.mark_failed(sess, item_id, "ValueError")
    async with sm.begin() as sess:
        assert await inbox.purge_processed(sess, NOW - dt.timedelta(days=2)) == 1
    async with sm() as sess:
        left = (await sess.execute(select(InboxItem.external_id))).scalars().all()
    assert sorted(left) == ["dead-recent", "retrying"]
    await engine.dispose()


async def test_telegram_edits_a_message_of_ours(fake_telegram: Any) -> None:
    async with telegram.Bot(fake_telegram.token, base_url=fake_telegram.base_url) as bot:
        channel = TelegramChannel("u", bot)
        sent = await channel.send(str(STAFF_CHAT), Reply("Phản ánh mới: Trịnh Thị Mai Hoa"))
        assert sent.outcome == "sent" and sent.external_id
        edit = Reply("[Nội dung đã được xóa]", edit_of=sent.external_id)
        assert (await channel.send(str(STAFF_CHAT), edit)).outcome == "sent"
        # A retry after a crash finds the text already replaced: that is success too.
        assert (await channel.send(str(STAFF_CHAT), edit)).outcome == "sent"
        gone = Reply("x", edit_of="999")
        assert (await channel.send(str(STAFF_CHAT), gone)).outcome == "failed"
    latest = {m["message_id"]: m for m in fake_telegram.sent(STAFF_CHAT)}
    assert latest[int(sent.external_id)]["text"] == "[Nội dung đã được xóa]"
    assert len(fake_telegram.calls("editMessageText")) == 3
