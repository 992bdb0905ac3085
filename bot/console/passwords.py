"""Checking passwords off the event loop, a few at a time.

An Argon2 check takes tens of milliseconds of CPU on purpose. Run on the event loop, 40
simultaneous sign-ins blocked every other request (/healthz included) for seconds. Here each
check runs in a worker thread (argon2-cffi releases the GIL), at most SLOTS at once; up to
QUEUE more wait their turn for at most WAIT seconds, and beyond that a sign-in is told the
server is busy. Tries from the same username, address and browser are taken one at a time, so
a burst of parallel guesses cannot all pass the throttle check before the first is recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Hashable

from aiohttp import web

from bot.console import accounts

SLOTS = 2
QUEUE = 32
WAIT = 20.0

Verifier = Callable[[str | None, str], bool]


class PasswordsBusy(Exception):
    """Too many passwords are being checked right now: the caller should try again soon."""


class PasswordChecks:
    def __init__(
        self,
        slots: int = SLOTS,
        queue: int = QUEUE,
        wait: float = WAIT,
        verifier: Verifier = accounts.verify_password,
    ) -> None:
        self.verifier = verifier
        self.queue, self.wait = queue, wait
        self._slots = asyncio.Semaphore(slots)
        self._waiting = 0
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    @property
    def waiting(self) -> int:
        """Checks queued for a slot right now."""
        return self._waiting

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """The password matches the hash (None: no such account, checked against a dummy)."""
        if self._waiting >= self.queue:
            raise PasswordsBusy()
        self._waiting += 1
        try:
            await asyncio.wait_for(self._slots.acquire(), self.wait)
        except TimeoutError:
            raise PasswordsBusy() from None
        finally:
            self._waiting -= 1
        try:
            return await asyncio.to_thread(self.verifier, password_hash, password)
        finally:
            self._slots.release()

    @contextlib.asynccontextmanager
    async def one_at_a_time(self, key: Hashable) -> AsyncIterator[None]:
        """Serialise the tries of one key (in this process; the dict holds only active keys)."""
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


password_checks_key = web.AppKey("password_checks", PasswordChecks)
