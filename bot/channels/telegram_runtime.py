"""Telegram bots per unit: credentials from the environment, start-up, webhook or polling."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from typing import Any

from aiohttp import web
from telegram import Bot, BotCommand
from telegram.error import InvalidToken, TelegramError

from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_http import AiohttpRequest
from bot.core.registry import ChannelRegistry
from bot.core.services import Services
from bot.keys import pipeline_key, settings_key, telegram_bots_key
from bot.settings import Settings

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]


def staff_chat(
    unit_key: str, settings: Settings, services: Services, environ: Mapping[str, str]
) -> str:
    """The unit's staff group chat id (TELEGRAM_STAFF_CHAT_ID for the default unit)."""
    unit = services.units[unit_key]
    env_name = unit.channels.telegram_staff_chat_env
    chat = environ.get(env_name, "") if env_name else ""
    if not chat and unit_key == services.default_unit.key:
        chat = settings.telegram_staff_chat_id
    return chat.strip()


def credentials(
    unit_key: str, settings: Settings, services: Services, environ: Mapping[str, str]
) -> tuple[str, str] | None:
    """(token, webhook secret) for a unit: the default unit may use TELEGRAM_BOT_TOKEN."""
    unit = services.units[unit_key]
    token = (
        environ.get(unit.channels.telegram_token_env, "")
        if unit.channels.telegram_token_env
        else ""
    )
    secret = (
        environ.get(unit.channels.telegram_webhook_secret_env, "")
        if unit.channels.telegram_webhook_secret_env
        else ""
    )
    if not token and unit_key == services.default_unit.key:
        token, secret = settings.telegram_bot_token, settings.telegram_webhook_secret
    return (token, secret) if token else None


def file_url(settings: Settings) -> str:
    """Where getFile's files are downloaded: https://api.telegram.org/file/bot<token>/<path>,
    beside the API URL (a local Bot API server or the test fake serves both)."""
    api = settings.telegram_api_url.rstrip("/")
    head, _, tail = api.rpartition("/")
    return f"{head}/file/{tail}" if tail == "bot" else f"{api}/file/bot"


SEND_CONNECTIONS = 32  # per bot; above the pipeline's 16 lanes plus the campaign sender


def configure(
    settings: Settings, services: Services, channels: ChannelRegistry, environ: Mapping[str, str]
) -> dict[str, TelegramChannel]:
    configured: dict[str, TelegramChannel] = {}
    for unit_key in services.units:
        creds = credentials(unit_key, settings, services, environ)
        if creds is None:
            continue
        token, secret = creds
        bot = Bot(
            token,
            base_url=settings.telegram_api_url,
            base_file_url=file_url(settings),
            # PTB's Bot alone keeps one connection: the pipeline's lanes and the campaign
            # worker would queue for it (Application's builder uses a pool of 256). aiohttp, not
            # httpx: see telegram_http.py.
            request=AiohttpRequest(connection_pool_size=SEND_CONNECTIONS),
        )
        channel = TelegramChannel(
            unit_key,
            bot,
            webhook_secret=secret,
            staff_chat_id=staff_chat(unit_key, settings, services, environ),
        )
        channels.add(channel)
        configured[unit_key] = channel
    return configured


# Telegram's command menu ("/" button); faq/intents.COMMANDS understands each of them.
COMMANDS = (
    ("menu", "Menu chính"),
    ("help", "Trợ lý làm được gì"),
    ("pakn", "Gửi phản ánh, kiến nghị"),
    ("tracuu", "Tra cứu phản ánh bằng mã"),
    ("nhantin", "Chọn tin muốn nhận"),
    ("stop", "Dừng nhận tin"),
    ("lienhe", "Đường dây nóng, địa chỉ"),
)


async def set_commands(bot: Bot, unit_key: str) -> None:
    """Fill Telegram's command menu; a failure is logged, the bot works without it."""
    try:
        await bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
    except TelegramError as exc:
        log.warning("Telegram commands not set for %s: %s", unit_key, type(exc).__name__)


async def lifecycle(app: web.Application) -> AsyncIterator[None]:
    settings = app[settings_key]
    channels: dict[str, Any] = app[telegram_bots_key]
    tasks: list[asyncio.Task[None]] = []
    for unit_key, channel in channels.items():
        try:
            await channel.bot.initialize()
            channel.state = "ok"
        except InvalidToken:
            channel.state = "error"
            log.error("Telegram token of unit %s is invalid (check the environment)", unit_key)
            continue
        except TelegramError as exc:
            channel.state = "error"
            log.error("Telegram unreachable for unit %s: %s", unit_key, type(exc).__name__)
            continue
        await set_commands(channel.bot, unit_key)
        if settings.telegram_mode == "webhook" and settings.public_url:
            url = f"{settings.public_url.rstrip('/')}/webhooks/telegram/{unit_key}"
            await channel.bot.set_webhook(
                url, secret_token=channel.webhook_secret, allowed_updates=ALLOWED_UPDATES
            )
        elif settings.telegram_mode == "polling" and settings.run_workers:
            tasks.append(asyncio.create_task(_poll(app, unit_key, channel)))
    yield
    for task in tasks:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    for channel in channels.values():
        with contextlib.suppress(Exception):
            await channel.bot.shutdown()


async def _poll(app: web.Application, unit_key: str, channel: TelegramChannel) -> None:
    """Long polling for local use: store each update like the webhook does."""
    pipeline = app[pipeline_key]
    await channel.bot.delete_webhook()
    offset = 0
    while True:
        try:
            updates = await channel.bot.get_updates(
                offset=offset, timeout=20, allowed_updates=ALLOWED_UPDATES
            )
            channel.state = "ok"
        except TelegramError as exc:
            channel.state = "error"
            log.warning("Telegram polling failed for %s: %s", unit_key, type(exc).__name__)
            await asyncio.sleep(5)
            continue
        for update in updates:
            await pipeline.accept(unit_key, "telegram", str(update.update_id), update.to_dict())
            offset = update.update_id + 1
