"""Zalo webhooks: verify, store via Pipeline.accept, answer 200 at once (Zalo allows ~2 s).

POST /webhooks/zalo/{unit}     OA events; X-ZEvent-Signature = sha256(app_id + raw body +
                               timestamp + OA secret key), timestamp from the JSON body (ms).
POST /webhooks/zalobot/{unit}  Zalo Bot Platform updates; X-Bot-Api-Secret-Token.

Redeliveries: Zalo retries an event it could not deliver after 30 s, 5 min, 15 min, 30 min and
1 h, with a `num_retry` header (how many times it was resent). A redelivery is stored once like
any event (same msg_id); the header is logged, since it means we were unreachable earlier.

Status codes: unknown unit or channel not configured 404; no signature/secret 401; wrong
signature/secret or stale timestamp 403; malformed body 400 — and nothing is stored for any of
them. Events we do not handle (our own oa_send_* echoes, receipts) are answered 200, not stored;
seen receipts of campaign messages mark those outbox rows read (bot/campaigns/reach.py).
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from aiohttp import web

from bot.campaigns import reach
from bot.channels import zalo as zalo_oa
from bot.channels import zalo_events
from bot.channels.zalo import ZaloChannel
from bot.channels.zalo_api import signature_matches, timestamp_ms
from bot.channels.zalo_bot import ZaloBotChannel, unwrap, update_id
from bot.keys import channels_key, pipeline_key, services_key, sessionmaker_key, settings_key
from bot.web.limits import parse_json, read_body

log = logging.getLogger(__name__)
MAX_BODY = 64 * 1024  # an event is a few KB (a 2,000-character text as \u escapes: 12 KB)
SIGNATURE_HEADER = "X-ZEvent-Signature"
NUM_RETRY_HEADER = "num_retry"
BOT_SECRET_HEADER = "X-Bot-Api-Secret-Token"  # noqa: S105 - a header name
FUTURE_SKEW_MS = 5 * 60 * 1000  # clocks differ a little; a timestamp from the future is not


def _channel(request: web.Request, name: str) -> Any:
    unit = request.match_info["unit"]
    if unit not in request.app[services_key].units:
        raise web.HTTPNotFound(text="unknown unit")
    channel = request.app[channels_key].get(unit, name)
    if channel is None:
        raise web.HTTPNotFound(text=f"{name} is not configured for this unit")
    return channel


def _json_object(raw: bytes) -> dict[str, Any]:
    data = parse_json(raw)
    if not isinstance(data, dict):
        raise web.HTTPBadRequest(text="not a JSON object")
    return data


def num_retry(value: str | None) -> int:
    """The `num_retry` header as a count (0: first delivery; junk is read as 0)."""
    text = (value or "").strip()
    return min(int(text), 100) if text.isascii() and text.isdigit() and len(text) < 6 else 0


async def zalo_webhook(request: web.Request) -> web.Response:
    channel = _channel(request, "zalo")
    assert isinstance(channel, ZaloChannel)
    given = request.headers.get(SIGNATURE_HEADER)
    if not given:
        raise web.HTTPUnauthorized(text="missing signature")
    raw = await read_body(request, MAX_BODY)
    event = _json_object(raw)
    stamp = event.get("timestamp")
    ts = timestamp_ms(stamp)
    if ts is None or not str(event.get("event_name") or ""):
        raise web.HTTPBadRequest(text="not a Zalo event (event_name, timestamp)")
    if not signature_matches(given, channel.app_id, raw, str(stamp), channel.oa_secret_key):
        log.warning("Zalo webhook with a wrong signature for unit %s", channel.unit)
        raise web.HTTPForbidden(text="wrong signature")
    max_age_ms = request.app[settings_key].zalo_webhook_max_age_seconds * 1000
    age = int(request.app[services_key].clock().timestamp() * 1000) - ts
    if age > max_age_ms or age < -FUTURE_SKEW_MS:
        log.warning("Zalo webhook with a stale timestamp for unit %s", channel.unit)
        raise web.HTTPForbidden(text="stale timestamp")
    retry = num_retry(request.headers.get(NUM_RETRY_HEADER))
    if retry:
        log.warning(
            "Zalo webhook redelivery #%d for unit %s: Zalo could not reach us earlier",
            retry,
            channel.unit,
        )
    who, seen = zalo_events.seen_message_ids(event)
    if seen:  # read receipts of campaign messages: one short UPDATE, then the answer
        async with request.app[sessionmaker_key].begin() as sess:
            await reach.record_seen(
                sess, channel.unit, "zalo", who, seen, request.app[services_key].clock()
            )
    if zalo_oa.is_handled(event):
        await request.app[pipeline_key].accept(
            channel.unit, "zalo", zalo_oa.event_id(event), event
        )
    return web.json_response({"ok": True})


async def zalobot_webhook(request: web.Request) -> web.Response:
    channel = _channel(request, "zalobot")
    assert isinstance(channel, ZaloBotChannel)
    if not channel.webhook_secret:
        raise web.HTTPNotFound(text="zalobot webhook secret not configured")
    given = request.headers.get(BOT_SECRET_HEADER)
    if given is None:
        raise web.HTTPUnauthorized(text="missing secret token")
    if not secrets.compare_digest(given.encode(), channel.webhook_secret.encode()):
        raise web.HTTPForbidden(text="wrong secret token")
    body = _json_object(await read_body(request, MAX_BODY))
    updates = unwrap(body)
    if not updates and "message" not in body and "result" not in body:
        raise web.HTTPBadRequest(text="not a Zalo Bot update")
    pipeline = request.app[pipeline_key]
    for update in updates:
        stored = await channel.resolve_choice(update)
        await pipeline.accept(channel.unit, "zalobot", update_id(update), stored)
    return web.json_response({"ok": True})


def setup(app: web.Application) -> None:
    app.router.add_post("/webhooks/zalo/{unit}", zalo_webhook, name="zalo_webhook")
    app.router.add_post("/webhooks/zalobot/{unit}", zalobot_webhook, name="zalobot_webhook")
