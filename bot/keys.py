"""Typed application state keys (aiohttp AppKey), one place for all of them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.core.pipeline import ChannelRegistry, Pipeline
from bot.core.services import Services
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.media.files import FileStore
    from bot.media.worker import MediaWorker

settings_key = web.AppKey("settings", Settings)
db_engine_key = web.AppKey("db_engine", AsyncEngine)
sessionmaker_key: web.AppKey[async_sessionmaker[AsyncSession]] = web.AppKey("sessionmaker")
services_key = web.AppKey("services", Services)
channels_key = web.AppKey("channels", ChannelRegistry)
pipeline_key = web.AppKey("pipeline", Pipeline)
telegram_bots_key: web.AppKey[dict[str, Any]] = web.AppKey("telegram_bots")
zalo_channels_key: web.AppKey[Any] = web.AppKey("zalo_channels")  # a ZaloRuntime
file_store_key: web.AppKey[FileStore] = web.AppKey("file_store")  # files citizens sent
media_worker_key: web.AppKey[MediaWorker] = web.AppKey("media_worker")
