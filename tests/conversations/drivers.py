"""Drive a conversation through a real channel adapter, over HTTP, as a citizen would."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp.test_utils import TestClient

from bot.keys import pipeline_key

TG_SECRET = "test-secret-0123456789abcdef"


@dataclass
class Seen:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)  # {"label", "payload"|"url"}


class WebDriver:
    """The local web chat: POST /chat/api/<unit>/send, replies read back from the JSON."""

    channel = "web"
    supports = frozenset({"text", "press", "location"})

    def __init__(self, client: TestClient, unit: str) -> None:
        self.client = client
        self.unit = unit
        self.last_id = 0
        self.last: list[Seen] = []

    async def start(self) -> None:
        resp = await self.client.get(f"/chat/{self.unit}/")
        assert resp.status == 200, await resp.text()

    async def _post(self, body: dict[str, Any]) -> list[Seen]:
        body = {"id": uuid.uuid4().hex, "after": self.last_id, **body}
        resp = await self.client.post(f"/chat/api/{self.unit}/send", json=body)
        assert resp.status == 200, await resp.text()
        data = await resp.json()
        seen = []
        for m in data["messages"]:
            self.last_id = max(self.last_id, m["id"])
            if m["direction"] == "out":
                buttons = [
                    {"label": b["label"], "payload": b.get("payload", ""), "url": b.get("url", "")}
                    for b in m.get("buttons", [])
                ]
                seen.append(Seen(m["text"], buttons))
        self.last = seen
        return seen

    async def say(self, text: str) -> list[Seen]:
        return await self._post({"text": text})

    async def press(self, label: str) -> list[Seen]:
        button = find_button(self.last, label)
        return await self._post({"payload": button["payload"]})

    async def send_special(self, kind: str) -> list[Seen]:
        if kind == "location":  # what chat.js posts after navigator.geolocation answers
            return await self._post(
                {"location": {"lat": 10.9574, "lon": 106.8426, "accuracy": 12}}
            )
        raise NotImplementedError(kind)


class TelegramDriver:
    """Telegram: the fake Bot API pushes updates to our webhook; replies land on the fake."""

    channel = "telegram"
    supports = frozenset({"text", "press", "sticker", "voice", "photo", "location"})

    def __init__(self, client: TestClient, fake: Any, unit: str, chat_id: int = 5550001) -> None:
        self.client = client
        self.fake = fake
        self.unit = unit
        self.chat_id = chat_id
        self.seen_count = 0
        self.last: list[Seen] = []
        self.last_message_id = 0

    async def start(self) -> None:
        return None

    async def _push(self, update: dict[str, Any]) -> list[Seen]:
        url = str(self.client.make_url(f"/webhooks/telegram/{self.unit}"))
        status = await self.fake.push_update(update, url=url, secret=TG_SECRET)
        assert status == 200
        await self.client.app[pipeline_key].process_pending()
        sent = self.fake.sent(self.chat_id)
        new = sent[self.seen_count :]
        self.seen_count = len(sent)
        seen = []
        for m in new:
            keyboard = (m.get("reply_markup") or {}).get("inline_keyboard", [])
            buttons = [
                {
                    "label": b["text"],
                    "payload": b.get("callback_data", ""),
                    "url": b.get("url", ""),
                }
                for row in keyboard
                for b in row
            ]
            seen.append(Seen(m.get("text", ""), buttons))
            self.last_message_id = m["message_id"]
        self.last = seen
        return seen

    async def say(self, text: str) -> list[Seen]:
        return await self._push(self.fake.make_text_update(self.chat_id, text))

    async def press(self, label: str) -> list[Seen]:
        button = find_button(self.last, label)
        update = self.fake.make_callback_update(
            self.chat_id, button["payload"], self.last_message_id
        )
        return await self._push(update)

    async def send_special(self, kind: str) -> list[Seen]:
        makers = {
            "sticker": self.fake.make_sticker_update,
            "voice": self.fake.make_voice_update,
            "photo": self.fake.make_photo_update,
            "location": self.fake.make_location_update,
        }
        return await self._push(makers[kind](self.chat_id))


def find_button(replies: list[Seen], label: str) -> dict[str, str]:
    for reply in reversed(replies):
        for button in reply.buttons:
            if label.lower() in button["label"].lower() and button["payload"]:
                return button
    shown = [b["label"] for r in replies for b in r.buttons]
    raise AssertionError(f"no button {label!r} in the last replies; buttons: {shown}")
