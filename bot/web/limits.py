"""Limits for public endpoints: request bodies read under a cap, and rate windows per key.

`read_body` enforces the cap while reading, so a body sent chunked (no Content-Length) cannot
grow past it either; `parse_json` refuses what no channel sends (deep nesting, NaN, invalid
UTF-8); `RateLimiter` counts events per key (a chat session, a client address) in a sliding
window, in this process's memory.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import deque
from collections.abc import Callable

from aiohttp import web

_CHUNK = 64 * 1024
MAX_DEPTH = 32  # nesting of JSON values; Telegram's and Zalo's updates use fewer than 10
# A JSON string (escapes included, unterminated at the end of the text too) or one bracket.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[\[\]{}]')


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
    recurse towards RecursionError, so the depth is checked on the text before parsing: near the
    recursion limit even a garbage collector's finalizer fails)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise web.HTTPBadRequest(text="malformed JSON") from None
    if _nesting_over(text, MAX_DEPTH):
        raise web.HTTPBadRequest(text=f"JSON nested deeper than {MAX_DEPTH} levels")
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except (ValueError, RecursionError):
        raise web.HTTPBadRequest(text="malformed JSON") from None


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e400 reads as infinity
        raise ValueError("number out of range")
    return number


def _nesting_over(text: str, limit: int) -> bool:
    """Whether brackets outside strings open deeper than `limit` (a scan, no recursion).
    Unbalanced text only errs towards parsing, and the parser refuses it."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > limit:
                return True
        elif token in ("]", "}"):
            depth -= 1
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
