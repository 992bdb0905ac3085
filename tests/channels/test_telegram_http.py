"""PTB's transport on aiohttp (bot/channels/telegram_http.py): the wire format and the errors
PTB expects. The Bot API methods themselves run against the fake in
tests/fakes/test_telegram_server.py, with this transport too."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
import telegram
from aiohttp import web
from aiohttp.test_utils import TestServer
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TimedOut

from bot.channels.telegram_http import AiohttpRequest

TOKEN = "123:abc"


@pytest.fixture
async def api() -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
    """A Bot API stand-in that records each request; `slow` in the path sleeps 2 s."""
    seen: list[dict[str, Any]] = []

    async def handle(request: web.Request) -> web.Response:
        body = await request.read()
        seen.append({"type": request.content_type, "body": body, "agent": request.headers})
        if request.path.endswith("/getChat"):
            await asyncio.sleep(2)
        if request.path.endswith("/getMe"):
            me = {"id": 123, "is_bot": True, "first_name": "Loa Xã", "username": "loaxa_bot"}
            return web.json_response({"ok": True, "result": me})
        message = {"message_id": 7, "date": 0, "chat": {"id": 1, "type": "private"}}
        return web.json_response({"ok": True, "result": message})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    server = TestServer(app)
    await server.start_server()
    try:
        yield f"http://127.0.0.1:{server.port}/bot", seen
    finally:
        await server.close()


async def test_a_message_goes_as_json_with_nested_objects(
    api: tuple[str, list[dict[str, Any]]],
) -> None:
    base, seen = api
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Lệ phí", callback_data="faq:le-phi")]])
    async with telegram.Bot(TOKEN, base_url=base, request=AiohttpRequest()) as bot:
        sent = await bot.send_message(1, "Chào ông/bà — lệ phí 0 đồng", reply_markup=markup)
    assert sent.message_id == 7
    last = seen[-1]
    assert last["type"] == "application/json"
    body = json.loads(last["body"])
    assert body["text"] == "Chào ông/bà — lệ phí 0 đồng"
    assert body["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "faq:le-phi"


async def test_an_upload_goes_as_multipart(api: tuple[str, list[dict[str, Any]]]) -> None:
    base, seen = api
    async with telegram.Bot(TOKEN, base_url=base, request=AiohttpRequest()) as bot:
        await bot.send_photo(1, b"\x89PNG fake", caption="Sơ đồ")
    assert seen[-1]["type"] == "multipart/form-data"
    assert b"\x89PNG fake" in seen[-1]["body"] and "Sơ đồ".encode() in seen[-1]["body"]


async def test_a_slow_answer_is_timed_out(api: tuple[str, list[dict[str, Any]]]) -> None:
    base, _ = api
    request = AiohttpRequest(read_timeout=0.2)
    async with telegram.Bot(TOKEN, base_url=base, request=request) as bot:
        with pytest.raises(TimedOut):
            await bot.get_chat(1)


async def test_a_closed_port_is_a_network_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when the block ends
    request = AiohttpRequest()
    bot = telegram.Bot(TOKEN, base_url=f"http://127.0.0.1:{port}/bot", request=request)
    try:
        with pytest.raises(NetworkError) as caught:
            await bot.send_message(1, "xin chào")
        assert not isinstance(caught.value, TimedOut)
        assert TOKEN not in str(caught.value)  # the URL holds the token: never in the error
    finally:
        await request.shutdown()


async def test_an_error_that_quotes_the_url_does_not_carry_the_token() -> None:
    request = AiohttpRequest()
    bot = telegram.Bot(TOKEN, base_url="http://bad host/bot", request=request)
    try:
        with pytest.raises(NetworkError) as caught:
            await bot.send_message(1, "xin chào")
        assert TOKEN not in str(caught.value) and caught.value.__cause__ is None
    finally:
        await request.shutdown()
