"""A rate limiter that never exceeds `rate` calls in any window, as the server counts them.

A call holds its slot from the moment it starts until its answer arrives; a slot is free again
one window after that answer. The server saw the call somewhere in between, so no window of the
server's clock can hold more than `rate` calls, whatever the network latency (a token bucket
that only spaces the starts can: a late request followed by an on-time one). The cost is one
round trip per window (≈ 0.5 % on loopback, more on a slow link: raise the concurrency).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

Sleep = Callable[[float], Awaitable[None]]


class Slot:
    __slots__ = ("done", "done_at")

    def __init__(self) -> None:
        self.done_at: float | None = None
        self.done = asyncio.Event()


class RateLimiter:
    def __init__(
        self,
        rate: float,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.capacity = max(1, int(rate))
        self.window = self.capacity / rate  # 30/s -> 30 per 1 s; 0.5/s -> 1 per 2 s
        self.monotonic = monotonic
        self.sleep = sleep
        self.paused_until = 0.0
        self._slots: deque[Slot] = deque()

    def pause(self, seconds: float) -> None:
        """Stop every call of this channel for `seconds` (a 429's retry_after)."""
        self.paused_until = max(self.paused_until, self.monotonic() + seconds)

    async def acquire(self) -> Slot:
        while True:
            now = self.monotonic()
            if now < self.paused_until:
                await self.sleep(self.paused_until - now)
                continue
            while self._slots and self._expired(self._slots[0], now):
                self._slots.popleft()
            if len(self._slots) < self.capacity:
                slot = Slot()
                self._slots.append(slot)
                return slot
            first = self._slots[0]
            if first.done_at is None:
                await first.done.wait()
            else:
                await self.sleep(first.done_at + self.window - now)

    def release(self, slot: Slot) -> None:
        slot.done_at = self.monotonic()
        slot.done.set()

    def _expired(self, slot: Slot, now: float) -> bool:
        return slot.done_at is not None and slot.done_at + self.window <= now
