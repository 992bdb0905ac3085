"""Limits for public endpoints: request bodies read under a cap, and rate windows per key.

`read_body` enforces the cap while reading, so a body sent chunked (no Content-Length) cannot
grow past it either; `parse_json` refuses what no channel sends (deep nesting, NaN, invalid
UTF-8); `RateLimiter` counts events per key (a chat session, a client address) in a sliding
window, in this process's memory.
"""

from __future__ import annotations

import json
import math
import time
from collections import deque
from collections.abc import Callable, Iterable

from aiohttp import web

_CHUNK = 64 * 1024
MAX_DEPTH = 32  # nesting of JSON values; Telegram's and Zalo's updates use fewer than 10


async def read_body(request: web.Request, max_bytes: int) -> bytes:
    """The request body, or 413 as soon as it is known to be larger than max_bytes."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise web.HTTPRequestEntityTooLarge(max_size=max_bytes, actual_size=request.content_length)
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.content.read(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise web.HTTPRequestEntityTooLarge(max_size=max_bytes, actual_size=size)
        chunks.append(chunk)
    return b"".join(chunks)


def parse_json(raw: bytes) -> object:
    """The JSON value of a request body, or 400: invalid UTF-8 or JSON, NaN or ±Infinity (not
    JSON, and PostgreSQL refuses them), nesting deeper than MAX_DEPTH (Python's parser would
    recurse until RecursionError, and every later walk over the value too)."""
    try:
        value = json.loads(
            raw.decode("utf-8"), parse_constant=_no_constant, parse_float=_finite_float
        )
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise web.HTTPBadRequest(text="malformed JSON") from None
    if _depth_over(value, MAX_DEPTH):
        raise web.HTTPBadRequest(text=f"JSON nested deeper than {MAX_DEPTH} levels")
    return value


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e400 reads as infinity
        raise ValueError("number out of range")
    return number


def _depth_over(value: object, limit: int) -> bool:
    """Whether containers nest deeper than `limit` (iterative: no recursion on hostile input)."""
    if not isinstance(value, dict | list):
        return False
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        assert isinstance(children, Iterable)
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class RateLimiter:
    """At most `limit` events per key in any `window` seconds (a sliding window).

    Memory stays bounded: a key's times are dropped once they are all older than the window,
    and a sweep runs whenever the number of keys has doubled since the last one.
    """

    def __init__(
        self, limit: int, window: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._events: dict[str, deque[float]] = {}
        self._sweep_at = 1024

    def hit(self, key: str) -> bool:
        """Count one event for the key; False when it is over the limit (it still counts, so
        a client that keeps hammering stays refused)."""
        now = self.clock()
        times = self._events.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        times.append(now)
        while len(times) > self.limit * 2:  # enough to know it is over; no unbounded growth
            times.popleft()
        if len(self._events) >= self._sweep_at:
            self._sweep(now)
        return len(times) <= self.limit

    def retry_after(self, key: str) -> int:
        """Whole seconds until the key may have one more event (at least 1)."""
        times = self._events.get(key)
        if not times or len(times) < self.limit:
            return 1
        # The event that must leave the window is the limit-th most recent one.
        return max(1, math.ceil(times[-self.limit] + self.window - self.clock()))

    def _sweep(self, now: float) -> None:
        for key in [k for k, t in self._events.items() if not t or t[-1] <= now - self.window]:
            del self._events[key]
        self._sweep_at = max(1024, 2 * len(self._events))
