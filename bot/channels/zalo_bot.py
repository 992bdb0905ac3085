"""Zalo Bot Platform adapter ("zalobot"): a Telegram-like Bot API without buttons.

API: POST {ZALO_BOT_API_URL}{token}/{method} with a JSON body, answering {"ok": true,
"result": …} or {"ok": false, "error_code", "description"}; methods used: getMe, getUpdates,
setWebhook (url, secret_token), deleteWebhook, sendMessage (chat_id, text ≤ 2000), sendPhoto.
Updates: {"event_name": "message.text.received" | "message.image.received" |
"message.sticker.received" | "message.unsupported.received", "message": {"message_id",
"chat": {"id", "chat_type"}, "from": {"id", "display_name"}, "text" | "photo_url", "date"}},
delivered wrapped in {"ok": true, "result": …} (getUpdates) or, on webhooks, either wrapped or
bare: `unwrap` accepts both.

Numbered menus: reply buttons are rendered as "1. …", "2. …"; the payloads are stored per chat
in `zalobot_menus` when the message is sent (the menu the citizen actually saw) and replaced or
deleted by the next reply. A text that is just a number of that menu is resolved to its payload
when the update is stored (`resolve_choice`, called by the webhook and the poller), under the
key CHOICE_KEY, which `parse` reads as a button press.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from typing import Any

import aiohttp
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.base import SendResult, split_text
from bot.channels.fields import ident, obj, optional_text, string
from bot.core.messages import Attachment, Inbound, Reply
from bot.db.models_zalo import ZaloBotMenu

log = logging.getLogger(__name__)
TEXT_LIMIT = 2000
CHOICE_KEY = "loaxa_choice"
MENU_HINT = "Ông/bà trả lời bằng số (ví dụ: 1) để chọn."
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")
EVENT_KINDS = {
    "message.sticker.received": "sticker",
    "message.unsupported.received": "other",
}


class ZaloBotError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"Zalo Bot error {code}: {description}")
        self.code = code
        self.description = description


class ZaloBotClient:
    def __init__(self, token: str, base_url: str, timeout: float = 40.0) -> None:
        self.token = token
        self.base_url = base_url
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def call(self, method: str, params: dict[str, Any] | None = None) -> Any:
        """Call a method; return `result`. Raises ZaloBotError (code 0: network)."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        url = f"{self.base_url}{self.token}/{method}"
        try:
            async with self._session.post(url, json=params or {}) as resp:
                data = await resp.json(content_type=None)
                status = resp.status
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            raise ZaloBotError(0, type(exc).__name__) from exc
        if not isinstance(data, dict):
            raise ZaloBotError(status, "answer is not a JSON object")
        if not data.get("ok"):
            code = int(data.get("error_code") or status or 0)
            raise ZaloBotError(code, str(data.get("description") or ""))
        return data.get("result")

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


def unwrap(data: Any) -> list[dict[str, Any]]:
    """The updates in a webhook body or a getUpdates result (wrapped or not, one or many)."""
    if isinstance(data, dict) and "result" in data and "event_name" not in data:
        data = data["result"]
    items = data if isinstance(data, list) else [data]
    return [u for u in items if isinstance(u, dict) and isinstance(u.get("message"), dict)]


def chat_id_of(update: dict[str, Any]) -> str:
    """The chat to answer; "" when it has no usable id (see fields.py)."""
    message = obj(update.get("message"))
    return ident(obj(message.get("chat")).get("id") or obj(message.get("from")).get("id"))


def update_id(update: dict[str, Any]) -> str:
    message = obj(update.get("message"))
    if message.get("message_id"):
        return f"m:{string(message['message_id'])}"[:128]
    event, date = string(update.get("event_name")), string(message.get("date"))
    return f"e:{event}:{chat_id_of(update)}:{date}"[:128]


class ZaloBotChannel:
    name = "zalobot"

    def __init__(
        self,
        unit: str,
        client: ZaloBotClient,
        sessionmaker: async_sessionmaker[AsyncSession],
        *,
        webhook_secret: str = "",
        clock: Callable[[], dt.datetime],
    ) -> None:
        self.unit = unit
        self.client = client
        self.sessionmaker = sessionmaker
        self.webhook_secret = webhook_secret
        self.clock = clock
        self.state = "starting"

    # --- inbound ------------------------------------------------------------------------
    async def resolve_choice(self, update: dict[str, Any]) -> dict[str, Any]:
        """Before storing: a bare number answering the last numbered menu becomes its payload."""
        message = obj(update.get("message"))
        match = _NUMBER.match(string(message.get("text")))
        if update.get("event_name") != "message.text.received" or not match:
            return update
        async with self.sessionmaker() as sess:
            menu = await sess.get(ZaloBotMenu, (self.unit, chat_id_of(update)))
        number = int(match.group(1))
        if menu is None or not 1 <= number <= len(menu.payloads):
            return update
        return {**update, CHOICE_KEY: str(menu.payloads[number - 1])}

    def parse(self, payload: dict[str, Any]) -> list[Inbound]:
        message = payload.get("message")
        if not isinstance(message, dict):
            return []
        chat = obj(message.get("chat"))
        if string(chat.get("chat_type") or "PRIVATE").upper() != "PRIVATE":
            return []  # group chats are for staff features
        user_id = chat_id_of(payload)
        sender = obj(message.get("from"))
        if not user_id or sender.get("is_bot"):
            return []
        name = sender.get("display_name") or sender.get("first_name")
        base: dict[str, Any] = {
            "unit": self.unit,
            "channel": self.name,
            "user_id": user_id,
            "display_name": optional_text(name, 200),
            "message_id": ident(message.get("message_id")) or None,
        }
        event = string(payload.get("event_name"))
        if payload.get(CHOICE_KEY):
            return [Inbound(**base, kind="button", payload=string(payload[CHOICE_KEY]))]
        if event == "message.text.received":
            return [Inbound(**base, kind="text", text=string(message.get("text")))]
        if event == "message.image.received":
            url = string(message.get("photo_url") or message.get("photo"))[:2000]
            photo = Attachment(kind="photo", file_id=url, url=url or None)
            caption = string(message.get("caption"))
            return [Inbound(**base, kind="attachment", text=caption, attachments=(photo,))]
        return [Inbound(**base, kind=EVENT_KINDS.get(event, "other"))]  # type: ignore[arg-type]

    async def acknowledge(self, payload: dict[str, Any]) -> None:
        return None

    # --- outbound -----------------------------------------------------------------------
    @staticmethod
    def render(reply: Reply) -> tuple[list[str], list[str]]:
        """(texts split at 2000, menu payloads). Reply buttons become numbered lines; links and
        phone numbers are written out (Zalo shows them tappable)."""
        lines: list[str] = []
        payloads: list[str] = []
        for button in reply.buttons:
            if button.kind == "reply":
                payloads.append(button.payload)
                lines.append(f"{len(payloads)}. {button.label}")
        for button in reply.buttons:
            if button.kind == "url":
                lines.append(f"{button.label}: {button.url}")
            elif button.kind == "call":
                digits = re.sub(r"\D", "", button.label)
                lines.append(
                    button.label
                    if digits.endswith(button.phone[-6:])
                    else f"{button.label}: {button.phone}"
                )
        text = reply.text
        if lines:
            hint = [MENU_HINT] if payloads else []
            text = "\n".join([text.rstrip(), "", *lines, *hint]).strip()
        return (split_text(text, TEXT_LIMIT) if text.strip() else []), payloads

    async def send(self, user_id: str, reply: Reply) -> SendResult:
        texts, payloads = self.render(reply)
        last_id: str | None = None
        try:
            if reply.image_url:
                sent = await self.client.call(
                    "sendPhoto", {"chat_id": user_id, "photo": reply.image_url}
                )
                last_id = _message_id(sent)
            for text in texts:
                sent = await self.client.call("sendMessage", {"chat_id": user_id, "text": text})
                last_id = _message_id(sent)
        except ZaloBotError as exc:
            return self._map_error(exc)
        await self._remember_menu(user_id, payloads)
        self.state = "ok"
        return SendResult.ok(last_id)

    def _map_error(self, exc: ZaloBotError) -> SendResult:
        error = f"zalobot {exc.code}: {exc.description}"[:300]
        if exc.code == 0 or exc.code >= 500:
            return SendResult("retry", retry_after=5, error=error)
        if exc.code == 429:
            return SendResult("retry", retry_after=30, error=error)
        if exc.code == 401:
            self.state = "error"
            log.error("Zalo Bot token of unit %s is rejected", self.unit)
            return SendResult("retry", retry_after=300, error=error)
        if exc.code == 403:
            return SendResult("blocked", error=error)
        return SendResult("failed", error=error)

    async def _remember_menu(self, chat_id: str, payloads: list[str]) -> None:
        async with self.sessionmaker.begin() as sess:
            await sess.execute(
                delete(ZaloBotMenu).where(
                    ZaloBotMenu.unit == self.unit, ZaloBotMenu.chat_id == chat_id
                )
            )
            if payloads:
                sess.add(
                    ZaloBotMenu(
                        unit=self.unit, chat_id=chat_id, payloads=payloads, updated_at=self.clock()
                    )
                )


def _message_id(result: Any) -> str | None:
    if isinstance(result, dict) and result.get("message_id"):
        return str(result["message_id"])
    return None
