"""Channel webhooks: check the secret in constant time, store, answer 200 at once."""

from __future__ import annotations

import logging
import secrets

from aiohttp import web

from bot.channels.telegram import TelegramChannel
from bot.keys import channels_key, pipeline_key, services_key
from bot.observability import metrics_key
from bot.web.limits import parse_json, read_body

log = logging.getLogger(__name__)
MAX_BODY = 64 * 1024  # a Telegram update is a few KB (a 4096-character text as \u escapes: 25 KB)
MAX_UPDATE_ID = 2**63 - 1  # Telegram's ids are positive and fit in 64 bits


async def telegram_webhook(request: web.Request) -> web.Response:
    unit = request.match_info["unit"]
    app = request.app
    if unit not in app[services_key].units:
        raise web.HTTPNotFound(text="unknown unit")
    channel = app[channels_key].get(unit, "telegram")
    if not isinstance(channel, TelegramChannel) or not channel.webhook_secret:
        raise web.HTTPNotFound(text="telegram is not configured for this unit")
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
    if given is None:
        _rejected(app, "missing_secret")
        raise web.HTTPUnauthorized(text="missing secret token")
    if not secrets.compare_digest(given.encode(), channel.webhook_secret.encode()):
        _rejected(app, "wrong_secret")
        raise web.HTTPForbidden(text="wrong secret token")
    raw = await read_body(request, MAX_BODY)  # enforced while reading: chunked bodies too
    try:
        update = parse_json(raw)
    except web.HTTPBadRequest:
        _rejected(app, "malformed")
        raise
    if not isinstance(update, dict) or not _is_update_id(update.get("update_id")):
        _rejected(app, "not_an_update")
        raise web.HTTPBadRequest(text="not a Telegram update")
    await app[pipeline_key].accept(unit, "telegram", str(update["update_id"]), update)
    return web.Response(text="ok")


def _is_update_id(value: object) -> bool:
    """An integer in Telegram's range (bool is an int in Python, and not an id)."""
    return type(value) is int and 0 <= value <= MAX_UPDATE_ID


def _rejected(app: web.Application, reason: str) -> None:
    log.warning("telegram webhook rejected: %s", reason, extra={"channel": "telegram"})
    app[metrics_key].webhook_rejected.labels("telegram", reason).inc()


def setup(app: web.Application) -> None:
    app.router.add_post("/webhooks/telegram/{unit}", telegram_webhook, name="telegram_webhook")
