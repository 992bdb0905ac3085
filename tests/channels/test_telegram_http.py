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

from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_http import AiohttpRequest, api_error
from bot.core.messages import Button, Reply

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


class _Canned(telegram.request.BaseRequest):
    """PTB's own error handling (BaseRequest.post) over a canned answer."""

    def __init__(self, status: int, payload: bytes) -> None:
        self.answer = (status, payload)

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        return self.answer


def _answer(code: int, description: str | None = None, **parameters: Any) -> bytes:
    body: dict[str, Any] = {"ok": False, "error_code": code}
    if description is not None:
        body["description"] = description
    if parameters:
        body["parameters"] = parameters
    return json.dumps(body).encode()


@pytest.mark.parametrize(
    ("status", "payload"),
    [
        (403, _answer(403, "Forbidden: bot was blocked by the user")),
        (400, _answer(400, "Bad Request: chat not found")),
        (429, _answer(429, "Too Many Requests: retry after 7", retry_after=7)),
        (400, _answer(400, "Bad Request: group chat was upgraded", migrate_to_chat_id=-100)),
        (401, _answer(401, "Unauthorized")),
        (409, _answer(409, "Conflict: terminated by other getUpdates request")),
        (502, b"<html>Bad Gateway</html>"),
        (500, _answer(500)),
        (418, _answer(418, "odd", extra=1)),
    ],
)
async def test_the_plain_send_path_raises_what_ptb_raises(status: int, payload: bytes) -> None:
    """post_json's errors (api_error) are the exception PTB raises for the same answer, with
    the same message: TelegramChannel.send handles both paths alike."""
    with pytest.raises(telegram.error.TelegramError) as ptb:
        await _Canned(status, payload).post("http://x/bot1:a/sendMessage")
    ours = api_error(status, payload)
    assert type(ours) is type(ptb.value)
    assert ours.message == ptb.value.message
    assert str(ours) == str(ptb.value)


async def test_the_plain_send_path_posts_the_bot_api_json(
    api: tuple[str, list[dict[str, Any]]],
) -> None:
    """TelegramChannel.send for text and buttons: one sendMessage whose JSON is what
    Bot.send_message sends (nested keyboard, reply parameters)."""
    base, seen = api
    bot = telegram.Bot(TOKEN, base_url=base, request=AiohttpRequest())
    channel = TelegramChannel("xa-binh-minh", bot)
    reply = Reply("Chào ông/bà", buttons=[Button.reply("Lệ phí", "faq:le-phi")], reply_to="41")
    try:
        result = await channel.send("1", reply)
        plain = json.loads(seen[-1]["body"])
        await bot.send_message(
            1,
            "Chào ông/bà",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("Lệ phí", callback_data="faq:le-phi")]]
            ),
            reply_parameters=telegram.ReplyParameters(41, allow_sending_without_reply=True),
        )
        by_ptb = json.loads(seen[-1]["body"])
    finally:
        await bot.shutdown()
    assert (result.outcome, result.external_id) == ("sent", "7")
    assert seen[-2]["type"] == "application/json"
    assert plain == by_ptb


async def test_a_long_plain_reply_threads_its_first_part_and_asks_with_its_last(
    api: tuple[str, list[dict[str, Any]]],
) -> None:
    """As Bot.send_message was called before: the quoted message on the first part only, the
    keyboard (or the reply prompt) on the last part only."""
    base, seen = api
    bot = telegram.Bot(TOKEN, base_url=base, request=AiohttpRequest())
    channel = TelegramChannel("xa-binh-minh", bot)
    text = ("Câu trả lời rất dài. " * 300).strip()  # over 4,096 characters: two parts
    try:
        await channel.send("1", Reply(text, force_reply=True, reply_to="41"))
        await channel.send("1", Reply(text, buttons=[Button.reply("Lệ phí", "faq:le-phi")]))
    finally:
        await bot.shutdown()
    bodies = [json.loads(s["body"]) for s in seen[-4:]]
    assert [len(b["text"]) <= 4096 for b in bodies] == [True] * 4
    first, last, plain, keyed = bodies
    assert first["reply_parameters"] == {"message_id": 41, "allow_sending_without_reply": True}
    assert "reply_markup" not in first and "reply_parameters" not in last
    assert last["reply_markup"] == {"force_reply": True, "selective": True}
    assert "reply_markup" not in plain
    assert keyed["reply_markup"] == {
        "inline_keyboard": [[{"text": "Lệ phí", "callback_data": "faq:le-phi"}]]
    }
