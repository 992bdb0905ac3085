"""A fake Zalo Bot Platform API on loopback (POST /bot<TOKEN>/<method>), for tests.

Production code talks to it unchanged (ZALO_BOT_API_URL = fake.base_url). Answers have the
platform's shapes: {"ok": true, "result": …} or {"ok": false, "error_code", "description"}.
getUpdates long-polls and returns one update {"event_name", "message"} per call, or error 408
when its timeout passes with nothing to deliver; it refuses to work while a webhook is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import secrets
import time
from collections import deque
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

JSON = dict[str, Any]
DEFAULT_TOKEN = "1459232241454765289:FakeZaloBotTokenForLoaXaTests"
SECRET_HEADER = "X-Bot-Api-Secret-Token"


class FakeZaloBot:
    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        self.token = token
        self.requests: list[tuple[str, JSON]] = []
        self.messages: list[JSON] = []  # {"chat_id", "text" | "photo", "message_id"}
        self.webhook: JSON = {}
        self._updates: deque[JSON] = deque()
        self._wake = asyncio.Event()
        self._ids = itertools.count(1)
        self._faults: list[tuple[str, int, str]] = []
        self._blocked: set[str] = set()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.host, self.port = "127.0.0.1", 0

    async def start(self) -> FakeZaloBot:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, 0).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self._wake.set()
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeZaloBot:
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
        """What ZALO_BOT_API_URL takes: the token and /method are appended."""
        return f"http://{self.host}:{self.port}/bot"

    # -- records and faults -------------------------------------------------------------------
    def calls(self, method: str) -> list[JSON]:
        return [params for name, params in self.requests if name == method]

    def sent(self, chat_id: str | None = None) -> list[JSON]:
        return [m for m in self.messages if chat_id in (None, m["chat_id"])]

    def fail_next(self, method: str, error_code: int, description: str = "Error") -> None:
        self._faults.append((method, error_code, description))

    def block_user(self, chat_id: str) -> None:
        self._blocked.add(chat_id)

    # -- inbound updates ----------------------------------------------------------------------
    def make_update(self, chat_id: str, text: str | None = None, event: str = "") -> JSON:
        message: JSON = {
            "from": {"id": chat_id, "display_name": "Minh", "is_bot": False},
            "chat": {"id": chat_id, "chat_type": "PRIVATE"},
            "message_id": f"in-{next(self._ids):08x}",
            "date": int(time.time() * 1000),
        }
        if text is not None:
            message["text"] = text
        name = event or ("message.text.received" if text is not None else "")
        if name == "message.image.received":
            message["photo_url"] = "https://photo.zalo.me/fake.jpg"
        if name == "message.sticker.received":
            message["sticker"] = "0e078a2fb66a5f34067b"
        return {"event_name": name, "message": message}

    def queue_update(self, update: JSON) -> None:
        self._updates.append(update)
        self._wake.set()

    async def push_update(self, url: str, update: JSON, secret: str | None) -> int:
        """POST an update to a webhook (wrapped as {"ok": true, "result": …}); return status."""
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        if self._session is None:
            self._session = aiohttp.ClientSession()
        body = json.dumps({"ok": True, "result": update}, ensure_ascii=False)
        async with self._session.post(url, data=body, headers=headers) as resp:
            await resp.read()
            return resp.status

    # -- HTTP ---------------------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        if not secrets.compare_digest(request.match_info["token"], self.token):
            return _fail(401, "Unauthorized")
        method = request.match_info["method"]
        try:
            params = await request.json() if request.can_read_body else {}
        except ValueError:
            return _fail(400, "Bad Request: invalid JSON")
        self.requests.append((method, params))
        for i, (name, code, description) in enumerate(self._faults):
            if name == method:
                del self._faults[i]
                return _fail(code, description)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return _fail(404, "Not Found")
        result = await handler(params)
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    async def _m_getMe(self, params: JSON) -> Any:
        bot_id = self.token.split(":", 1)[0]
        return {"id": bot_id, "account_name": "bot.LoaXaTest", "account_type": "BASIC"}

    async def _m_setWebhook(self, params: JSON) -> Any:
        secret = str(params.get("secret_token", ""))
        if not str(params.get("url", "")).startswith("https://") or not 8 <= len(secret) <= 256:
            return _fail(400, "Bad Request: url must be https and secret_token 8-256 chars")
        self.webhook = {"url": params["url"], "secret_token": secret}
        return {"url": params["url"], "updated_at": int(time.time() * 1000)}

    async def _m_deleteWebhook(self, params: JSON) -> Any:
        self.webhook = {}
        return {"url": "", "updated_at": int(time.time() * 1000)}

    async def _m_getWebhookInfo(self, params: JSON) -> Any:
        return {"url": self.webhook.get("url", ""), "updated_at": int(time.time() * 1000)}

    async def _m_getUpdates(self, params: JSON) -> Any:
        if self.webhook:
            return _fail(409, "Conflict: getUpdates is not available while a webhook is set")
        timeout = float(params.get("timeout") or 30)
        if not self._updates:
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=timeout)
        if not self._updates:
            return _fail(408, "Request timeout")
        return self._updates.popleft()

    async def _send(self, params: JSON, kind: str) -> Any:
        chat_id = str(params.get("chat_id", ""))
        if chat_id in self._blocked:
            return _fail(403, "Forbidden: the user has blocked the bot")
        value = str(params.get(kind, ""))
        if not chat_id or not 1 <= len(value) <= (2000 if kind == "text" else 10_000):
            return _fail(400, f"Bad Request: {kind} must be 1-2000 characters")
        message_id = f"out-{next(self._ids):08x}"
        self.messages.append({"chat_id": chat_id, kind: value, "message_id": message_id})
        return {"message_id": message_id, "date": int(time.time() * 1000)}

    async def _m_sendMessage(self, params: JSON) -> Any:
        return await self._send(params, "text")

    async def _m_sendPhoto(self, params: JSON) -> Any:
        return await self._send(params, "photo")


def _fail(code: int, description: str) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": code, "description": description}, status=code
    )


class ZaloFakes:
    """Both fakes, as the `fake_zalo` fixture yields them."""

    def __init__(self, oa: Any, bot: FakeZaloBot) -> None:
        self.oa = oa
        self.bot = bot
