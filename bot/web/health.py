"""GET /healthz (the database and each channel, as JSON) and GET /metrics (Prometheus)."""

from __future__ import annotations

import ipaddress
import logging
import secrets
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text

from bot.keys import channels_key, services_key, sessionmaker_key, settings_key
from bot.observability import metrics_key


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


_PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def metrics_allowed(request: web.Request, token: str) -> bool:
    """With METRICS_TOKEN: the right bearer token. Without: only a direct request from this
    machine (a request through a reverse proxy on this machine also comes from loopback, but
    carries a forwarding header)."""
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and secrets.compare_digest(
            given.strip().encode(), token.encode()
        )
    try:
        loopback = ipaddress.ip_address(request.remote or "").is_loopback
    except ValueError:  # a Unix socket, or no address
        loopback = False
    return loopback and not any(name in request.headers for name in _PROXY_HEADERS)


async def metrics_view(request: web.Request) -> web.Response:
    token = request.app[settings_key].metrics_token
    if not metrics_allowed(request, token):
        if token:
            raise web.HTTPUnauthorized(
                text="metrics: bearer token needed", headers={"WWW-Authenticate": "Bearer"}
            )
        raise web.HTTPForbidden(text="metrics: only from this machine unless METRICS_TOKEN is set")
    metrics = request.app[metrics_key]
    now = request.app[services_key].clock()
    try:
        await metrics.refresh_db_gauges(request.app[sessionmaker_key], now)
    except Exception:
        metrics.errors.labels("metrics").inc()
        logging.getLogger(__name__).warning("metrics: database gauges failed", exc_info=True)
    body = metrics.render()
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


def setup(app: web.Application) -> None:
    app.router.add_get("/healthz", healthz, name="healthz")
    app.router.add_get("/metrics", metrics_view, name="metrics")
