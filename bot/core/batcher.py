"""Group commit: calls that arrive while one write runs are written together by the next.

  send A done ─┐
  send B done ─┼─▶ queue ──one writer task: UPDATE A, B, C … COMMIT──▶ each caller resumes
  send C done ─┘

Each caller still waits until its own item is committed; a burst of N costs one transaction
instead of N. Batches form by themselves (no timer, no added delay), as in bot/core/intake.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")
MAX_BATCH = 200


class GroupCommit(Generic[T]):
    def __init__(self, write: Callable[[list[T]], Awaitable[None]], name: str) -> None:
        self._write = write
        self._name = name
        self._queue: list[tuple[T, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> None:
        """Return once `item` is committed; raise what the write raised."""
        fut = asyncio.get_running_loop().create_future()
        self._queue.append((item, fut))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain(), name=self._name)
        await fut

    async def _drain(self) -> None:
        while self._queue:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            try:
                await self._write([item for item, _ in batch])
            except Exception as exc:
                for _, fut in batch:
                    if not fut.done():
                        fut.set_exception(exc)
            else:
                for _, fut in batch:
                    if not fut.done():  # the caller was cancelled
                        fut.set_result(None)
