"""Zalo OA quota (-211, -218), -232, and what one answer costs in messages."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.app import build_app
from bot.campaigns import subscriptions
from bot.channels.zalo import ZaloChannel
from bot.core.messages import Button, Reply
from bot.db.models import Contact
from bot.keys import pipeline_key, sessionmaker_key
from tests.channels.test_zalo_send import UNIT, USER, Clock, _queue_reply, _row, _say
from tests.conversations.drivers_zalo import zalo_settings

IMAGE = "https://example.org/poster.png"


@pytest.fixture
async def oa(settings, services, aiohttp_client, fake_zalo, monkeypatch):  # type: ignore[no-untyped-def]
    """The app on the fake OA, with a test clock (as in test_zalo_send.py)."""
    clock = Clock()
    monkeypatch.setattr(services, "clock", clock)
    fake_zalo.oa.clock = lambda: clock.now.timestamp()
    zs = zalo_settings(settings, fake_zalo)
    services.settings = zs
    client = await aiohttp_client(build_app(zs, services=services, environ={}))
    channel = client.app[pipeline_key].channels.get(UNIT, "zalo")
    assert isinstance(channel, ZaloChannel)
    return client, fake_zalo.oa, channel, clock


def _alerts(channel: ZaloChannel) -> list[str]:
    seen: list[str] = []

    async def on_alert(unit: str, text: str) -> None:
        seen.append(text)

    channel.on_alert = on_alert
    return seen


@pytest.mark.parametrize("code", [-211, -218])
async def test_quota_refusal_is_held_staff_alerted_once_then_sent(oa, code) -> None:  # type: ignore[no-untyped-def]
    client, fake, channel, clock = oa
    alerts = _alerts(channel)
    await _say(client, fake, "menu")
    pipeline = client.app[pipeline_key]
    fake.fail_next_send(code, USER)
    first = await _queue_reply(client, Reply("Trả lời phản ánh của ông/bà."), clock.now)
    assert await pipeline.deliver([first]) == 0
    row = await _row(client, first)
    assert (row.status, row.attempts) == ("pending", 0)  # held, not failed
    assert row.next_attempt_at == clock.now + dt.timedelta(minutes=360)
    assert len(alerts) == 1 and str(code) in alerts[0]
    # While the hold runs, a second reply waits without calling Zalo and without a new alert.
    calls = len(fake.requests)
    second = await _queue_reply(client, Reply("Thêm một thông tin."), clock.now)
    assert await pipeline.deliver([second]) == 0
    assert len(fake.requests) == calls and len(alerts) == 1
    assert (await _row(client, second)).status == "pending"
    # Once the hold is over both go out, in order.
    clock.now += dt.timedelta(minutes=361)
    assert await pipeline.deliver() == 2
    texts = [m.get("text") for m in fake.sent(USER)[-2:]]
    assert texts == ["Trả lời phản ánh của ông/bà.", "Thêm một thông tin."]


async def test_a_held_reply_goes_out_first_when_the_citizen_writes(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, _, clock = oa
    await _say(client, fake, "menu")
    fake.fail_next_send(-218, USER)
    held = await _queue_reply(client, Reply("Kết quả giải quyết hồ sơ."), clock.now)
    await client.app[pipeline_key].deliver([held])
    before = len(fake.sent(USER))
    await _say(client, fake, "menu")  # Zalo counts a new interaction: the quota is back
    assert (await _row(client, held)).status == "sent"
    texts = [m.get("text") for m in fake.sent(USER)[before:]]
    assert texts[0] == "Kết quả giải quyết hồ sơ." and len(texts) == 2


async def test_232_is_a_closed_window_not_a_block(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, _, clock = oa
    await _say(client, fake, "menu")
    async with client.app[sessionmaker_key].begin() as sess:
        contact = (await sess.execute(select(Contact))).scalar_one()
        await subscriptions.subscribe(sess, contact, subscriptions.TOPIC, "tin-xa", clock.now)
    fake.set_user_error(USER, -232)
    msg_id = await _queue_reply(client, Reply("Cán bộ trả lời muộn."), clock.now)
    await client.app[pipeline_key].deliver([msg_id])
    row = await _row(client, msg_id)
    assert (row.status, row.attempts) == ("pending", 0)
    async with client.app[sessionmaker_key]() as sess:
        contact = (await sess.execute(select(Contact))).scalar_one()
        assert contact.blocked is False
        assert (await subscriptions.choices(sess, contact.id)).topics == {"tin-xa"}
    fake.set_user_error(USER, None)
    await _say(client, fake, "menu")  # they write again: the late answer reaches them
    assert (await _row(client, msg_id)).status == "sent"


def test_an_image_with_text_is_one_message() -> None:
    [message] = ZaloChannel.render(Reply("Lịch tiêm chủng tháng này", image_url=IMAGE))
    assert message["text"] == "Lịch tiêm chủng tháng này"
    assert message["attachment"]["payload"]["elements"] == [{"media_type": "image", "url": IMAGE}]
    words = " ".join(f"từ{i}" for i in range(500))  # ~2,500 characters: two parts
    first, second = ZaloChannel.render(Reply(words, image_url=IMAGE))
    assert "attachment" in first and "attachment" not in second
    assert f"{first['text']} {second['text']}" == words


def test_compact_form_sends_the_image_as_a_link() -> None:
    reply = Reply("Xem áp phích", (Button.reply("Về menu", "menu"),), image_url=IMAGE)
    assert len(ZaloChannel.render(reply)) == 2  # buttons ride on the text, not the image
    [message] = ZaloChannel.render(reply, compact=True)
    assert message["text"] == f"Xem áp phích\n\n{IMAGE}"
    assert message["attachment"]["payload"]["buttons"][0]["title"] == "Về menu"


async def test_when_zalo_reports_little_quota_left_the_answer_is_compact(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, channel, _ = oa
    await _say(client, fake, "menu")
    fake.set_quota(USER, 2)
    assert (await channel.send(USER, Reply("Chào ông/bà"))).outcome == "sent"
    assert channel.quota.remain(USER) == 1
    reply = Reply("Xem áp phích", (Button.reply("Về menu", "menu"),), image_url=IMAGE)
    assert (await channel.send(USER, reply)).outcome == "sent"  # one message, not two
    last = fake.sent(USER)[-1]
    assert last["text"].endswith(IMAGE) and "buttons" in last["attachment"]["payload"]


async def test_messages_are_counted_per_recipient_and_day(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, channel, clock = oa
    await _say(client, fake, "menu")
    before = channel.quota.sent_today(USER)
    words = " ".join(f"từ{i}" for i in range(500))
    await channel.send(USER, Reply(words, image_url=IMAGE))
    assert channel.quota.sent_today(USER) == before + 2
    clock.now += dt.timedelta(days=1)
    assert channel.quota.sent_today(USER) == 0


async def test_a_refused_caption_falls_back_to_image_then_text(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, channel, _ = oa
    await _say(client, fake, "menu")
    fake.fail_next_send(-201, USER)
    result = await channel.send(USER, Reply("Chú thích", image_url=IMAGE))
    assert result.outcome == "sent"
    image, text = fake.sent(USER)[-2:]
    assert "text" not in image and text == {"text": "Chú thích"}
