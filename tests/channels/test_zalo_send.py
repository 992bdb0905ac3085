"""Zalo OA sending: split at 2,000, buttons, error codes, the consultation window."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import build_app
from bot.channels.zalo import ZaloChannel
from bot.core.messages import Button, Reply
from bot.db import queries
from bot.db.models import Contact, Message
from bot.keys import pipeline_key, sessionmaker_key
from tests.conversations.drivers_zalo import zalo_settings

UNIT = "xa-binh-minh"
USER = "2468458835296197922"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
async def oa(settings, services, aiohttp_client, fake_zalo, monkeypatch):  # type: ignore[no-untyped-def]
    clock = Clock()
    monkeypatch.setattr(services, "clock", clock)
    fake_zalo.oa.clock = lambda: clock.now.timestamp()  # event timestamps follow the test clock
    zs = zalo_settings(settings, fake_zalo)
    services.settings = zs
    client = await aiohttp_client(build_app(zs, services=services, environ={}))
    channel = client.app[pipeline_key].channels.get(UNIT, "zalo")
    assert isinstance(channel, ZaloChannel)
    return client, fake_zalo.oa, channel, clock


async def _say(client: Any, fake: Any, text: str) -> None:
    url = str(client.make_url(f"/webhooks/zalo/{UNIT}"))
    assert await fake.push_event(url, fake.text_event(USER, text)) == 200
    await client.app[pipeline_key].process_pending()


async def _queue_reply(client: Any, reply: Reply, now: dt.datetime) -> int:
    """Queue a reply as a PAKN answer from staff would be: a pending outbound row."""
    async with client.app[sessionmaker_key].begin() as sess:
        contact = (await sess.execute(select(Contact))).scalar_one()
        [row] = await queries.add_outbound(sess, contact, [reply], now)
        return int(row.id)


async def _row(client: Any, msg_id: int) -> Message:
    async with client.app[sessionmaker_key]() as sess:
        row = await sess.get(Message, msg_id)
        assert row is not None
        return row


def test_long_text_is_split_at_2000_with_buttons_on_the_last_part() -> None:
    words = " ".join(f"từ{i}" for i in range(1200))  # ~6,000 characters
    reply = Reply(words, (Button.reply("Về menu", "menu"),))
    messages = ZaloChannel.render(reply)
    assert len(messages) == 4
    assert all(0 < len(m["text"]) <= 2000 for m in messages)
    assert " ".join(m["text"] for m in messages) == words  # split at spaces, nothing lost
    assert [("attachment" in m) for m in messages] == [False, False, False, True]


def test_buttons_render_as_query_url_and_phone() -> None:
    reply = Reply(
        "Chọn",
        (
            Button.link("Cổng", "https://dichvucong.gov.vn"),
            Button.call("Gọi 1022", "02511022"),
            Button.reply("Hỏi", "ask"),
        ),
        image_url="https://example.org/a.png",
    )
    image, text = ZaloChannel.render(reply)
    assert image["attachment"]["payload"]["elements"] == [
        {"media_type": "image", "url": "https://example.org/a.png"}
    ]
    assert text["text"] == "Chọn"
    assert text["attachment"]["payload"]["buttons"] == [
        {"title": "Cổng", "type": "oa.open.url", "payload": {"url": "https://dichvucong.gov.vn"}},
        {"title": "Gọi 1022", "type": "oa.open.phone", "payload": {"phone_code": "02511022"}},
        {"title": "Hỏi", "type": "oa.query.hide", "payload": "#lx:ask"},
    ]


def test_more_than_five_buttons_put_links_into_the_text() -> None:
    buttons = tuple(Button.reply(f"Mục {i}", f"m:{i}") for i in range(5))
    reply = Reply("Menu", (*buttons, Button.link("Cổng", "https://dichvucong.gov.vn")))
    [message] = ZaloChannel.render(reply)
    assert len(message["attachment"]["payload"]["buttons"]) == 5
    assert message["text"].endswith("Cổng: https://dichvucong.gov.vn")


def test_primary_buttons_first_compact_ones_dropped_beyond_five() -> None:
    reply = Reply(
        "Trả lời",
        (
            Button.link("Làm trực tuyến", "https://dichvucong.gov.vn/x"),
            Button.call("Gọi 1022", "02511022"),
            *(Button.reply(f"Phụ {i}", f"ask:fb:{i}", compact=True) for i in range(3)),
            Button.reply("Về menu", "menu", compact=True),
        ),
    )
    [message] = ZaloChannel.render(reply)
    titles = [b["title"] for b in message["attachment"]["payload"]["buttons"]]
    assert titles == ["Làm trực tuyến", "Gọi 1022", "Phụ 0", "Phụ 1", "Phụ 2"]
    assert "Về menu" not in message["text"]


def test_primary_reply_buttons_beyond_five_follow_in_another_message() -> None:
    topics = tuple(Button.reply(f"Chủ đề {i}", f"sub:t:{i}") for i in range(5))
    reply = Reply("Chọn chủ đề", (*topics, Button.reply("Xong", "sub:done")))
    first, more = ZaloChannel.render(reply)
    assert len(first["attachment"]["payload"]["buttons"]) == 5
    assert [b["payload"] for b in more["attachment"]["payload"]["buttons"]] == ["#lx:sub:done"]
    assert more["text"]


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        (-32, "retry"),
        (-213, "unreachable"),
        (-227, "unreachable"),
        (-244, "failed"),  # "user restricts this message type": not a block
        (-230, "window_closed"),
        (-232, "window_closed"),  # "no interaction, or it expired": not a block
        (-211, "window_closed"),  # out of quota: held, sent later
        (-218, "window_closed"),
        (-201, "failed"),
    ],
)
async def test_error_codes_map_to_outcomes(oa, code, outcome) -> None:  # type: ignore[no-untyped-def]
    client, fake, channel, _ = oa
    await _say(client, fake, "menu")
    fake.fail_next_send(code, USER)
    result = await channel.send(USER, Reply("Xin chào"))
    assert result.outcome == outcome
    assert str(code) in (result.error or "")
    if outcome == "retry":
        assert result.retry_after == 60


@pytest.mark.parametrize("code", [-216, -220])
async def test_token_errors_refresh_then_retry_once(oa, code) -> None:  # type: ignore[no-untyped-def]
    client, fake, channel, _ = oa
    await _say(client, fake, "menu")
    calls_before = fake.refresh_calls
    fake.fail_next_send(code, USER)
    result = await channel.send(USER, Reply("Xin chào"))
    assert result.outcome == "sent"
    assert fake.refresh_calls == calls_before + 1
    assert fake.sent(USER)[-1]["text"] == "Xin chào"


async def test_expired_token_at_zalo_is_refreshed(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, channel, _ = oa
    await _say(client, fake, "menu")
    fake.expire()  # Zalo answers -216 for every current token
    assert (await channel.send(USER, Reply("Lần nữa"))).outcome == "sent"


async def test_unreachable_user_marks_the_contact(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, _, clock = oa
    await _say(client, fake, "menu")
    fake.set_user_error(USER, -227)
    msg_id = await _queue_reply(client, Reply("Trả lời"), clock.now)
    await client.app[pipeline_key].deliver([msg_id])
    assert (await _row(client, msg_id)).status == "unreachable"
    async with client.app[sessionmaker_key]() as sess:
        assert (await sess.execute(select(Contact))).scalar_one().blocked is True


async def test_reply_outside_the_window_is_held_and_staff_alerted(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, channel, clock = oa
    alerts: list[tuple[str, str]] = []

    async def on_alert(unit: str, text: str) -> None:
        alerts.append((unit, text))

    channel.on_alert = on_alert
    await _say(client, fake, "menu")
    sent_before = len(fake.sent(USER))
    clock.now += dt.timedelta(days=7, hours=1)
    requests_before = len(fake.requests)
    msg_id = await _queue_reply(client, Reply("Phản ánh của ông/bà đã được xử lý."), clock.now)
    pipeline = client.app[pipeline_key]
    pipeline.clock = clock
    assert await pipeline.deliver([msg_id]) == 0
    row = await _row(client, msg_id)
    assert (row.status, row.attempts) == ("pending", 0)
    assert row.next_attempt_at is not None and row.next_attempt_at > clock.now
    assert len(fake.requests) == requests_before  # Zalo was not called at all
    assert len(alerts) == 1 and alerts[0][0] == UNIT
    clock.now += dt.timedelta(hours=1)
    assert await pipeline.deliver() == 0  # still outside: held again, no second alert
    assert len(alerts) == 1
    # The citizen writes again: the window reopens and the held answer goes out when due.
    await _say(client, fake, "menu")
    clock.now += dt.timedelta(hours=1)
    await pipeline.deliver()
    assert (await _row(client, msg_id)).status == "sent"
    texts = [m.get("text") for m in fake.sent(USER)[sent_before:]]
    assert "Phản ánh của ông/bà đã được xử lý." in texts


async def test_reply_inside_the_window_is_sent(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, channel, clock = oa
    await _say(client, fake, "menu")
    clock.now += dt.timedelta(days=6, hours=23)
    assert (await channel.send(USER, Reply("Vẫn kịp"))).outcome == "sent"
