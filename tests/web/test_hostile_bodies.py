"""Hostile request bodies found by the fuzz suite (tests/fuzz): refused with a 4xx, nothing
stored, on every webhook and the web chat."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import func, select

from bot.app import build_app
from bot.db.models import Contact, InboxItem, Message
from bot.keys import sessionmaker_key
from bot.web.limits import MAX_DEPTH, parse_json
from tests.conversations.drivers import TG_SECRET
from tests.conversations.drivers_zalo import ZALOBOT_SECRET, zalo_settings

UNIT = "xa-binh-minh"
DEEP = b"[" * 10_000 + b"]" * 10_000  # Python's parser recurses until RecursionError


@pytest.mark.parametrize(
    "raw",
    [
        DEEP,
        b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1),
        b'{"a": NaN}',
        b'{"a": Infinity}',
        b'{"a": -Infinity}',
        b'{"a": 1e400}',
        b'{"a": "\xc3\x28"}',
        b"{not json",
    ],
)
def test_parse_json_refuses_what_no_channel_sends(raw: bytes) -> None:
    with pytest.raises(web.HTTPBadRequest):
        parse_json(raw)


def test_deep_json_is_refused_before_the_parser_recurses(monkeypatch: pytest.MonkeyPatch) -> None:
    # Near the recursion limit even a finalizer run by the garbage collector fails, so deep text
    # must never reach json.loads.
    parsed: list[str] = []
    real_loads = json.loads

    def spy(text: str, **kwargs: Any) -> Any:
        parsed.append(text)
        return real_loads(text, **kwargs)

    monkeypatch.setattr(json, "loads", spy)
    for raw in (DEEP, b'{"a":' * 5000 + b"1" + b"}" * 5000, b'[{"a": ' * 40 + b"1" + b"}]" * 40):
        with pytest.raises(web.HTTPBadRequest):
            parse_json(raw)
    assert parsed == []


def test_brackets_inside_strings_are_not_nesting() -> None:
    text = '{"a": "' + "[" * 100 + r'", "b": "\\", "c": "\"{{{{' + "{" * 100 + '"}'
    assert parse_json(text.encode()) == json.loads(text)


def test_parse_json_reads_ordinary_json() -> None:
    nested = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    assert parse_json(nested) is not None
    assert parse_json(b'{"a": [1, 2.5, "x\\ud83d"], "b": null}') == {
        "a": [1, 2.5, "x\ud83d"],
        "b": None,
    }


@pytest.fixture
async def client(settings, services, aiohttp_client, fake_telegram, fake_zalo):  # type: ignore[no-untyped-def]
    every = zalo_settings(
        settings,
        fake_zalo,
        web_chat="on",
        telegram_bot_token=fake_telegram.token,
        telegram_api_url=fake_telegram.base_url,
        telegram_webhook_secret=TG_SECRET,
    )
    services.settings = every
    return await aiohttp_client(build_app(every, services=services, environ={}))


async def _stored(client: Any) -> tuple[int, ...]:
    async with client.app[sessionmaker_key]() as sess:
        counts = []
        for model in (InboxItem, Message, Contact):
            query = select(func.count()).select_from(model)
            counts.append(int((await sess.execute(query)).scalar_one()))
        return tuple(counts)


def _routes(fake_zalo: Any) -> list[tuple[str, dict[str, str]]]:
    return [
        (f"/webhooks/telegram/{UNIT}", {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET}),
        (f"/webhooks/zalobot/{UNIT}", {"X-Bot-Api-Secret-Token": ZALOBOT_SECRET}),
        (f"/chat/api/{UNIT}/send", {"Cookie": "loaxa_chat=fuzzsession0001abcdefgh"}),
    ]


@pytest.mark.parametrize("raw", [DEEP, b'{"update_id": 1, "a": NaN}', b'{"update_id": 1e400}'])
async def test_deep_or_non_finite_json_is_a_400_everywhere(client, fake_zalo, raw) -> None:  # type: ignore[no-untyped-def]
    for path, headers in _routes(fake_zalo):
        resp = await client.post(path, data=raw, headers=headers)
        assert resp.status == 400, path
    signature = "mac=" + fake_zalo.oa.sign(raw, "")
    resp = await client.post(
        f"/webhooks/zalo/{UNIT}", data=raw, headers={"X-ZEvent-Signature": signature}
    )
    assert resp.status == 400
    assert await _stored(client) == (0, 0, 0)


@pytest.mark.parametrize("update_id", ["5", 2**64, 10**30, -1, True, 1.5, None])
async def test_telegram_update_id_must_be_a_64_bit_id(client, update_id) -> None:  # type: ignore[no-untyped-def]
    update = {"update_id": update_id, "message": {"message_id": 1, "text": "xin chào"}}
    resp = await client.post(
        f"/webhooks/telegram/{UNIT}",
        data=json.dumps(update),
        headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET},
    )
    assert resp.status == 400
    assert await _stored(client) == (0, 0, 0)


async def test_webhook_bodies_over_64_kb_are_refused(client, fake_zalo) -> None:  # type: ignore[no-untyped-def]
    raw = json.dumps({"update_id": 1, "pad": "x" * 70_000}).encode()
    for path, headers in _routes(fake_zalo)[:2]:
        resp = await client.post(path, data=raw, headers=headers)
        assert resp.status == 413, path
    signature = "mac=" + fake_zalo.oa.sign(raw, "")
    resp = await client.post(
        f"/webhooks/zalo/{UNIT}", data=raw, headers={"X-ZEvent-Signature": signature}
    )
    assert resp.status == 413
    assert await _stored(client) == (0, 0, 0)
