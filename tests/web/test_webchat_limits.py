"""Limits of the public web chat: message size, request body, rate per session and address."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import build_app
from bot.db.models import InboxItem, Message
from bot.keys import sessionmaker_key
from bot.pakn.service import MAX_FAILED_PER_CODE
from bot.web.chat import MAX_TEXT, ChatLimits, chat_limits_key
from bot.web.limits import RateLimiter

UNIT = "xa-binh-minh"
TOO_FAST = "Ông/bà gửi nhanh quá, vui lòng chờ một chút"


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def client(settings, services, aiohttp_client):  # type: ignore[no-untyped-def]
    c = await aiohttp_client(build_app(settings, services=services, environ={}))
    assert (await c.get(f"/chat/{UNIT}/")).status == 200
    return c


def _limits(client: Any, **limiters: RateLimiter) -> None:
    limits: ChatLimits = client.app[chat_limits_key]
    for name, limiter in limiters.items():
        setattr(limits, name, limiter)


async def _count(client: Any, model: Any) -> int:
    async with client.app[sessionmaker_key]() as sess:
        return int((await sess.execute(select(func.count()).select_from(model))).scalar_one())


async def _post(client: Any, n: int, text: str = "menu", **extra: Any) -> Any:
    body = {"id": f"msg{n:08d}", "text": text, **extra}
    return await client.post(f"/chat/api/{UNIT}/send", json=body)


async def test_a_message_up_to_the_limit_is_answered(client: Any) -> None:
    resp = await _post(client, 1, ("làm căn cước " * 400)[:MAX_TEXT])
    assert resp.status == 200
    assert any(m["direction"] == "out" for m in (await resp.json())["messages"])


async def test_a_longer_message_gets_a_polite_refusal_and_nothing_is_stored(client: Any) -> None:
    resp = await _post(client, 1, "a" * (MAX_TEXT + 1))
    assert resp.status == 413
    body = await resp.json()
    assert "dài quá" in body["error"] and str(MAX_TEXT) in body["error"]
    big = await _post(client, 2, "làm căn cước " * 1600)  # 20,800 characters
    assert big.status == 413 and "dài quá" in (await big.json())["error"]
    assert await _count(client, InboxItem) == 0
    assert await _count(client, Message) == 0


async def test_a_big_chunked_body_is_refused_while_reading(client: Any) -> None:
    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: sent chunked
        yield b'{"id": "msg00000001", "text": "'
        for _ in range(64):
            yield b"a" * 32 * 1024
        yield b'"}'

    resp = await client.post(
        f"/chat/api/{UNIT}/send", data=chunks(), headers={"Content-Type": "application/json"}
    )
    assert resp.status == 413
    assert await _count(client, InboxItem) == 0


async def test_too_many_messages_from_one_session(client: Any) -> None:
    ticks = Ticks()
    _limits(client, per_session=RateLimiter(3, 60.0, ticks))
    for n in range(3):
        assert (await _post(client, n)).status == 200
    refused = await _post(client, 3)
    assert refused.status == 429
    assert TOO_FAST in (await refused.json())["error"]
    assert await _count(client, InboxItem) == 3  # the refused one is not stored
    ticks.now += 61
    assert (await _post(client, 4)).status == 200


async def test_polling_is_limited_per_session_and_per_address(client: Any) -> None:
    ticks = Ticks()
    _limits(client, polls_per_session=RateLimiter(3, 60.0, ticks))
    _limits(client, polls_per_address=RateLimiter(5, 60.0, ticks))
    poll = f"/chat/api/{UNIT}/messages"
    for _ in range(3):
        assert (await client.get(poll, params={"after": "0"})).status == 200
    refused = await client.get(poll, params={"after": "0"})
    assert refused.status == 429 and refused.headers["Retry-After"] == "60"
    assert TOO_FAST in (await refused.json())["error"]
    ticks.now += 30
    assert (await client.get(poll)).headers["Retry-After"] == "30"
    # A fresh cookie gets its own session window, but not a new address window.
    assert (await client.post(f"/chat/api/{UNIT}/reset")).status == 200
    refused = await client.get(poll)
    assert refused.status == 429 and TOO_FAST in (await refused.json())["error"]
    client.session.cookie_jar.clear()  # no session at all: still counted per address
    assert (await client.get(poll)).status == 429
    ticks.now += 61
    assert (await client.get(poll)).status == 200


async def test_a_refused_send_says_when_to_try_again(client: Any) -> None:
    ticks = Ticks()
    _limits(client, per_session=RateLimiter(2, 60.0, ticks))
    for n in range(2):
        assert (await _post(client, n)).status == 200
    ticks.now += 10
    refused = await _post(client, 3)
    assert refused.status == 429 and refused.headers["Retry-After"] == "50"


async def test_a_new_cookie_does_not_escape_the_address_limit(client: Any) -> None:
    ticks = Ticks()
    _limits(client, per_address=RateLimiter(4, 60.0, ticks))
    for n in range(4):
        assert (await client.post(f"/chat/api/{UNIT}/reset")).status == 200  # fresh cookie
        assert (await _post(client, n)).status == 200
    assert (await client.post(f"/chat/api/{UNIT}/reset")).status == 200
    refused = await _post(client, 9)
    assert refused.status == 429 and TOO_FAST in (await refused.json())["error"]
    assert await _count(client, InboxItem) == 4


@pytest.mark.parametrize("after", ["abc", "-1", "1.5"])
async def test_a_bad_after_is_rejected_before_the_message_is_stored(
    client: Any, after: str
) -> None:
    resp = await _post(client, 1, after=after)
    assert resp.status == 400
    assert await _count(client, InboxItem) == 0
    polled = await client.get(f"/chat/api/{UNIT}/messages", params={"after": after})
    assert polled.status == 400


async def _say(client: Any, n: int, text: str) -> str:
    resp = await _post(client, n, text)
    assert resp.status == 200, await resp.text()
    out = [m for m in (await resp.json())["messages"] if m["direction"] == "out"]
    return str(out[-1]["text"])


CODE = "PA-346-79A-CDP"  # well-formed (its check character is right), stored or not


async def test_status_guesses_are_limited_per_code_across_fresh_sessions(client: Any) -> None:
    tries = 0
    for _session in range(3):  # 3 sessions x 4 wrong phones: each under the per-contact limit
        assert (await client.post(f"/chat/api/{UNIT}/reset")).status == 200  # a new cookie
        for _ in range(4):
            tries += 1
            assert "số điện thoại đã khai" in await _say(client, 2 * tries, CODE)
            answer = await _say(client, 2 * tries + 1, f"0912 345 {600 + tries:03d}")
            if tries <= MAX_FAILED_PER_CODE:
                assert "Không tìm thấy" in answer, (tries, answer)
            else:  # the code is locked for an hour, whatever session or channel asks
                assert "thử lại sau 1 giờ" in answer, (tries, answer)
    assert (await client.post(f"/chat/api/{UNIT}/reset")).status == 200
    assert "số điện thoại đã khai" in await _say(client, 100, CODE)
    assert "thử lại sau 1 giờ" in await _say(client, 101, "0912 345 678")


async def test_new_chat_sessions_per_address_are_limited(client: Any) -> None:
    ticks = Ticks()
    _limits(client, new_sessions=RateLimiter(3, 3600.0, ticks))
    for _ in range(3):
        assert (await client.post(f"/chat/api/{UNIT}/reset")).status == 200
    refused = await client.post(f"/chat/api/{UNIT}/reset")
    assert refused.status == 429 and TOO_FAST in (await refused.json())["error"]
    client.session.cookie_jar.clear()  # a "new browser" from the same address
    page = await client.get(f"/chat/{UNIT}/")
    assert page.status == 429 and "quá nhiều phiên" in await page.text()
    assert "Set-Cookie" not in page.headers
    ticks.now += 3601
    assert (await client.get(f"/chat/{UNIT}/")).status == 200


async def test_an_untrusted_proxy_is_reported_once(client: Any, caplog: Any) -> None:
    proxied = {"X-Forwarded-For": "203.0.113.9"}
    for n in range(2):
        body = {"id": f"msg{n:08d}", "text": "menu"}
        resp = await client.post(f"/chat/api/{UNIT}/send", json=body, headers=proxied)
        assert resp.status == 200
    warnings = [r for r in caplog.records if "TRUST_PROXY" in r.getMessage()]
    assert len(warnings) == 1
