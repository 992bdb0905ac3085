"""Zalo OA webhook: signature, replay window, malformed bodies, dedupe, echoes, event kinds."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import build_app
from bot.channels.zalo_api import normalize_signature_header, signature, timestamp_ms
from bot.db.models import Contact, InboxItem, Message
from bot.keys import pipeline_key, sessionmaker_key
from tests.conversations.drivers_zalo import zalo_settings

UNIT = "xa-binh-minh"
USER = "2468458835296197922"


@pytest.fixture
async def oa(settings, services, aiohttp_client, fake_zalo):  # type: ignore[no-untyped-def]
    zs = zalo_settings(settings, fake_zalo)
    services.settings = zs
    client = await aiohttp_client(build_app(zs, services=services, environ={}))
    return client, fake_zalo.oa


def _url(client: Any, unit: str = UNIT) -> str:
    return str(client.make_url(f"/webhooks/zalo/{unit}"))


async def _count(client: Any, model: Any) -> int:
    async with client.app[sessionmaker_key]() as sess:
        return int((await sess.execute(select(func.count()).select_from(model))).scalar_one())


def test_signature_is_sha256_of_app_id_body_timestamp_secret() -> None:
    import hashlib

    raw = b'{"event_name":"user_send_text"}'
    expected = hashlib.sha256(b"app" + raw + b"1700000000000" + b"secret").hexdigest()
    assert signature("app", raw, "1700000000000", "secret") == expected
    assert normalize_signature_header(f" MAC={expected.upper()} ") == expected
    assert normalize_signature_header(expected) == expected
    assert timestamp_ms("1700000000000") == 1700000000000
    assert timestamp_ms(1700000000) == 1700000000000  # seconds are tolerated
    assert timestamp_ms("soon") is None


@pytest.mark.parametrize("form", ["mac", "bare", "upper", "spaces"])
async def test_valid_signature_variants_are_accepted_and_stored(oa, form) -> None:  # type: ignore[no-untyped-def]
    client, fake = oa
    event = fake.text_event(USER, "xin chào")
    raw = json.dumps(event, ensure_ascii=False).encode()
    digest = fake.sign(raw, event["timestamp"])
    header = {
        "mac": f"mac={digest}",
        "bare": digest,
        "upper": f"mac={digest.upper()}",
        "spaces": f"  mac={digest} ",
    }[form]
    resp = await client.post(
        f"/webhooks/zalo/{UNIT}", data=raw, headers={"X-ZEvent-Signature": header}
    )
    assert resp.status == 200
    assert await _count(client, InboxItem) == 1


@pytest.mark.parametrize(
    ("signature_value", "status"),
    [
        (None, 401),  # missing
        ("mac=" + "0" * 64, 403),  # wrong
        ("mac=not-hex", 403),
        ("", 401),
    ],
)
async def test_forged_or_unsigned_events_are_rejected_and_nothing_stored(  # type: ignore[no-untyped-def]
    oa, signature_value, status
) -> None:
    client, fake = oa
    event = fake.text_event(USER, "xin chào")
    assert await fake.push_event(_url(client), event, signature=signature_value) == status
    assert await _count(client, InboxItem) == 0
    assert await _count(client, Contact) == 0


async def test_signature_over_other_bytes_is_rejected(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake = oa
    event = fake.text_event(USER, "xin chào")
    raw = json.dumps(event).encode()
    digest = fake.sign(raw, event["timestamp"])
    tampered = json.dumps({**event, "sender": {"id": "someone-else"}}).encode()
    resp = await client.post(
        f"/webhooks/zalo/{UNIT}", data=tampered, headers={"X-ZEvent-Signature": f"mac={digest}"}
    )
    assert resp.status == 403
    assert await _count(client, InboxItem) == 0


@pytest.mark.parametrize("age_hours", [13, -1])
async def test_stale_or_future_timestamp_is_rejected(oa, age_hours) -> None:  # type: ignore[no-untyped-def]
    client, fake = oa
    stamp = str(int((time.time() - age_hours * 3600) * 1000))
    event = fake.text_event(USER, "xin chào")
    assert await fake.push_event(_url(client), event, timestamp=stamp) == 403
    assert await _count(client, InboxItem) == 0


async def test_retry_an_hour_later_is_still_accepted(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake = oa
    stamp = str(int((time.time() - 3600) * 1000))
    event = fake.text_event(USER, "xin chào")
    assert await fake.push_event(_url(client), event, timestamp=stamp) == 200
    assert await _count(client, InboxItem) == 1


async def test_malformed_bodies_and_unknown_unit(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake = oa
    headers = {"X-ZEvent-Signature": "mac=" + "0" * 64}
    assert (
        await client.post(f"/webhooks/zalo/{UNIT}", data=b"{nope", headers=headers)
    ).status == 400
    assert (await client.post(f"/webhooks/zalo/{UNIT}", json=[1], headers=headers)).status == 400
    no_stamp = {"event_name": "user_send_text", "sender": {"id": USER}}
    assert (
        await client.post(f"/webhooks/zalo/{UNIT}", json=no_stamp, headers=headers)
    ).status == 400
    event = fake.text_event(USER, "xin chào")
    assert await fake.push_event(_url(client, "xa-khong-co"), event) == 404
    assert await _count(client, InboxItem) == 0


async def test_retried_event_is_stored_and_answered_once(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake = oa
    event = fake.text_event(USER, "menu")
    assert await fake.push_event(_url(client), event) == 200
    assert await fake.push_event(_url(client), event) == 200  # Zalo retries: still 200
    await client.app[pipeline_key].process_pending()
    await client.app[pipeline_key].process_pending()
    assert await _count(client, InboxItem) == 1
    assert len(fake.sent(USER)) == 1


async def test_event_without_msg_id_is_deduplicated_by_event_sender_timestamp(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake = oa
    follow = fake.event("follow", USER)
    assert await fake.push_event(_url(client), follow) == 200
    assert await fake.push_event(_url(client), follow) == 200
    assert await _count(client, InboxItem) == 1


async def test_own_echoes_and_receipts_are_acknowledged_not_stored(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake = oa
    echo = fake.event("oa_send_text", USER, {"text": "Xin chào"})
    echo["sender"], echo["recipient"] = {"id": fake.oa_id}, {"id": USER}
    seen = fake.event("user_seen_message", USER, {"msg_ids": ["x"]})
    for event in (echo, seen):
        assert await fake.push_event(_url(client), event) == 200
    assert await _count(client, InboxItem) == 0


async def test_follow_is_welcomed_and_unfollow_recorded_without_a_reply(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake = oa
    for name in ("follow", "unfollow"):
        assert await fake.push_event(_url(client), fake.event(name, USER)) == 200
        await client.app[pipeline_key].process_pending()
    async with client.app[sessionmaker_key]() as sess:
        rows = list((await sess.execute(select(Message).order_by(Message.id))).scalars())
        contact = (await sess.execute(select(Contact))).scalar_one()
    assert [(m.direction, m.kind) for m in rows] == [
        ("in", "follow"),
        ("out", "text"),  # the welcome, with the menu
        ("in", "unfollow"),
    ]
    assert contact.external_id == USER
    assert len(fake.sent(USER)) == 1


async def test_event_kinds_map_to_inbound_kinds(oa) -> None:  # type: ignore[no-untyped-def]
    client, fake = oa
    channel = client.app[pipeline_key].channels.get(UNIT, "zalo")
    image = channel.parse(fake.attachment_event(USER, "image"))[0]
    assert image.kind == "attachment" and image.attachments[0].kind == "photo"
    assert image.attachments[0].url == "https://photo.zalo.me/fake.jpg"
    assert channel.parse(fake.attachment_event(USER, "file"))[0].attachments[0].kind == "document"
    assert channel.parse(fake.attachment_event(USER, "sticker"))[0].kind == "sticker"
    assert channel.parse(fake.attachment_event(USER, "audio"))[0].kind == "voice"
    location = channel.parse(fake.attachment_event(USER, "location"))[0]
    assert location.kind == "location" and location.location == (10.95, 106.82)
    press = channel.parse(fake.click_event(USER, "#lx:pakn"))[0]
    assert (press.kind, press.payload) == ("button", "pakn")
    text = channel.parse(fake.text_event(USER, "#khaisinh là gì"))[0]
    assert (text.kind, text.text) == ("text", "#khaisinh là gì")
    assert channel.parse(fake.event("oa_send_text", USER, {"text": "x"})) == []
