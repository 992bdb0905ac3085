"""Fetching the files citizens send, off the conversation's path, with retries.

The engine stores a `pending` media_files row with the message (one transaction); this worker
takes due rows (SKIP LOCKED, so several processes share the work), downloads each, checks and
re-encodes it in a thread (bot/media/images.py), writes the bytes (bot/media/files.py) and marks
the row. A crash mid-way leaves the row pending with a lease; it is taken again after LEASE.
Refused files are not stored and the citizen is told why, in their channel. The same loop
removes the bytes of erased rows (privacy deletion, drafts given up).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import aiohttp
from sqlalchemy import delete

from bot.core.messages import Reply
from bot.db import media, queries
from bot.db.models import Contact
from bot.db.models_media import MediaFile
from bot.media import fetch
from bot.media.files import FileStore
from bot.media.images import MAX_BYTES, Checked, Refused, inspect
from bot.pakn import store as pakn_store

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
    from telegram import Bot

    from bot.core.services import Services

log = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=2)
MAX_ATTEMPTS = 6
_decoding = asyncio.Semaphore(2)  # images decoded at once per process (2 CPUs)


async def check_in_thread(data: bytes) -> Checked:
    async with _decoding:
        return await asyncio.to_thread(inspect, data)


async def store_checked(files: FileStore, checked: Checked) -> tuple[str, str | None]:
    sha = await asyncio.to_thread(files.put, checked.data)
    thumb = await asyncio.to_thread(files.put, checked.thumb) if checked.thumb else None
    return sha, thumb


def mark_stored(row: MediaFile, checked: Checked, sha: str, thumb: str | None, now: Any) -> None:
    row.status, row.kind, row.mime = "stored", checked.kind, checked.mime
    row.sha256, row.thumb_sha256 = sha, thumb
    row.size, row.width, row.height = len(checked.data), checked.width, checked.height
    row.source_ref, row.next_attempt_at, row.stored_at, row.error = None, None, now, None


def refusal_reply(services: Services, unit: str, key: str) -> Reply:
    return Reply(
        services.messages.render(key, unit=services.units[unit], max_mb=MAX_BYTES // 2**20)
    )


class MediaWorker:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        services: Services,
        files: FileStore,
        telegram_bots: Callable[[], Mapping[str, Bot]],
        on_queued: Callable[[], None] = lambda: None,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.services = services
        self.files = files
        self.telegram_bots = telegram_bots
        self.on_queued = on_queued  # replies or staff posts were queued: deliver them
        self._wake = asyncio.Event()
        self._http: aiohttp.ClientSession | None = None

    def wake(self) -> None:
        self._wake.set()

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

    def _session(self) -> aiohttp.ClientSession:
        if self._http is None:
            timeout = aiohttp.ClientTimeout(total=60, sock_connect=10)
            self._http = aiohttp.ClientSession(timeout=timeout)
        return self._http

    async def run_once(self) -> int:
        """Fetch every due file, then remove erased ones; how many rows were handled."""
        now = self.services.clock()
        async with self.sessionmaker.begin() as sess:
            rows = await media.due(sess, now, LEASE)
            todo = [(r.id, r.unit, r.channel, r.source_ref or "") for r in rows]
        for row_id, unit, channel, ref in todo:
            await self._fetch_one(row_id, unit, channel, ref)
        return len(todo) + await self.sweep()

    async def _get(self, unit: str, channel: str, ref: str) -> bytes:
        if channel == "telegram":
            bot = self.telegram_bots().get(unit)
            if bot is None:
                raise fetch.Retry("no Telegram bot for the unit")
            return await fetch.telegram_file(bot, self._session(), ref)
        if ref.startswith(("https://", "http://")):
            return await fetch.download(self._session(), ref)
        raise fetch.Gone("nothing to download")

    async def _fetch_one(self, row_id: int, unit: str, channel: str, ref: str) -> None:
        outcome: str
        checked: Checked | None = None
        try:
            checked = await check_in_thread(await self._get(unit, channel, ref))
            outcome = "stored"
        except Refused as exc:
            outcome = f"refused:{exc.reason}"
        except fetch.Gone as exc:
            outcome = f"gone:{exc}"
        except fetch.Retry as exc:
            outcome = f"retry:{exc}"
        except Exception as exc:  # a bug must not stop the queue
            log.exception("media fetch failed for row %s", row_id)
            outcome = f"retry:{type(exc).__name__}"
        sha = thumb = None
        if checked is not None:
            sha, thumb = await store_checked(self.files, checked)
        queued = erased = False
        async with self.sessionmaker.begin() as sess:
            row = await sess.get(MediaFile, row_id, with_for_update=True)
            now = self.services.clock()
            if row is None or row.status != "pending":
                erased = True  # a privacy deletion came first: the bytes must not stay
            elif checked is not None and sha is not None:
                mark_stored(row, checked, sha, thumb, now)
                queued = await self._post_if_kept(sess, row, now)
            elif outcome.startswith("retry") and row.attempts < MAX_ATTEMPTS:
                row.error = outcome[:200]
                row.next_attempt_at = now + dt.timedelta(seconds=15 * 2**row.attempts)
            else:
                refused = outcome.startswith("refused")
                row.status = "refused" if refused else "failed"
                row.error, row.source_ref, row.next_attempt_at = outcome[:200], None, None
                key = f"media.{outcome.replace(':', '.')}" if refused else "media.failed"
                queued = await self._tell(sess, row, key, now)
        if erased:
            await self._drop_unused([s for s in (sha, thumb) if s])
            return
        log.info("media fetched", extra={"unit": unit, "channel": channel, "outcome": outcome})
        if queued:
            self.on_queued()

    async def _post_if_kept(self, sess: AsyncSession, row: MediaFile, now: Any) -> bool:
        if row.pakn_id is None:
            return False
        from bot.media.staff import post_files

        pakn = await pakn_store.get(sess, row.pakn_id)
        return pakn is not None and await post_files(sess, self.services, pakn, now) > 0

    async def _tell(self, sess: AsyncSession, row: MediaFile, key: str, now: Any) -> bool:
        contact = await sess.get(Contact, row.contact_id) if row.contact_id else None
        if contact is None or row.unit not in self.services.units:
            return False
        await queries.add_outbound(
            sess, contact, [refusal_reply(self.services, row.unit, key)], now
        )
        return True

    async def sweep(self) -> int:
        """Remove the bytes of erased rows (when no live row shares them), then the rows."""
        now = self.services.clock()
        async with self.sessionmaker.begin() as sess:
            await media.expire_unlinked(sess, now)
            rows = await media.erased(sess)
            shas = {s for r in rows for s in (r.sha256, r.thumb_sha256) if s}
            ids = [r.id for r in rows]
            if ids:
                await sess.execute(delete(MediaFile).where(MediaFile.id.in_(ids)))
        await self._drop_unused(sorted(shas))
        return len(ids)

    async def _drop_unused(self, shas: list[str]) -> None:
        """Delete the files no live row names (the same photo may be kept by another)."""
        async with self.sessionmaker() as sess:
            unused = [s for s in shas if not await media.still_used(sess, s)]
        for sha in unused:
            await asyncio.to_thread(self.files.delete, sha)

    async def run(self, idle_seconds: float = 2.0) -> None:
        while True:
            self._wake.clear()
            try:
                await self.run_once()
            except Exception:
                log.exception("media worker loop error")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=idle_seconds)
