"""Do the links the FAQ gives citizens still answer? A real HTTP check, run off the hot path
when staff press "Kiểm tra đường dẫn" in the console (bot/console/views_freshness.py).

Only the URLs in our own content are fetched (no user input), a few at a time, with a short
timeout; the result is kept in memory for the console until the next check.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import aiohttp

TIMEOUT = aiohttp.ClientTimeout(total=15)
PARALLEL = 4
USER_AGENT = "LoaXa-link-check/1 (+https://dichvucong.gov.vn)"


@dataclass(frozen=True)
class LinkResult:
    url: str
    ok: bool
    status: int | None  # HTTP status, None when the server did not answer
    error: str = ""  # "timeout", "connection", … (never a traceback)


@dataclass
class LinkReport:
    running: bool = False
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    results: dict[str, LinkResult] = field(default_factory=dict)

    @property
    def broken(self) -> list[LinkResult]:
        return sorted((r for r in self.results.values() if not r.ok), key=lambda r: r.url)


async def _check_one(session: aiohttp.ClientSession, url: str) -> LinkResult:
    try:
        async with session.head(url, allow_redirects=True) as resp:
            status = resp.status
        if status in (403, 405, 501):  # some portals refuse HEAD: ask again with GET
            async with session.get(url, allow_redirects=True) as resp:
                status = resp.status
    except TimeoutError:
        return LinkResult(url, False, None, "timeout")
    except aiohttp.ClientError as exc:
        return LinkResult(url, False, None, type(exc).__name__)
    return LinkResult(url, status < 400, status)


async def check_links(urls: Iterable[str]) -> dict[str, LinkResult]:
    gate = asyncio.Semaphore(PARALLEL)
    headers = {"User-Agent": USER_AGENT}
    async with aiohttp.ClientSession(timeout=TIMEOUT, headers=headers) as session:

        async def one(url: str) -> LinkResult:
            async with gate:
                return await _check_one(session, url)

        results = await asyncio.gather(*(one(u) for u in sorted(set(urls))))
    return {r.url: r for r in results}


async def run_check(report: LinkReport, urls: Iterable[str], now: dt.datetime) -> None:
    """Fill `report` (shared with the console page) with a fresh check of `urls`."""
    report.running, report.started_at = True, now
    try:
        report.results = await check_links(urls)
    finally:
        report.running = False
        report.finished_at = dt.datetime.now(dt.UTC)
