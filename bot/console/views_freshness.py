"""/console/faq/freshness: what may no longer be true — entries not checked for six months,
dated facts that end soon or have ended, and links that no longer answer (checked on demand)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from aiohttp import web

from bot.console.auth import current, now, require, visible_units
from bot.console.render import render, url
from bot.content.faq import EXPIRY_WARNING_DAYS, LOCAL_TZ, FaqEntry
from bot.faq_links import LinkReport, run_check
from bot.keys import services_key

STALE_AFTER = dt.timedelta(days=183)  # "older than six months"
link_report_key = web.AppKey("link_report", LinkReport)
link_task_key: web.AppKey[set[asyncio.Task[None]]] = web.AppKey("link_task")


def _entries(request: web.Request) -> dict[str, FaqEntry]:
    services = request.config_dict[services_key]
    seen: dict[str, FaqEntry] = dict(services.faq.entries)
    for unit in visible_units(request, current(request)):
        seen.update(services.faq.entries_for(unit))
    return seen


def urls_to_check(request: web.Request) -> list[str]:
    services = request.config_dict[services_key]
    urls = {e.url for e in _entries(request).values() if e.url}
    for unit in services.units.values():
        urls.update(u for u in (unit.portal, unit.local_portal) if u)
    return sorted(urls)


@require("staff")
async def freshness_page(request: web.Request) -> web.StreamResponse:
    today = now(request).astimezone(LOCAL_TZ).date()
    entries = sorted(_entries(request).values(), key=lambda e: (e.checked, e.id))
    stale = [e for e in entries if today - e.checked > STALE_AFTER]
    dated: list[dict[str, Any]] = []
    for entry in entries:
        for fact in entry.dated:
            left = (fact.valid_until - today).days
            if left <= EXPIRY_WARNING_DAYS:
                dated.append({"entry": entry, "fact": fact, "left": left})
    report = request.config_dict[link_report_key]
    by_url: dict[str, list[FaqEntry]] = {}
    for entry in entries:
        if entry.url:
            by_url.setdefault(entry.url, []).append(entry)
    return await render(
        request,
        "faq_freshness.html",
        stale=stale,
        dated=dated,
        report=report,
        by_url=by_url,
        months=STALE_AFTER.days // 30,
        # A snapshot: the check runs in the background and may end while the page renders.
        running=report.running,
        finished_local=report.finished_at.astimezone(LOCAL_TZ) if report.finished_at else None,
    )


@require("staff")
async def check_links_submit(request: web.Request) -> web.StreamResponse:
    """Start a link check in the background (once at a time) and come back to the page."""
    report = request.config_dict[link_report_key]
    if not report.running:
        task = asyncio.create_task(run_check(report, urls_to_check(request), now(request)))
        tasks = request.config_dict[link_task_key]
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    raise web.HTTPSeeOther(url(request, "faq_freshness"))


def setup(app: web.Application) -> None:
    app[link_report_key] = LinkReport()
    tasks: set[asyncio.Task[None]] = set()
    app[link_task_key] = tasks

    async def stop_checks(app: web.Application) -> None:
        running: set[asyncio.Task[None]] = app[link_task_key]
        for task in list(running):
            task.cancel()

    app.on_cleanup.append(stop_checks)


def add_routes(router: web.UrlDispatcher) -> None:
    router.add_get("/faq/freshness", freshness_page, name="faq_freshness")
    router.add_post("/faq/freshness/links", check_links_submit, name="faq_check_links")
