"""Zalo OA as it really behaves: anonymous chats, files, links, follows, redeliveries, -244."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import build_app
from bot.channels.zalo import ZaloChannel
from bot.core.messages import Reply
from bot.db.models import Contact, InboxItem, Message
from bot.keys import pipeline_key, sessionmaker_key
from tests.conversations.drivers_zalo import zalo_settings

UNIT = "xa-binh-minh"
USER = "2468458835296197922"
ANON, CONVERSATION = "7c3b1f0e2d4a5b6c", "9f8e7d6c5b4a3921"


@pytest.fixture
async def oa(settings, services, aiohttp_client, fake_zalo):  # type: ignore[no-untyped-def]
    zs = zalo_settings(settings, fake_zalo)
    services.settings = zs
    client = await aiohttp_client(build_app(zs, services=services, environ={}))
    channel = client.app[pipeline_key].channels.get(UNIT, "zalo")
    assert isinstance(channel, ZaloChannel)
    return client, fake_zalo.oa, channel


async def _push(client: Any, fake: Any, event: dict[str, Any], **kwargs: Any) -> None:
    url = str(client.make_url(f"/webhooks/zalo/{UNIT}"))
    assert await fake.push_event(url, event, **kwargs) == 200
    await client.app[pipeline_key].process_pending()


async def _rows(client: Any, model: Any) -> list[Any]:
    async with client.app[sessionmaker_key]() as sess:
        return list((await sess.execute(select(model).order_by(model.id))).scalars())


async def test_anonymous_chat_gets_a_reply_addressed_to_the_conversation(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, _ = oa
    await _push(client, fake, fake.anonymous_event(ANON, CONVERSATION, "menu"))
    [reply] = fake.sent(f"anon:{ANON}:{CONVERSATION}")
    assert reply["text"] and reply["attachment"]["payload"]["buttons"]
    [(_, body)] = [r for r in fake.requests if r[0] == "/v3.0/oa/message/cs"]
    assert body["recipient"] == {"conversation_id": CONVERSATION, "anonymous_id": ANON}
    [contact] = await _rows(client, Contact)
    assert contact.external_id == f"anon:{ANON}:{CONVERSATION}"


async def test_anonymous_event_without_a_conversation_is_dropped(oa) -> None:  # type: ignore[no-untyped-def]
    _client, fake, channel = oa
    event = fake.anonymous_event(ANON, CONVERSATION, "xin chào")
    del event["message"]["conversation_id"]
    assert channel.parse(event) == []


async def test_a_late_staff_answer_reaches_the_anonymous_chat(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, channel = oa
    await _push(client, fake, fake.anonymous_event(ANON, CONVERSATION, "menu"))
    result = await channel.send(f"anon:{ANON}:{CONVERSATION}", Reply("Xã đã nhận phản ánh."))
    assert result.outcome == "sent"
    assert fake.sent(f"anon:{ANON}:{CONVERSATION}")[-1] == {"text": "Xã đã nhận phản ánh."}


async def test_a_file_keeps_a_mime_type_size_and_name(oa) -> None:  # type: ignore[no-untyped-def]
    _client, fake, channel = oa
    [inbound] = channel.parse(fake.file_event(USER, "to-khai.docx", size=1200))
    [attachment] = inbound.attachments
    assert attachment.mime == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert (attachment.name, attachment.size, attachment.kind) == (
        "to-khai.docx",
        1200,
        "document",
    )
    [unknown] = channel.parse(fake.file_event(USER, "ban-ve.dwg"))[0].attachments
    assert unknown.mime is None  # an extension we do not know is not passed off as a MIME type


async def test_an_image_is_read_by_its_url_not_its_thumbnail(oa) -> None:  # type: ignore[no-untyped-def]
    _client, fake, channel = oa
    event = fake.image_event(USER)
    [attachment] = channel.parse(event)[0].attachments
    assert attachment.url == event["message"]["attachments"][0]["payload"]["url"]


async def test_a_shared_link_is_kept_as_text_with_its_url(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, channel = oa
    url = "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html"
    [inbound] = channel.parse(fake.link_event(USER, url, "xem giúp trang này"))
    assert (inbound.kind, inbound.text) == ("text", f"xem giúp trang này\n{url}")
    await _push(client, fake, fake.link_event(USER, url))
    stored = [m for m in await _rows(client, Message) if m.direction == "in"]
    assert stored[-1].text == url
    assert fake.sent(USER)  # answered like any text


async def test_a_quoted_reply_keeps_the_quoted_message_id(oa) -> None:  # type: ignore[no-untyped-def]
    _client, fake, channel = oa
    [inbound] = channel.parse(fake.quote_event(USER, "Dạ đúng ạ", "msg-out-7"))
    assert inbound.reply_to == "msg-out-7"


async def test_follow_sends_the_welcome_with_the_menu(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, _ = oa
    await _push(client, fake, fake.event("follow", USER))
    [welcome] = fake.sent(USER)
    assert welcome["text"].startswith("Xin chào!")
    titles = [b["title"] for b in welcome["attachment"]["payload"]["buttons"]]
    assert "❓ Hỏi về thủ tục" in titles


async def test_receipts_shared_info_and_own_sends_are_not_stored(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, _ = oa
    for event in (
        fake.received_event(USER, "msg-out-1"),
        fake.seen_event(USER, ["msg-out-1", "msg-out-2"]),
        fake.submit_info_event(USER, "Nguyễn Văn A", "84912345678"),
        fake.oa_send_event(USER, "Xin chào"),
    ):
        await _push(client, fake, event)
    assert await _rows(client, InboxItem) == []
    assert fake.sent(USER) == []


async def test_a_redelivery_is_stored_once_and_logged_with_its_retry_count(  # type: ignore[no-untyped-def]
    oa, caplog
) -> None:
    client, fake, _ = oa
    event = fake.text_event(USER, "menu")
    await _push(client, fake, event)
    with caplog.at_level(logging.WARNING, logger="bot.web.zalo_webhooks"):
        await _push(client, fake, event, num_retry=2)
    assert len(await _rows(client, InboxItem)) == 1
    assert len(fake.sent(USER)) == 1
    assert any("redelivery #2" in r.getMessage() for r in caplog.records)
    assert all("menu" not in r.getMessage() for r in caplog.records)  # no message text


async def test_244_fails_the_message_without_blocking_the_citizen(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake, channel = oa
    await _push(client, fake, fake.text_event(USER, "menu"))
    fake.fail_next_send(-244, USER)
    result = await channel.send(USER, Reply("Tin này"))
    assert result.outcome == "failed" and "-244" in (result.error or "")
    assert (await channel.send(USER, Reply("Tin sau"))).outcome == "sent"
    [contact] = await _rows(client, Contact)
    assert contact.blocked is False
