"""What waits, for the page that is open: /console/waiting.json (polled by static/waiting.js
for the menu badges and the browser notifications) and marking one's notices read."""

from __future__ import annotations

from aiohttp import web

from bot.console import notices, waiting
from bot.console.auth import current, now, require, visible_units
from bot.keys import services_key, sessionmaker_key


@require("volunteer")
async def waiting_json(request: web.Request) -> web.StreamResponse:
    """Counts only (no names, no text): safe to show in a notification."""
    user = current(request)
    async with request.config_dict[sessionmaker_key]() as sess:
        counts = await waiting.count(
            sess,
            request.config_dict[services_key],
            user.role,
            user.username,
            visible_units(request, user),
            now(request),
        )
    return web.json_response(
        {"counts": counts.as_dict(), "badges": counts.badges()},
        headers={"Cache-Control": "no-store"},
    )


@require("volunteer")
async def notices_read(request: web.Request) -> web.StreamResponse:
    async with request.config_dict[sessionmaker_key].begin() as sess:
        await notices.mark_read(sess, current(request).username, now(request))
    raise web.HTTPFound("/console/")


def add_routes(r: web.UrlDispatcher) -> None:
    r.add_get("/waiting.json", waiting_json, name="waiting")
    r.add_post("/notices/read", notices_read, name="notices_read")
