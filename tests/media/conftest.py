"""One app with the web chat, the fake Telegram (with a staff group) and the fake Zalo OA."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from bot.app import build_app
from tests.conversations.drivers import TG_SECRET
from tests.conversations.drivers_zalo import zalo_settings

STAFF_CHAT = -1001234567890


@pytest.fixture
async def media_app(settings, services, aiohttp_client, fake_telegram, fake_zalo) -> Any:  # type: ignore[no-untyped-def]
    s = dataclasses.replace(
        zalo_settings(settings, fake_zalo),
        web_chat="on",
        telegram_bot_token=fake_telegram.token,
        telegram_api_url=fake_telegram.base_url,
        telegram_webhook_secret=TG_SECRET,
        telegram_staff_chat_id=str(STAFF_CHAT),
    )
    services.settings = s
    services.staff_chats = {}
    client = await aiohttp_client(build_app(s, services=services, environ={}))
    return client
