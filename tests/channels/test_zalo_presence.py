"""Zalo OA: an unfollow ends the relationship; staff answering in the OA chat pause the bot."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import build_app
from bot.campaigns import subscriptions
from bot.channels.zalo import ZaloChannel
from bot.core.messages import Reply
from bot.db.models import Contact, InboxItem, Message
from bot.keys import pipeline_key, sessionmaker_key
from tests.channels.test_zalo_send import UNIT, USER, Clock, _queue_reply, _row, _say
from tests.conversations.drivers_zalo import zalo_settings


@pytest.fixture
async def oa(settings, services, aiohttp_client, fake_zalo, monkeypatch):  # type: ignore[no-untyped-def]
    clock = Clock()
    monkeypatch.setattr(services, "clock", clock)
    fake_zalo.oa.clock = lambda: clock.now.timestamp()
    zs = zalo_settings(settings, fake_zalo)
    services.settings = zs
    client = await aiohttp_client(build_app(zs, services=services, environ={}))
    channel = client.app[pipeline_key].channels.get(UNIT, "zalo")
    assert isinstance(channel, ZaloChannel)
    return client, fake_zalo.oa, channel, clock


async def _push(client: Any, fake: Any, event: dict[str, Any]) -> None:
    assert await fake.push_event(str(client.make_url(f"/webhooks/zalo/{UNIT}")), event) == 200
    await client.app[pipeline_key].process_pending()


async def _contact(client: Any) -> Contact:
    async with client.app[sessionmaker_key]() as sess:
        return (await sess.execute(select(Contact))).scalar_one()


async def test_unfollow_ends_the_relationship_and_follow_restores_it(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, _, clock = oa
    await _say(client, fake, "menu")
    seen = (await _contact(client)).last_seen_at
    async with client.app[sessionmaker_key].begin() as sess:
        contact = (await sess.execute(select(Contact))).scalar_one()
        await subscriptions.subscribe(sess, contact, subscriptions.TOPIC, "tin-xa", clock.now)
    fake.fail_next_send(-230, USER)  # a staff answer held by Zalo's window
    held = await _queue_reply(client, Reply("Trả lời phản ánh."), clock.now)
    await client.app[pipeline_key].deliver([held])
    clock.now += dt.timedelta(hours=1)
    await _push(client, fake, fake.event("unfollow", USER))
    contact = await _contact(client)
    assert contact.blocked is True
    assert contact.last_seen_at == seen  # leaving is not writing: the window does not reopen
    assert (await _row(client, held)).status == "cancelled"
    async with client.app[sessionmaker_key]() as sess:
        assert (await subscriptions.choices(sess, contact.id)).topics == set()
    before = len(fake.sent(USER))
    clock.now += dt.timedelta(hours=7)
    await client.app[pipeline_key].deliver()
    assert len(fake.sent(USER)) == before  # nothing goes to someone who left
    await _push(client, fake, fake.event("follow", USER))
    contact = await _contact(client)
    assert contact.blocked is False and contact.last_seen_at == clock.now


async def test_staff_answer_in_the_oa_chat_is_logged_and_pauses_the_bot(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, _, clock = oa
    await _say(client, fake, "menu")
    [ours] = [m for m in fake.messages if m["user_id"] == USER][-1:]
    # Our own send echoes back: with no admin_id it is not stored; with our message id it is
    # not mistaken for a person.
    await _push(client, fake, fake.oa_send_event(USER, "menu", msg_id=ours["message_id"]))
    async with client.app[sessionmaker_key]() as sess:
        assert (await sess.execute(select(func.count()).select_from(InboxItem))).scalar() == 1
    await _push(
        client, fake, fake.oa_send_event(USER, "menu", admin_id="77", msg_id=ours["message_id"])
    )
    assert (await _contact(client)).paused_until is None
    # A person answers in the OA chat.
    seen = (await _contact(client)).last_seen_at
    clock.now += dt.timedelta(minutes=1)
    await _push(
        client, fake, fake.oa_send_event(USER, "Chào anh, tôi là cán bộ xã.", admin_id="77")
    )
    contact = await _contact(client)
    assert contact.paused_until == clock.now + dt.timedelta(minutes=30)
    assert contact.last_seen_at == seen  # staff writing does not open Zalo's window
    async with client.app[sessionmaker_key]() as sess:
        staff = (await sess.execute(select(Message).where(Message.kind == "agent"))).scalar_one()
    assert (staff.direction, staff.text) == ("out", "Chào anh, tôi là cán bộ xã.")
    # The citizen answers the person: logged, and the bot keeps quiet …
    sent = len(fake.sent(USER))
    await _say(client, fake, "thủ tục khai sinh cần gì")
    assert len(fake.sent(USER)) == sent
    async with client.app[sessionmaker_key]() as sess:
        texts = (await sess.execute(select(Message.text).where(Message.direction == "in"))).all()
    assert ("thủ tục khai sinh cần gì",) in texts
    # … except for an emergency.
    await _say(client, fake, "nhà tôi đang cháy")
    assert "114" in fake.sent(USER)[-1]["text"] and len(fake.sent(USER)) == sent + 1
    # After the pause the bot answers again.
    clock.now += dt.timedelta(minutes=31)
    await _say(client, fake, "menu")
    assert len(fake.sent(USER)) > sent + 1
