"""Webhook intake: updates that arrive together are committed in one transaction.

  webhook A ─┐
  webhook B ─┼─▶ queue ──one writer task: INSERT A, B, C … COMMIT──▶ each webhook answers 200
  webhook C ─┘

A webhook still answers only after its own update is committed (nothing acknowledged is lost),
but a burst of N updates costs one INSERT and one commit instead of N of each. Batches form by
themselves: while one transaction runs, the next requests queue up; there is no timer and no
added delay.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import heapq
import itertools
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.sanitize import clean_payload, clean_text
from bot.db import inbox
from bot.db.notify import notify_inbox

log = logging.getLogger(__name__)
MAX_BATCH = 200


class WriteGate:
    """The pipeline's write transactions in this process take turns; webhook intake first.

    - SQLite has one writer at a time (`slots=1`). Without the gate, concurrent transactions
      wait for each other in SQLite's busy handler, which sleeps in steps of up to 100 ms; the
      gate hands the database over at once.
    - On both backends it keeps the event loop for the webhooks: processing is CPU-bound (FAQ
      matching, state), and 16 conversations in their transactions at once would starve the
      requests. Intake goes first (`urgent`): a channel waits for our 200, while a stored
      update can wait a moment. Sends happen outside the gate, so they still overlap.
    - PostgreSQL takes several writers: a few transactions at once (`slots`) keep the loop busy
      while others wait for the server's answers.

    Other processes are not affected: on PostgreSQL they work side by side (SKIP LOCKED).
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], slots: int = 1) -> None:
        self._lock = PriorityLock(slots)
        self.sessionmaker = sessionmaker

    @contextlib.asynccontextmanager
    async def begin(self, *, urgent: bool = False) -> AsyncIterator[AsyncSession]:
        """A session in a transaction, committed at the end of the block."""
        await self._lock.acquire(0 if urgent else 1)
        try:
            async with self.sessionmaker.begin() as sess:
                yield sess
        finally:
            self._lock.release()


class PriorityLock:
    """An asyncio semaphore (a lock with `slots=1`) whose waiters get it by priority (lower
    first), then in arrival order."""

    def __init__(self, slots: int = 1) -> None:
        self._free = max(1, slots)
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()

    async def acquire(self, priority: int = 0) -> None:
        if self._free and not self._waiters:
            self._free -= 1
            return
        fut = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._arrivals), fut))
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self.release()  # it was handed to us just as we were cancelled: pass it on
            raise

    def release(self) -> None:
        while self._waiters:
            _, _, fut = heapq.heappop(self._waiters)
            if not fut.done():  # skip waiters that were cancelled
                fut.set_result(None)  # the slot passes to it directly
                return
        self._free += 1


@dataclass
class _Pending:
    row: dict[str, Any]
    done: asyncio.Future[int | None]


# What a web process understood of a stored update's questions (bot/core/ahead.py), from
# (unit, channel, cleaned payload); None where the process handles its updates itself.
Understand = Callable[[str, str, dict[str, Any]], dict[str, Any] | None]


class InboxWriter:
    def __init__(
        self,
        gate: WriteGate,
        clock: Callable[[], dt.datetime],
        understand: Understand | None = None,
    ) -> None:
        self.gate = gate
        self.clock = clock
        self.understand = understand
        self._queue: list[_Pending] = []
        self._writer: asyncio.Task[None] | None = None

    async def store(
        self, unit: str, channel: str, external_id: str, payload: dict[str, Any]
    ) -> int | None:
        """Commit one update; return its inbox id, or None if it was already stored.

        Its strings are cleaned first (see bot/core/sanitize.py): a NUL byte or a lone surrogate
        would otherwise make every processing attempt fail, and the citizen get no answer.
        """
        cleaned = clean_payload(payload)
        row = {
            "unit": unit,
            "channel": channel,
            "external_id": clean_text(external_id),
            "payload": cleaned,
            "understood": self.understand(unit, channel, cleaned) if self.understand else None,
        }
        pending = _Pending(row, asyncio.get_running_loop().create_future())
        self._queue.append(pending)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain(), name="inbox-writer")
        return await pending.done

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            try:
                ids = await self._write(batch)
            except Exception:
                # One bad update must not fail the others: write them one by one.
                log.warning("inbox batch of %d failed; storing one by one", len(batch))
                for pending in batch:
                    try:
                        [item_id] = await self._write([pending])
                    except Exception as exc:
                        _settle(pending.done, exc=exc)
                    else:
                        _settle(pending.done, item_id)
                continue
            for pending, item_id in zip(batch, ids, strict=True):
                _settle(pending.done, item_id)

    async def _write(self, batch: list[_Pending]) -> list[int | None]:
        now = self.clock()
        async with self.gate.begin(urgent=True) as sess:
            ids = await inbox.store_many(sess, [p.row for p in batch], now)
            if any(i is not None for i in ids):
                await notify_inbox(sess)  # a worker process wakes when this commits
            return ids


def _settle(
    fut: asyncio.Future[int | None], value: int | None = None, exc: BaseException | None = None
) -> None:
    if fut.done():  # the webhook's request was cancelled (client went away)
        return
    if exc is not None:
        fut.set_exception(exc)
    else:
        fut.set_result(value)
