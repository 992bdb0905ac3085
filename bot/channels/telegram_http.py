"""python-telegram-bot's HTTP layer on aiohttp, which the server already runs on.

PTB's default (`HTTPXRequest`) cost about a third of the event loop's time per update in
bench/hotpath_compare.py: httpx and httpcore build each request through several layers, and
PTB urlencodes the long Vietnamese texts. Here a request is one aiohttp call with a JSON body
(the Bot API's `application/json`; nested objects as objects), or multipart when it uploads a
file, as PTB sends it. PTB still builds, checks and parses every call; only the transport
changes, except for `post_json`: the hot path's sendMessage (bot/channels/telegram.py) goes
out as plain JSON and its answer stays JSON, skipping PTB's `Bot` method and the parsing of the
answer into a `Message` (about a third of a send's cost). Its errors are PTB's exceptions,
mapped from the status code as PTB maps them (`api_error`).
"""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from typing import Any

import aiohttp
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import BaseRequest, RequestData

USER_AGENT = "Loa Xa (python-telegram-bot; aiohttp)"
_TOKEN_IN_URL = re.compile(r"bot\d+:[\w-]+")
_DEFAULT = type(BaseRequest.DEFAULT_NONE)  # PTB's marker for "not given in this call"
JSON_HEADERS = {"Content-Type": "application/json", "User-Agent": USER_AGENT}


class AiohttpRequest(BaseRequest):
    __slots__ = ("_connections", "_session", "_timeouts")

    def __init__(
        self,
        connection_pool_size: int = 32,
        read_timeout: float = 5.0,
        write_timeout: float = 5.0,
        connect_timeout: float = 5.0,
        pool_timeout: float = 1.0,
    ) -> None:
        # PTB's defaults (HTTPXRequest): 5 s each, 1 s to wait for a free connection.
        self._connections = connection_pool_size
        self._timeouts = (read_timeout, write_timeout, connect_timeout, pool_timeout)
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts[0]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # No cookies (the Bot API sets none) and no proxy from the environment.
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                cookie_jar=aiohttp.DummyCookieJar(),
                json_serialize=json.dumps,
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            await self.initialize()  # PTB does not require Bot.initialize() before a call
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout)
        body: Any = None
        headers: dict[str, str] = {"User-Agent": USER_AGENT}
        if request_data is not None and request_data.contains_files:
            body = _multipart(request_data)
        elif request_data is not None:
            body = json.dumps(request_data.parameters, ensure_ascii=False).encode()
            headers = JSON_HEADERS
        return await self._call(method, url, body, headers, timeout)

    async def post_json(self, url: str, body: dict[str, Any]) -> Any:
        """POST `body` as JSON; the answer's `result` as JSON. Errors as PTB raises them."""
        if self._session is None or self._session.closed:
            await self.initialize()
        default = BaseRequest.DEFAULT_NONE
        timeout = self._timeout(default, default, default, default)
        data = json.dumps(body, ensure_ascii=False).encode()
        status, payload = await self._call("POST", url, data, JSON_HEADERS, timeout)
        if not HTTPStatus.OK <= status <= 299:
            raise api_error(status, payload)
        try:
            answer = json.loads(payload)
        except ValueError:
            raise TelegramError("Invalid server response") from None
        return answer.get("result") if isinstance(answer, dict) else None

    async def _call(
        self,
        method: str,
        url: str,
        body: Any,
        headers: dict[str, str],
        limits: aiohttp.ClientTimeout,
    ) -> tuple[int, bytes]:
        assert self._session is not None
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=limits
            ) as resp:
                return resp.status, await resp.read()
        except TimeoutError:
            raise TimedOut from None  # (no chained error: it could quote the URL and token)
        except aiohttp.ClientError as exc:
            detail = _TOKEN_IN_URL.sub("bot<token>", str(exc))  # some errors quote the URL
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {detail}") from None

    def _timeout(self, read: Any, write: Any, connect: Any, pool: Any) -> aiohttp.ClientTimeout:
        given = [
            default if isinstance(value, _DEFAULT) else value
            for value, default in zip((read, write, connect, pool), self._timeouts, strict=True)
        ]
        read, write, connect, pool = given
        # aiohttp has no write timeout: the upload's share goes into the total.
        total = None if None in given else sum(given)
        waits = None if connect is None or pool is None else connect + pool
        return aiohttp.ClientTimeout(
            total=total, connect=waits, sock_connect=connect, sock_read=read
        )


def _multipart(request_data: RequestData) -> aiohttp.FormData:
    form = aiohttp.FormData(quote_fields=False)
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, part in request_data.multipart_data.items():
        filename, content = part[0], part[1]
        mime = part[2] if len(part) > 2 else None
        if not isinstance(content, bytes | bytearray):
            content = content.read()  # a file handle (PTB 21.5+)
        form.add_field(name, bytes(content), filename=filename, content_type=mime)
    return form


def api_error(status: int, payload: bytes) -> TelegramError:
    """The exception PTB's `BaseRequest` raises for an error answer (same classes, same
    messages): callers handle both paths alike."""
    try:
        message = f"{HTTPStatus(status).phrase} ({status})"
    except ValueError:
        message = f"Unknown HTTPError ({status})"
    try:
        answer = json.loads(payload)
    except ValueError:
        answer = None
        message += f". Parsing the server response {payload!r} failed"
    if isinstance(answer, dict):
        message = str(answer.get("description") or message)
        parameters = answer.get("parameters")
        if isinstance(parameters, dict) and parameters:
            if parameters.get("migrate_to_chat_id"):
                return ChatMigrated(int(parameters["migrate_to_chat_id"]))
            if parameters.get("retry_after"):
                return RetryAfter(int(parameters["retry_after"]))
            message += f". The server response contained unknown parameters: {parameters}"
    if status == HTTPStatus.FORBIDDEN:
        return Forbidden(message)
    if status in (HTTPStatus.NOT_FOUND, HTTPStatus.UNAUTHORIZED):
        return InvalidToken(message)
    if status == HTTPStatus.BAD_REQUEST:
        return BadRequest(message)
    if status == HTTPStatus.CONFLICT:
        return Conflict(message)
    return NetworkError(message)
