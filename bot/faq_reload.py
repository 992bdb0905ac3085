"""Staff FAQ edits reaching the running bot: rebuild the index off the event loop and swap it
in (`FaqReloader`), at start, after an edit in this process's console, and when another
process saved one (bot/db/notify.py); `read_layers_sync` is the small read `loaxa ask`/`eval`
do at start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path

from aiohttp import web
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.services import Services
from bot.db.engine import make_engine
from bot.db.models_faq_edits import FaqEdit
from bot.faq_edits import latest_layers
from bot.faq_service import FaqLayer, FaqService
from bot.memory import release_free_memory

log = logging.getLogger(__name__)


class FaqReloader:
    """Rebuild the FAQ from files + database layers and swap it into Services atomically."""

    def __init__(self, services: Services, sessionmaker: async_sessionmaker[AsyncSession]):
        self.services = services
        self.sessionmaker = sessionmaker
        self.lock = asyncio.Lock()
        self._requested: asyncio.Task[None] | None = None
        self._again = False

    def request(self) -> None:
        """Reload soon, in the background (another process saved an edit: bot/db/notify.py).
        Requests that come while a reload runs make one more reload, not one each."""
        if self._requested is not None and not self._requested.done():
            self._again = True
            return
        self._requested = asyncio.create_task(self._reload_requested(), name="faq-reload")

    async def _reload_requested(self) -> None:
        self._again = True
        while self._again:
            self._again = False
            try:
                await self.reload()
            except Exception:  # the bot keeps answering from the index it has
                log.exception("faq: reloading after another process's edit failed")

    async def close(self) -> None:
        if self._requested is not None:
            self._requested.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._requested

    async def reload(self) -> FaqService:
        async with self.lock:  # one rebuild at a time, each reads the newest rows
            async with self.sessionmaker() as sess:
                layers = await latest_layers(sess)
            current = self.services.faq
            if tuple(layers) == current.layers:  # nothing new (or asked again): no rebuild
                return current
            fresh = await asyncio.to_thread(current.with_layers, layers)
            self.services.faq = fresh  # one assignment: a request sees the old or the new
            del current
            release_free_memory()  # the old index and the build's scratch space
            log.info("faq: index rebuilt with %d staff layer(s)", len(layers))
            return fresh


faq_reloader_key = web.AppKey("faq_reloader", FaqReloader)


async def _load_layers_at_start(app: web.Application) -> None:
    before = app[faq_reloader_key].services.faq
    if await app[faq_reloader_key].reload() is before:  # (a rebuild has trimmed already)
        release_free_memory()  # what loading the content and building the index left behind


def setup(
    app: web.Application, services: Services, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Wire the reloader; at start (after migrations) the stored edits are applied."""
    app[faq_reloader_key] = FaqReloader(services, sessionmaker)
    app.on_startup.append(_load_layers_at_start)


async def read_layers(url: str) -> list[FaqLayer]:
    """The layers in the database at `url`; none when the table is not there (yet)."""
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            present = await conn.run_sync(lambda c: inspect(c).has_table(FaqEdit.__tablename__))
        if not present:
            return []
        async with AsyncSession(engine) as sess:
            return await latest_layers(sess)
    finally:
        await engine.dispose()


def read_layers_sync(url: str) -> list[FaqLayer]:
    """For `loaxa ask`/`eval`: a SQLite file that does not exist means content only."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if not database or database == ":memory:" or not Path(database).exists():
            return []
    return asyncio.run(read_layers(url))


# --- YAML in the content file format -------------------------------------------------------
