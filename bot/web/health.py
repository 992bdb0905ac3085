"""GET /healthz: the database and each channel, as JSON."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from sqlalchemy import text

from bot.keys import channels_key, sessionmaker_key


async def healthz(request: web.Request) -> web.Response:
    app = request.app
    database: dict[str, Any]
    try:
        async with app[sessionmaker_key]() as sess:
            await sess.execute(text("SELECT 1"))
        database = {"ok": True}
    except Exception as exc:
        database = {"ok": False, "error": type(exc).__name__}
    channels: dict[str, dict[str, Any]] = {}
    for channel in app[channels_key].all():
        state = getattr(channel, "state", "ok")
        channels.setdefault(channel.unit, {})[channel.name] = {"state": state}
    ok = database["ok"] and all(
        info["state"] != "error" for unit in channels.values() for info in unit.values()
    )
    body = {"status": "ok" if ok else "degraded", "database": database, "channels": channels}
    return web.json_response(body, status=200 if database["ok"] else 503)


def setup(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz, name="healthz")
