"""Writes that ride along: items queued here are written by the next transaction that takes
the write gate, whichever it is.

  send A done ─┐                      ┌─ the next update's processing transaction: take(), write
  send B done ─┼─▶ queue (futures) ───┤    them with its own work, one COMMIT
  send C done ─┘                      └─ or, if none comes first, a flush transaction of its own

Each caller still waits until its own item is committed. Under load the items share the
COMMIT of work that runs anyway; when idle, the flush writes them at once. No timer, no added
delay.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class Batch(Generic[T]):
    items: list[T] = field(default_factory=list)
    futures: list[asyncio.Future[None]] = field(default_factory=list)

    def settle(self, exc: BaseException | None = None) -> None:
        """After the transaction that wrote the items: wake their callers (with `exc` if it
        failed; a cancellation is passed on as an error, the items were not written)."""
        if exc is not None and not isinstance(exc, Exception):
            exc = RuntimeError(f"write interrupted: {type(exc).__name__}")
        for fut in self.futures:
            if fut.done():  # the caller was cancelled
                continue
            if exc is None:
                fut.set_result(None)
            else:
                fut.set_exception(exc)


class RideAlong(Generic[T]):
    def __init__(self, flush: Callable[[], Awaitable[None]], name: str) -> None:
        """`flush` opens a transaction, calls `take()` inside it, writes and settles."""
        self._flush = flush
        self._name = name
        self._batch: Batch[T] = Batch()
        self._flusher: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> None:
        """Return once `item` is committed; raise what the write raised."""
        fut = asyncio.get_running_loop().create_future()
        self._batch.items.append(item)
        self._batch.futures.append(fut)
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._run_flush(), name=self._name)
        await fut

    def take(self) -> Batch[T]:
        """Everything queued so far, for the caller's transaction to write (then settle)."""
        batch, self._batch = self._batch, Batch()
        return batch

    async def _run_flush(self) -> None:
        while self._batch.items:
            try:
                await self._flush()
            except Exception as exc:  # flush settles what it took; anything left must not hang
                self.take().settle(exc)
