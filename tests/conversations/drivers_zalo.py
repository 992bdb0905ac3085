"""Drive a conversation through the Zalo adapters over HTTP, as a citizen would.

ZaloDriver:    the fake OA signs and posts webhook events; replies are read from the fake's
               /v3.0/oa/message/cs calls. A press sends the button's `oa.query.hide` payload back.
ZaloBotDriver: the fake Zalo Bot posts updates to our webhook; replies are read from its
               sendMessage calls. There are no buttons: a press sends the menu item's number.

Buttons a citizen sees written in the text (links, phone numbers, numbered menu items) are
reported as buttons, since Zalo shows them tappable.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from aiohttp.test_utils import TestClient

from bot.app import build_app
from bot.keys import pipeline_key
from tests.conversations.drivers import Seen, find_button

ZALOBOT_SECRET = "zalobot-secret-0123456789"
_NUMBERED = re.compile(r"^(\d{1,2})\. (.+)$")
_LINK = re.compile(r"^(.+?): (https?://\S+)$")
_PHONE = re.compile(r"\d[\d ().]{5,}\d")


def zalo_settings(settings: Any, fakes: Any, **overrides: Any) -> Any:
    """The test settings with both Zalo channels of the default unit pointed at the fakes."""
    oa = fakes.oa
    return type(settings)(
        **{
            **settings.__dict__,
            "web_chat": "off",
            "zalo_app_id": oa.app_id,
            "zalo_oa_secret_key": oa.oa_secret_key,
            "zalo_app_secret_key": oa.app_secret_key,
            "zalo_access_token": oa.initial_access_token,
            "zalo_refresh_token": oa.initial_refresh_token,
            "zalo_api_url": oa.base_url,
            "zalo_oauth_url": oa.base_url,
            "zalo_bot_token": fakes.bot.token,
            "zalo_bot_api_url": fakes.bot.base_url,
            "zalo_bot_webhook_secret": ZALOBOT_SECRET,
            **overrides,
        }
    )


async def make_zalo_driver(
    kind: str, settings: Any, services: Any, aiohttp_client: Any, fakes: Any
) -> Any:
    """A started ZaloDriver ("zalo") or ZaloBotDriver ("zalobot") on a fresh app."""
    zs = zalo_settings(settings, fakes)
    services.settings = zs
    client = await aiohttp_client(build_app(zs, services=services, environ={}))
    unit = "xa-binh-minh"
    driver: Any
    if kind == "zalo":
        driver = ZaloDriver(client, fakes.oa, unit)
    else:
        driver = ZaloBotDriver(client, fakes.bot, unit)
    await driver.start()
    return driver


def text_buttons(text: str, numbered: bool) -> list[dict[str, str]]:
    buttons = []
    for line in text.splitlines():
        line = line.strip()
        if numbered and (m := _NUMBERED.match(line)):
            buttons.append({"label": m.group(2), "payload": m.group(1), "url": ""})
        elif m := _LINK.match(line):
            buttons.append({"label": m.group(1), "payload": "", "url": m.group(2)})
        elif len(line) < 60 and (phone := _PHONE.search(line)):
            digits = re.sub(r"\D", "", phone.group(0))
            buttons.append({"label": line, "payload": "", "url": f"tel:{digits}"})
    return buttons


class _Driver:
    channel = ""
    path = ""

    def __init__(self, client: TestClient, fake: Any, unit: str, user_id: str) -> None:
        self.client = client
        self.fake = fake
        self.unit = unit
        self.user_id = user_id
        self.seen_count = 0
        self.last: list[Seen] = []

    @property
    def url(self) -> str:
        return str(self.client.make_url(f"/webhooks/{self.path}/{self.unit}"))

    async def start(self) -> None:
        return None

    async def _deliver(self, status: int) -> list[Seen]:
        assert status == 200, f"webhook answered {status}"
        await self.client.app[pipeline_key].process_pending()
        sent = self._sent()
        new = sent[self.seen_count :]
        self.seen_count = len(sent)
        self.last = [self._seen(m) for m in new]
        return self.last

    def _sent(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _seen(self, message: dict[str, Any]) -> Seen:
        raise NotImplementedError


class ZaloDriver(_Driver):
    channel = "zalo"
    path = "zalo"
    supports: ClassVar[set[str]] = {"text", "press", "sticker", "voice", "photo", "location"}

    def __init__(
        self, client: TestClient, fake: Any, unit: str, user_id: str = "2468458835296197922"
    ) -> None:
        super().__init__(client, fake, unit, user_id)

    def _sent(self) -> list[dict[str, Any]]:
        assert not self.fake.refused, f"Zalo would refuse (-201): {self.fake.refused}"
        return list(self.fake.sent(self.user_id))

    def _seen(self, message: dict[str, Any]) -> Seen:
        text = str(message.get("text") or "")
        payload = (message.get("attachment") or {}).get("payload") or {}
        buttons = []
        for b in payload.get("buttons") or []:
            target = b.get("payload")
            if b["type"] == "oa.query.hide":
                buttons.append({"label": b["title"], "payload": target, "url": ""})
            elif b["type"] == "oa.open.url":
                buttons.append({"label": b["title"], "payload": "", "url": target["url"]})
            elif b["type"] == "oa.open.phone":
                url = f"tel:{target['phone_code']}"
                buttons.append({"label": b["title"], "payload": "", "url": url})
        return Seen(text, buttons + text_buttons(text, numbered=False))

    async def say(self, text: str) -> list[Seen]:
        event = self.fake.text_event(self.user_id, text)
        return await self._deliver(await self.fake.push_event(self.url, event))

    async def press(self, label: str) -> list[Seen]:
        button = find_button(self.last, label)
        event = self.fake.click_event(self.user_id, button["payload"])
        return await self._deliver(await self.fake.push_event(self.url, event))

    async def send_special(self, kind: str) -> list[Seen]:
        name = {"sticker": "sticker", "voice": "audio", "photo": "image", "location": "location"}
        event = self.fake.attachment_event(self.user_id, name[kind])
        return await self._deliver(await self.fake.push_event(self.url, event))


class ZaloBotDriver(_Driver):
    channel = "zalobot"
    path = "zalobot"
    supports: ClassVar[set[str]] = {"text", "press", "sticker", "photo"}

    def __init__(
        self, client: TestClient, fake: Any, unit: str, user_id: str = "e4ea2cd5189df1c3a88c"
    ) -> None:
        super().__init__(client, fake, unit, user_id)

    def _sent(self) -> list[dict[str, Any]]:
        return list(self.fake.sent(self.user_id))

    def _seen(self, message: dict[str, Any]) -> Seen:
        text = str(message.get("text") or "")
        return Seen(text, text_buttons(text, numbered=True))

    async def _push(self, update: dict[str, Any]) -> list[Seen]:
        status = await self.fake.push_update(self.url, update, secret=ZALOBOT_SECRET)
        return await self._deliver(status)

    async def say(self, text: str) -> list[Seen]:
        return await self._push(self.fake.make_update(self.user_id, text))

    async def press(self, label: str) -> list[Seen]:
        button = find_button(self.last, label)  # the payload of a numbered item is its number
        return await self._push(self.fake.make_update(self.user_id, button["payload"]))

    async def send_special(self, kind: str) -> list[Seen]:
        event = {"sticker": "message.sticker.received", "photo": "message.image.received"}
        return await self._push(self.fake.make_update(self.user_id, event=event[kind]))
