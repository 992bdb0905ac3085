"""Every public Zalo webhook sample in tests/fixtures/zalo/ is accepted and parsed as expected."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_app
from bot.channels.zalo import ZaloChannel, event_id, is_handled
from bot.keys import pipeline_key
from tests.conversations.drivers_zalo import zalo_settings

UNIT = "xa-binh-minh"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "zalo"
SAMPLES = sorted(FIXTURES.glob("*.json"))


def _load(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert str(data.pop("_source", "")).strip(), f"{path.name} names no public source"
    expect = data.pop("_expect")
    return data, expect


def test_there_are_samples_of_every_kind_the_issue_names() -> None:
    names = {json.loads(p.read_text(encoding="utf-8"))["event_name"] for p in SAMPLES}
    assert {
        "user_send_text", "user_send_image", "user_send_file", "user_send_link", "follow",
        "anonymous_send_text", "user_received_message", "user_seen_message", "oa_send_text",
        "user_submit_info",
    } <= names  # fmt: skip


@pytest.fixture
async def oa(settings, services, aiohttp_client, fake_zalo):  # type: ignore[no-untyped-def]
    zs = zalo_settings(settings, fake_zalo)
    services.settings = zs
    client = await aiohttp_client(build_app(zs, services=services, environ={}))
    channel = client.app[pipeline_key].channels.get(UNIT, "zalo")
    assert isinstance(channel, ZaloChannel)
    return client, fake_zalo.oa, channel


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
async def test_sample_is_accepted_and_parsed(oa, path: Path) -> None:  # type: ignore[no-untyped-def]
    client, fake, channel = oa
    event, expect = _load(path)
    event["app_id"] = fake.app_id  # the signature covers our app id
    url = str(client.make_url(f"/webhooks/zalo/{UNIT}"))
    now = str(int(time.time() * 1000))
    assert await fake.push_event(url, event, timestamp=now) == 200
    parsed = channel.parse(event)
    assert event_id(event)
    if expect["kind"] == "any":
        return
    if expect["kind"] == "dropped":
        assert not is_handled(event) and parsed == []
        return
    [inbound] = parsed
    assert inbound.kind == expect["kind"]
    if "text" in expect:
        assert inbound.text == expect["text"]
    if "user_id" in expect:
        assert inbound.user_id == expect["user_id"]
    if "reply_to" in expect:
        assert inbound.reply_to == expect["reply_to"]
    if "attachment" in expect:
        [attachment] = inbound.attachments
        assert attachment.kind == expect["attachment"]
        assert attachment.mime == expect.get("mime", attachment.mime)
        assert attachment.size == expect.get("size", attachment.size)
        assert attachment.url == expect.get("url", attachment.url)
