"""The composition root: build_app(settings) wires everything; production and tests call it."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handlers
from bot import faq_reload
from bot.address import AddressBook
from bot.campaigns import worker as campaign_worker
from bot.channels import telegram_runtime, zalo_runtime
from bot.channels.webchat import WebChatChannel
from bot.console import digest
from bot.console import setup as setup_console
from bot.content.loader import load_content
from bot.core.engine import ConversationEngine
from bot.core.pipeline import ChannelRegistry, Pipeline
from bot.core.services import Services
from bot.db import notify
from bot.db.engine import make_engine, make_sessionmaker, migrate
from bot.db.models_pakn import Pakn
from bot.keys import (
    channels_key,
    db_engine_key,
    file_store_key,
    media_worker_key,
    pipeline_key,
    services_key,
    sessionmaker_key,
    settings_key,
    telegram_bots_key,
    zalo_channels_key,
)
from bot.media.files import FileStore, media_root
from bot.media.staff import post_files
from bot.media.worker import MediaWorker
from bot.observability import (
    Metrics,
    metrics_key,
    register_secrets,
    secret_values,
)
from bot.outreach import web as outreach_web
from bot.pakn import staff_group
from bot.pakn.policy import PolicyBook
from bot.pakn.service import PaknService
from bot.settings import Settings
from bot.web import chat, chat_upload, health, redirect, webhooks, zalo_webhooks

log = logging.getLogger(__name__)
FAVICON = Path(__file__).parent / "console" / "static" / "favicon.ico"


def build_services(settings: Settings) -> Services:
    content = load_content(settings.content_dir)
    pakn = PaknService(PolicyBook(content.pakn), content.messages, content.units)
    services = Services(
        settings=settings,
        units=content.units,
        messages=content.messages,
        faq=content.faq,
        pakn=pakn,
        addresses=AddressBook(content.address) if content.address else None,
    )

    async def post_to_staff(sess: AsyncSession, record: Pakn, now: dt.datetime) -> None:
        await staff_group.post_new(sess, services, record, now)
        await post_files(sess, services, record, now)  # the photos already downloaded

    pakn.on_created.append(post_to_staff)
    return services


def build_app(
    settings: Settings,
    *,
    services: Services | None = None,
    environ: Mapping[str, str] | None = None,
) -> web.Application:
    # Plan uploads in the console go up to 5 MB; webhooks check their own, smaller limit.
    app = web.Application(client_max_size=6 * 1024 * 1024)
    services = services or build_services(settings)
    env = os.environ if environ is None else environ
    register_secrets(secret_values(settings, env))  # masked in every log line
    app[settings_key] = settings
    app[services_key] = services
    channels = ChannelRegistry()
    app[channels_key] = channels
    if settings.web_chat_enabled:
        for unit in services.units:
            channels.add(WebChatChannel(unit))
    app[telegram_bots_key] = telegram_runtime.configure(settings, services, channels, env)
    services.staff_chats = {
        unit: channel.staff_chat_id
        for unit, channel in app[telegram_bots_key].items()
        if channel.staff_chat_id
    }

    engine = make_engine(settings.resolved_database_url)
    app[db_engine_key] = engine
    sessionmaker = make_sessionmaker(engine)
    app[sessionmaker_key] = sessionmaker
    app[zalo_channels_key] = zalo_runtime.configure(
        settings, services, channels, sessionmaker, env
    )
    metrics = Metrics()
    app[metrics_key] = metrics
    app[pipeline_key] = Pipeline(
        sessionmaker,
        ConversationEngine(services, handlers.all_flows(), handlers.on_emergency),
        channels,
        clock=services.clock,
        retry_max_seconds=settings.send_retry_max_seconds,
        metrics=metrics,
        concurrency=settings.pipeline_concurrency,
        # A web process whose worker runs elsewhere understands questions at intake, with
        # the CPU it has to spare (bot/core/ahead.py).
        understand_at_intake=not settings.run_workers,
    )
    _alert_staff_on_channel_trouble(app)
    _media(app, sessionmaker)
    app.cleanup_ctx.append(_database)
    app.cleanup_ctx.append(telegram_runtime.lifecycle)
    app.cleanup_ctx.append(zalo_runtime.lifecycle)
    app.cleanup_ctx.append(_workers)
    app.cleanup_ctx.append(_listen)
    app.cleanup_ctx.append(staff_group.alerts_worker)
    app.cleanup_ctx.append(digest.digest_worker)

    health.setup(app)
    webhooks.setup(app)
    zalo_webhooks.setup(app)
    redirect.setup(app)  # /r/{token}: campaign short links
    setup_console(app)
    faq_reload.setup(app, services, sessionmaker)  # staff FAQ edits, reload after each
    outreach_web.setup(app, env)  # posters, FAQ cards, campaign exports (after the console)
    if settings.web_chat_enabled:
        chat.setup(app)
        chat_upload.setup(app)
    app.router.add_get("/", _index)
    app.router.add_get("/favicon.ico", _favicon)
    return app


def _media(app: web.Application, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    """Files citizens send: one store on disk, a worker that downloads them, and the Telegram
    channels reading from the store when they post photos to a staff group."""
    files = FileStore(media_root(app[settings_key].data_dir))
    app[file_store_key] = files
    bots = app[telegram_bots_key]
    worker = MediaWorker(
        sessionmaker,
        app[services_key],
        files,
        lambda: {unit: channel.bot for unit, channel in bots.items()},
        on_queued=lambda: app[pipeline_key].wake(),
    )
    app[media_worker_key] = worker

    async def close(_: web.Application) -> None:
        await worker.close()

    app.on_cleanup.append(close)
    app[pipeline_key].engine.media_queued = worker.wake
    for channel in bots.values():
        channel.files = files


def _alert_staff_on_channel_trouble(app: web.Application) -> None:
    """Zalo token failures and replies held outside Zalo's window go to the staff group."""
    services = app[services_key]

    async def alert(unit: str, text: str) -> None:
        now = services.clock()
        if await staff_group.notify_staff(app[sessionmaker_key], services, unit, text, now):
            app[pipeline_key].wake()

    for channel in app[zalo_channels_key].oa.values():
        channel.on_alert = alert


async def _index(request: web.Request) -> web.StreamResponse:
    if request.app[settings_key].web_chat_enabled:
        raise web.HTTPFound("/chat/")
    return web.Response(text="Loa Xã is running. See /healthz.")


async def _favicon(request: web.Request) -> web.StreamResponse:
    return web.FileResponse(FAVICON, headers={"Cache-Control": "public, max-age=86400"})


async def _database(app: web.Application) -> AsyncIterator[None]:
    await migrate(app[db_engine_key])
    yield
    await app[db_engine_key].dispose()


async def _workers(app: web.Application) -> AsyncIterator[None]:
    if not app[settings_key].run_workers:
        yield
        return
    task = asyncio.create_task(app[pipeline_key].run(), name="pipeline")
    addresses = app[services_key].addresses
    running = [task]
    if addresses is not None:  # import the address mapping in its worker before anyone asks
        running.append(asyncio.create_task(addresses.warm(), name="address-warm"))
    running.append(asyncio.create_task(campaign_worker.run_for_app(app), name="campaigns"))
    running.append(asyncio.create_task(app[media_worker_key].run(), name="media"))
    yield
    for job in running:
        job.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await job


async def _listen(app: web.Application) -> AsyncIterator[None]:
    """PostgreSQL: what other processes did reaches this one at once (bot/db/notify.py):
    - an FAQ edit saved in one web process's console: every process rebuilds its index (the
      workers answer citizens, other web processes serve the web chat and the console);
    - an update a web process stored: a worker processes it."""
    handlers = {notify.FAQ_CHANNEL: app[faq_reload.faq_reloader_key].request}
    if app[settings_key].run_workers:
        handlers[notify.INBOX_CHANNEL] = app[pipeline_key].wake
    listening = asyncio.create_task(notify.listen(app[db_engine_key], handlers), name="listen")
    yield
    listening.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await listening
    await app[faq_reload.faq_reloader_key].close()  # a reload another process asked for
