"""Zalo channels per unit: credentials from the environment, start-up, token refresh loop,
Zalo Bot webhook registration or polling.

Per unit, the unit file's `channels.zalo_env_prefix` (e.g. BINH_MINH_ZALO) names the variables
<PREFIX>_APP_ID, _OA_SECRET_KEY, _APP_SECRET_KEY, _ACCESS_TOKEN, _REFRESH_TOKEN (Official
Account) and <PREFIX>_BOT_TOKEN, _BOT_WEBHOOK_SECRET (Zalo Bot). The default unit may instead use
the plain settings ZALO_APP_ID … ZALO_BOT_WEBHOOK_SECRET. Base URLs are global settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from functools import partial

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.zalo import ZaloChannel
from bot.channels.zalo_api import TokenPair, ZaloOAClient
from bot.channels.zalo_bot import ZaloBotChannel, ZaloBotClient, ZaloBotError, unwrap, update_id
from bot.channels.zalo_tokens import TokenManager
from bot.core.registry import ChannelRegistry
from bot.core.services import Services
from bot.keys import pipeline_key, settings_key, zalo_channels_key
from bot.settings import Settings

log = logging.getLogger(__name__)
REFRESH_CHECK_SECONDS = 60.0
POLL_TIMEOUT = 30


@dataclass(frozen=True)
class ZaloCredentials:
    app_id: str = ""
    oa_secret_key: str = ""
    app_secret_key: str = ""
    access_token: str = ""
    refresh_token: str = ""
    bot_token: str = ""
    bot_webhook_secret: str = ""


@dataclass
class ZaloRuntime:
    """What lifecycle() needs: the configured channels and the initial tokens to seed."""

    oa: dict[str, ZaloChannel]
    bots: dict[str, ZaloBotChannel]
    seeds: dict[str, tuple[str, str]]


def credentials(
    unit_key: str, settings: Settings, services: Services, environ: Mapping[str, str]
) -> ZaloCredentials:
    prefix = services.units[unit_key].channels.zalo_env_prefix
    names = ZaloCredentials.__dataclass_fields__
    values = {
        name: environ.get(f"{prefix}_{name.upper()}", "").strip() if prefix else ""
        for name in names
    }
    if unit_key == services.default_unit.key:
        for name in names:
            values[name] = values[name] or str(getattr(settings, f"zalo_{name}"))
    return ZaloCredentials(**values)


def configure(
    settings: Settings,
    services: Services,
    channels: ChannelRegistry,
    sessionmaker: async_sessionmaker[AsyncSession],
    environ: Mapping[str, str],
) -> ZaloRuntime:
    runtime = ZaloRuntime({}, {}, {})
    for unit_key in services.units:
        creds = credentials(unit_key, settings, services, environ)
        if creds.app_id and creds.oa_secret_key:
            client = ZaloOAClient(settings.zalo_api_url, settings.zalo_oauth_url)
            refresher = partial(_refresh, client, creds.app_id, creds.app_secret_key)
            tokens = TokenManager(sessionmaker, unit_key, refresher, clock=services.clock)
            channel = ZaloChannel(
                unit_key,
                client,
                tokens,
                sessionmaker,
                app_id=creds.app_id,
                oa_secret_key=creds.oa_secret_key,
                clock=services.clock,
                cs_window=dt.timedelta(days=settings.zalo_cs_window_days),
                quota_retry=dt.timedelta(minutes=settings.zalo_quota_retry_minutes),
            )
            channels.add(channel)
            runtime.oa[unit_key] = channel
            runtime.seeds[unit_key] = (creds.access_token, creds.refresh_token)
        elif creds.app_id or creds.oa_secret_key:
            log.error("Zalo OA of unit %s needs both APP_ID and OA_SECRET_KEY", unit_key)
        if creds.bot_token:
            bot = ZaloBotChannel(
                unit_key,
                ZaloBotClient(creds.bot_token, settings.zalo_bot_api_url),
                sessionmaker,
                webhook_secret=creds.bot_webhook_secret,
                clock=services.clock,
            )
            channels.add(bot)
            runtime.bots[unit_key] = bot
    return runtime


async def _refresh(
    client: ZaloOAClient, app_id: str, app_secret_key: str, refresh_token: str
) -> TokenPair:
    return await client.refresh(app_id, app_secret_key, refresh_token)


async def lifecycle(app: web.Application) -> AsyncIterator[None]:
    settings = app[settings_key]
    runtime: ZaloRuntime = app[zalo_channels_key]
    tasks: list[asyncio.Task[None]] = []
    for unit_key, channel in runtime.oa.items():
        access, refresh = runtime.seeds.get(unit_key, ("", ""))
        try:
            if await channel.tokens.seed(access, refresh):
                log.info("Zalo tokens of unit %s seeded from the environment", unit_key)
        except Exception:
            log.exception("could not seed the Zalo tokens of unit %s", unit_key)
    if runtime.oa and settings.run_workers:
        tasks.append(asyncio.create_task(refresh_loop(runtime), name="zalo-refresh"))
    for unit_key, bot in runtime.bots.items():
        try:
            await bot.client.call("getMe")
            bot.state = "ok"
        except ZaloBotError as exc:
            bot.state = "error"
            log.error("Zalo Bot of unit %s unusable: %s", unit_key, exc)
            continue
        if settings.zalo_bot_mode == "webhook" and settings.public_url:
            url = f"{settings.public_url.rstrip('/')}/webhooks/zalobot/{unit_key}"
            await bot.client.call("setWebhook", {"url": url, "secret_token": bot.webhook_secret})
        elif settings.zalo_bot_mode == "polling" and settings.run_workers:
            tasks.append(asyncio.create_task(poll(app, bot), name=f"zalobot-{unit_key}"))
    yield
    for task in tasks:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    for channel in runtime.oa.values():
        await channel.client.close()
    for bot in runtime.bots.values():
        await bot.client.close()


async def refresh_loop(runtime: ZaloRuntime, interval: float = REFRESH_CHECK_SECONDS) -> None:
    """Refresh every OA token ahead of expiry. Never dies: failures back off in the database."""
    while True:
        for unit_key, channel in runtime.oa.items():
            try:
                await channel.tokens.refresh_if_due()
            except Exception:  # a database hiccup must not end the loop
                log.exception("Zalo token refresh check failed for unit %s", unit_key)
        await asyncio.sleep(interval)


async def poll_once(app: web.Application, bot: ZaloBotChannel, wait: int = POLL_TIMEOUT) -> int:
    """One getUpdates call; store each update like the webhook does. Returns how many."""
    try:
        result = await bot.client.call("getUpdates", {"timeout": str(wait)})
    except ZaloBotError as exc:
        if exc.code == 408:  # long poll ended without updates
            return 0
        raise
    pipeline = app[pipeline_key]
    updates = unwrap(result)
    for update in updates:
        stored = await bot.resolve_choice(update)
        await pipeline.accept(bot.unit, "zalobot", update_id(update), stored)
    bot.state = "ok"
    return len(updates)


async def poll(app: web.Application, bot: ZaloBotChannel) -> None:
    """Long polling for local use (getUpdates does not work while a webhook is set)."""
    with contextlib.suppress(ZaloBotError):
        await bot.client.call("deleteWebhook")
    while True:
        try:
            await poll_once(app, bot)
        except ZaloBotError as exc:
            bot.state = "error"
            log.warning("Zalo Bot polling failed for %s: %s", bot.unit, exc)
            await asyncio.sleep(5)
