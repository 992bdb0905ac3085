"""A fake Telegram Bot API server that speaks the real HTTP API, for tests and benchmarks.

Production code talks to it unchanged: ``telegram.Bot(token, base_url=fake.base_url)``.

    async with FakeTelegram() as fake:
        async with telegram.Bot(fake.token, base_url=fake.base_url) as bot:
            await bot.send_message(42, "Xin chào")
        assert fake.sent(42)[0]["text"] == "Xin chào"

Answers have the Bot API's shapes and error texts; see ``FakeTelegram`` for recording, fault
injection (``fail_next``, ``block_user``, ``rate_limit``) and inbound updates (``make_*_update``,
``queue_update`` for getUpdates, ``push_update`` for webhooks).
"""

from __future__ import annotations

import asyncio
import json
import math
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from .telegram_checks import (
    JSON,
    ApiError,
    read_params,
)
from .telegram_methods import BotApi, Handler

DEFAULT_TOKEN = "123456789:AAFakeTokenForLoaXaTests_0123456789"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup"})
# Methods aimed at one chat: a blocked user answers them with 403.
CHAT_METHODS = SEND_METHODS | {"editMessageText", "editMessageReplyMarkup", "sendChatAction"}
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    403: "Forbidden: bot was blocked by the user",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


@dataclass
class SendStats:
    """Answers to send methods (sendMessage, sendPhoto, sendDocument)."""

    accepted: int = 0
    rejected: int = 0  # any error answer, including the 429s below
    rate_limited: int = 0  # 429 answers (rate_limit or fail_next)


@dataclass
class _Fault:
    method: str
    error_code: int
    description: str
    retry_after: int | None
    remaining: int
    chat_id: int | str | None


class _RateLimiter:
    """Sliding one-second windows over monotonic time, globally and per chat."""

    def __init__(
        self,
        global_per_sec: int | None,
        per_chat_per_sec: int | None,
        clock: Callable[[], float],
    ) -> None:
        self.clock = clock
        self.global_per_sec = global_per_sec
        self.per_chat_per_sec = per_chat_per_sec
        self._global: deque[float] = deque()
        self._chats: dict[Any, deque[float]] = {}

    def retry_after(self, chat_id: Any) -> int | None:
        """None (and the send is counted) if allowed, else the seconds to wait."""
        now = self.clock()
        chat = self._chats.setdefault(chat_id, deque())
        waits = []
        for window, limit in ((self._global, self.global_per_sec), (chat, self.per_chat_per_sec)):
            while window and window[0] <= now - 1.0:
                window.popleft()
            if limit is not None and len(window) >= limit:
                waits.append(window[0] + 1.0 - now)
        if waits:
            return max(1, math.ceil(max(waits)))
        self._global.append(now)
        chat.append(now)
        return None


class FakeTelegram(BotApi):
    """The fake server and its controller (state, records, faults, inbound updates)."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        username: str = "loaxa_test_bot",
        first_name: str = "Loa Xã",
    ) -> None:
        bot_id = token.split(":", 1)[0]  # a real token starts with the bot's user id
        bot_user = {"id": int(bot_id) if bot_id.isdigit() else 1, "is_bot": True}
        super().__init__({**bot_user, "first_name": first_name, "username": username})
        self.token = token
        self.requests: list[tuple[str, JSON]] = []
        self.stats = SendStats()
        self._faults: list[_Fault] = []
        self._blocked: set[int | str] = set()
        self._limiter: _RateLimiter | None = None
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.port = 0
        self.host = "127.0.0.1"

    # -- lifecycle --------------------------------------------------------------------------

    def make_app(self) -> web.Application:
        """The aiohttp application (also usable with pytest-aiohttp's ``aiohttp_server``)."""
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> FakeTelegram:
        self._closing = False
        self._runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.host, self.port = host, self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self._closing = True
        self._notify()  # long polls answer at once instead of holding up the shutdown
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """What ``telegram.Bot(base_url=...)`` takes; PTB appends the token and ``/method``."""
        return f"http://{self.host}:{self.port}/bot"

    # -- records ----------------------------------------------------------------------------

    def calls(self, method: str) -> list[JSON]:
        """Parameters of every accepted-or-rejected call of ``method``, oldest first."""
        return [params for name, params in self.requests if name.lower() == method.lower()]

    def sent(self, chat_id: int | str | None = None) -> list[JSON]:
        """Messages the bot sent or edited (edits carry ``edit_date``), oldest first.

        Each is the ``Message`` the API answered with, plus ``reply_markup`` as the bot sent it
        (the API itself only echoes inline keyboards).
        """
        return [m for m in self._sent if chat_id is None or m["chat"]["id"] == chat_id]

    async def wait_for_messages(
        self, chat_id: int | str, count: int, timeout: float = 5.0
    ) -> list[JSON]:
        """Wait until ``sent(chat_id)`` holds ``count`` messages; return them."""
        deadline = time.monotonic() + timeout
        while len(self.sent(chat_id)) < count:
            if time.monotonic() >= deadline:
                texts = [m.get("text", m.get("caption")) for m in self.sent(chat_id)]
                recent = [name for name, _ in self.requests[-10:]]
                raise TimeoutError(
                    f"expected {count} message(s) to chat {chat_id} within {timeout}s, "
                    f"got {len(texts)}: {texts!r}; last API calls: {recent}"
                )
            await asyncio.sleep(0.005)
        return self.sent(chat_id)

    def reset(self) -> None:
        """Forget recorded requests, sent messages and counters (not faults or webhook)."""
        self.requests.clear()
        self._sent.clear()
        self.stats = SendStats()

    # -- fault injection --------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        retry_after: int = 1,
        times: int = 1,
        chat_id: int | str | None = None,
        description: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (optionally only to ``chat_id``)
        with an error; 429 carries ``parameters.retry_after`` like the real flood control."""
        if description is None:
            if error_code == 429:
                description = f"Too Many Requests: retry after {retry_after}"
            else:
                description = _DEFAULT_DESCRIPTIONS.get(error_code, "Internal Server Error")
        self._faults.append(
            _Fault(
                method.lower(),
                error_code,
                description,
                retry_after if error_code == 429 else None,
                times,
                chat_id,
            )
        )

    def block_user(self, chat_id: int | str) -> None:
        """From now on every call aimed at ``chat_id`` answers 403 (bot blocked by user)."""
        self._blocked.add(chat_id)

    def unblock_user(self, chat_id: int | str) -> None:
        self._blocked.discard(chat_id)

    def rate_limit(
        self,
        global_per_sec: int | None = 30,
        per_chat_per_sec: int | None = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Flood control for send methods: more than the limit within any second → 429.

        ``None`` switches one limit off; ``clock`` (seconds) lets tests freeze time.
        """
        self._limiter = _RateLimiter(global_per_sec, per_chat_per_sec, clock)

    def no_rate_limit(self) -> None:
        self._limiter = None

    # -- inbound updates --------------------------------------------------------------------

    def queue_update(self, update: JSON) -> None:
        """Make ``update`` available to getUpdates (and wake a waiting long poll)."""
        self._updates.append(update)
        self._notify()

    async def push_update(
        self, update: JSON, url: str | None = None, secret: str | None = None
    ) -> int:
        """POST ``update`` to a webhook as Telegram does; return the HTTP status.

        Defaults: the url and secret_token from the last setWebhook.
        """
        url = url or self.webhook.get("url")
        if not url:
            raise RuntimeError("push_update: no url given and no webhook set via setWebhook")
        secret = secret if secret is not None else self.webhook.get("secret_token")
        headers = {"Content-Type": "application/json"}
        if secret:
            headers[SECRET_HEADER] = secret
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        async with self._session.post(url, data=json.dumps(update), headers=headers) as resp:
            await resp.read()
            return resp.status

    # -- HTTP -------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        try:
            token = request.match_info["token"].encode()
            if not secrets.compare_digest(token, self.token.encode()):
                raise ApiError(401, "Unauthorized")
            name, handler = self.methods.get(request.match_info["method"].lower(), ("", None))
            if handler is None:
                raise ApiError(404, "Not Found")
            params = await read_params(request)
            self.requests.append((name, params))
            result = await self._call(name, handler, params)
        except ApiError as err:
            return web.json_response(err.body(), status=err.error_code)
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.Response:
        """A file by the file_path getFile gave (the real server: 404 for anything else)."""
        token = request.match_info["token"].encode()
        path = request.match_info["path"]
        found = [data for p, data in self.files.values() if p == path]
        if not secrets.compare_digest(token, self.token.encode()) or not found:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        self.requests.append(("download", {"file_path": path}))
        return web.Response(body=found[0], content_type="application/octet-stream")

    async def _call(self, name: str, handler: Handler, params: JSON) -> Any:
        is_send = name in SEND_METHODS
        chat_id = params.get("chat_id")
        try:
            self._raise_injected_fault(name, chat_id)
            if name in CHAT_METHODS and chat_id in self._blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if is_send and self._limiter is not None:
                wait = self._limiter.retry_after(chat_id)
                if wait is not None:
                    raise ApiError(429, f"Too Many Requests: retry after {wait}", wait)
            result = await handler(params)
        except ApiError as err:
            if is_send:
                self.stats.rejected += 1
                self.stats.rate_limited += err.error_code == 429
            raise
        if is_send:
            self.stats.accepted += 1
        return result

    def _raise_injected_fault(self, name: str, chat_id: Any) -> None:
        for fault in self._faults:
            if fault.method == name.lower() and fault.chat_id in (None, chat_id):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                raise ApiError(fault.error_code, fault.description, fault.retry_after)
