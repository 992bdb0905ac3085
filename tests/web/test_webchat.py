"""The web chat over HTTP: bad input, stale buttons, crash safety, sessions."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.app import build_app
from bot.db.models import InboxItem, Message
from bot.keys import pipeline_key, sessionmaker_key

UNIT = "xa-binh-minh"


@pytest.fixture
async def client(settings, services, aiohttp_client):  # type: ignore[no-untyped-def]
    c = await aiohttp_client(build_app(settings, services=services, environ={}))
    page = await c.get(f"/chat/{UNIT}/")
    assert page.status == 200
    return c


async def send(client: Any, n: int, **body: Any) -> list[dict[str, Any]]:
    """Send one message; return the bot's replies that are new since the last send."""
    after = getattr(client, "_last_id", 0)
    resp = await client.post(
        f"/chat/api/{UNIT}/send", json={"id": f"msg{n:08d}", "after": after, **body}
    )
    assert resp.status == 200, await resp.text()
    messages = (await resp.json())["messages"]
    if messages:
        client._last_id = max(m["id"] for m in messages)
    return [m for m in messages if m["direction"] == "out"]


async def test_page_sets_an_httponly_session_cookie(settings, services, aiohttp_client) -> None:  # type: ignore[no-untyped-def]
    c = await aiohttp_client(build_app(settings, services=services, environ={}))
    resp = await c.get(f"/chat/{UNIT}/")
    html = await resp.text()
    assert "UBND xã Bình Minh" in html and "/chat/static/chat.js" in html
    set_cookie = resp.headers["Set-Cookie"]
    assert (
        "loaxa_chat=" in set_cookie and "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    )
    again = await c.get(f"/chat/{UNIT}/")
    assert "Set-Cookie" not in again.headers  # the same browser keeps its session


async def test_unknown_and_stale_buttons_get_the_menu(client) -> None:  # type: ignore[no-untyped-def]
    for n, payload in enumerate(
        ["bogus:1", "ask:e:khong-co-muc-nay:999", "ask:fb:123456:up", "~deadbeef"]
    ):
        replies = await send(client, n, payload=payload)
        assert len(replies) == 1
        assert "Nút này đã cũ" in replies[0]["text"], payload
        assert any("Hỏi về thủ tục" in b["label"] for b in replies[0]["buttons"])


async def test_same_client_message_id_is_processed_once(client) -> None:  # type: ignore[no-untyped-def]
    first = await send(client, 7, text="menu")
    again = await send(client, 7, text="menu")
    assert len(first) == 1
    assert again == []  # the retried POST created nothing new


async def test_requests_without_session_or_with_bad_ids_are_refused(
    settings, services, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    c = await aiohttp_client(build_app(settings, services=services, environ={}))
    no_cookie = await c.post(f"/chat/api/{UNIT}/send", json={"id": "abcdefgh1", "text": "hi"})
    assert no_cookie.status == 401
    await c.get(f"/chat/{UNIT}/")
    bad_id = await c.post(f"/chat/api/{UNIT}/send", json={"id": "<x>", "text": "hi"})
    assert bad_id.status == 400
    bad_json = await c.post(
        f"/chat/api/{UNIT}/send", data=b"{", headers={"Content-Type": "application/json"}
    )
    assert bad_json.status == 400
    unknown = await c.get("/chat/xa-khong-co/")
    assert unknown.status == 404


async def test_a_failing_conversation_answers_politely(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from handlers import ask

    async def boom(self, ctx):  # type: ignore[no-untyped-def]
        raise RuntimeError("bug")

    monkeypatch.setattr(ask.AskFlow, "_answer_text", boom)
    replies = await send(client, 1, text="đăng ký khai sinh cho con")
    assert "gặp lỗi" in replies[0]["text"]
    again = await send(client, 2, text="menu")
    assert again and "Hỏi về thủ tục" in again[0]["buttons"][0]["label"]


async def test_message_stored_before_a_crash_is_answered_after_restart(
    settings, services, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    app1 = build_app(settings, services=services, environ={})
    c1 = await aiohttp_client(app1)
    # Stored (as a webhook would before answering 200), then the process dies before processing.
    await c1.app[pipeline_key].accept(
        UNIT, "web", "sid123456:m1", {"sid": "sid123456", "text": "menu"}
    )
    await c1.close()

    c2 = await aiohttp_client(build_app(settings, services=services, environ={}))
    assert await c2.app[pipeline_key].process_pending() == 1
    async with c2.app[sessionmaker_key]() as sess:
        item = (await sess.execute(select(InboxItem))).scalar_one()
    assert item.processed_at is not None
    c2.session.cookie_jar.update_cookies({"loaxa_chat": "sid123456"})
    resp = await c2.get(f"/chat/api/{UNIT}/messages?after=0")
    out = [m for m in (await resp.json())["messages"] if m["direction"] == "out"]
    assert out and "Hỏi về thủ tục" in out[0]["buttons"][0]["label"]


@pytest.mark.parametrize(
    ("poison", "cleaned"),
    [("\x00", ""), ("\ud83d", "\ufffd"), ("\x07\x1b[31m", "[31m")],
    ids=["nul-fails-on-postgres", "lone-surrogate-fails-on-sqlite", "controls"],
)
async def test_poison_characters_are_cleaned_and_answered(client, poison, cleaned) -> None:  # type: ignore[no-untyped-def]
    replies = await send(client, 1, text=f"xin chào{poison} làm căn cước{poison}\r\nở đâu")
    assert replies, "the citizen gets an answer"
    async with client.app[sessionmaker_key]() as sess:
        item = (await sess.execute(select(InboxItem))).scalar_one()
        inbound = (
            await sess.execute(select(Message).where(Message.direction == "in"))
        ).scalar_one()
    assert item.processed_at is not None and item.error is None
    assert inbound.text == f"xin chào{cleaned} làm căn cước{cleaned}\nở đâu"


async def test_a_question_is_understood_before_its_transaction(client, matched) -> None:  # type: ignore[no-untyped-def]
    """The web chat processes its update at once (Pipeline.process_stored): the question is
    still matched while the write gate is free, and answered from that result."""
    seen = matched(client.server.app[pipeline_key])
    replies = await send(client, 1, text="đăng ký thường trú cần giấy tờ gì")
    assert seen == [("đăng ký thường trú cần giấy tờ gì", True)]
    assert replies and "thường trú" in replies[0]["text"].lower()
