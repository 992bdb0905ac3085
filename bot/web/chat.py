"""The local web chat at /chat/{unit}/: a page, a send endpoint and a poll endpoint.

/chat/ serves DEFAULT_UNIT (or the only unit), else lets the visitor choose; an unknown unit
gets a 404 page with the list of units.

The browser is identified by a random HttpOnly cookie; that token is the contact's id in the
"web" channel, so the same engine, state and log serve it as any other channel.

The send endpoint is public, so it is limited before anything is stored: a small body, at most
MAX_TEXT characters, and a rate per session and per client address (a new cookie is one request
away, an address is not). The poll endpoint has its own rates (each poll reads the database).
Refusals are a JSON {"error": <Vietnamese text>} that the page shows; a 429 says Retry-After.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from aiohttp import web

from bot.console.security import client_ip
from bot.db import queries
from bot.keys import channels_key, pipeline_key, services_key, sessionmaker_key, settings_key
from bot.web.limits import RateLimiter, parse_json, read_body

log = logging.getLogger(__name__)
COOKIE = "loaxa_chat"
TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape(["html"])
)
CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_TEXT = 4000  # characters of one message (Telegram's own limit is 4096)
MAX_BODY = 32 * 1024  # bytes: MAX_TEXT characters even as JSON \uXXXX escapes, and the rest
MAX_MESSAGE_ID = 2**63 - 1  # `after`: a message id is a 64-bit integer in the database
MAX_KEY = 128  # characters of the inbox key (InboxItem.external_id)


@dataclass
class ChatLimits:
    """Rates of the send endpoint, in this process (tests replace them with smaller ones).

    A quick citizen filling the PAKN form with buttons sends ~15 messages in a minute; an
    office or a kiosk puts many citizens behind one address.
    """

    per_session: RateLimiter = field(default_factory=lambda: RateLimiter(30, 60.0))
    per_address: RateLimiter = field(default_factory=lambda: RateLimiter(120, 60.0))
    # New sessions (cookies) per address and hour: limits that count per contact (PAKN status
    # guesses, submissions) must not reset with one click. A kiosk starts one per visitor.
    new_sessions: RateLimiter = field(default_factory=lambda: RateLimiter(60, 3600.0))
    # Polls for new messages: the page asks every 5 s (12 a minute); a few tabs share a session.
    polls_per_session: RateLimiter = field(default_factory=lambda: RateLimiter(60, 60.0))
    polls_per_address: RateLimiter = field(default_factory=lambda: RateLimiter(600, 60.0))
    warned_proxy: bool = False


chat_limits_key = web.AppKey("chat_limits", ChatLimits)


def _unit_key(request: web.Request) -> str:
    services = request.app[services_key]
    unit = request.match_info.get("unit") or services.default_unit.key
    if unit not in services.units or request.app[channels_key].get(unit, "web") is None:
        raise web.HTTPNotFound(text="unknown unit")
    return unit


def _sid(request: web.Request) -> str | None:
    sid = request.cookies.get(COOKIE)
    return sid if sid and CLIENT_ID.match(sid) else None


def _new_session(request: web.Request, response: web.StreamResponse) -> None:
    response.set_cookie(
        COOKIE,
        secrets.token_urlsafe(24),
        httponly=True,
        samesite="Lax",
        secure=request.secure,
        max_age=60 * 60 * 24 * 90,
        path="/chat/",
    )


def _web_units(request: web.Request) -> list[Any]:
    """The units that have a web chat, by name."""
    services, channels = request.app[services_key], request.app[channels_key]
    units = [u for k, u in services.units.items() if channels.get(k, "web") is not None]
    return sorted(units, key=lambda u: u.name)


def _picker(request: web.Request, status: int, asked: str = "") -> web.Response:
    """The list of units to chat with: /chat/ without DEFAULT_UNIT, or an unknown unit."""
    query = "?" + request.query_string if request.query_string else ""
    html = _env.get_template("chat_units.html").render(
        units=_web_units(request), asked=asked, query=query
    )
    return web.Response(status=status, text=html, content_type="text/html")


async def page(request: web.Request) -> web.Response:
    services = request.app[services_key]
    settings = request.app[settings_key]
    web_units = _web_units(request)
    key = request.match_info.get("unit")
    if key is None:  # /chat/: DEFAULT_UNIT, the only unit, or a choice
        if settings.default_unit and any(u.key == settings.default_unit for u in web_units):
            key = settings.default_unit
        elif len(web_units) == 1:
            key = web_units[0].key
        else:
            return _picker(request, 200)
    elif not any(u.key == key for u in web_units):
        return _picker(request, 404, asked=key[:64])
    unit = services.units[key]
    kiosk = request.query.get("kiosk") == "1" or settings.web_chat_kiosk
    html = _env.get_template("chat.html").render(
        unit=unit,
        kiosk=kiosk,
        idle_seconds=settings.kiosk_idle_seconds,
        max_text=MAX_TEXT,
        other_units=len(web_units) > 1,
    )
    if _sid(request) is None:
        if not request.app[chat_limits_key].new_sessions.hit(_address(request)):
            text = request.app[services_key].messages.render("web.too_many_sessions", unit=unit)
            return web.Response(status=429, text=text, content_type="text/plain")
        response = web.Response(text=html, content_type="text/html")
        _new_session(request, response)
        return response
    return web.Response(text=html, content_type="text/html")


async def reset(request: web.Request) -> web.Response:
    """Kiosk: forget this browser's conversation on screen; the next visitor gets a new session
    (the cookie is HttpOnly, so the page cannot clear it itself)."""
    _unit_key(request)
    if not request.app[chat_limits_key].new_sessions.hit(_address(request)):
        return _refuse(request, 429, "web.too_fast")
    response = web.json_response({"ok": True})
    _new_session(request, response)
    return response


def _serialise(rows: list[Any]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        item: dict[str, Any] = {"id": row.id, "direction": row.direction}
        if row.direction == "out":
            item.update(row.body or {"text": row.text or "", "buttons": []})
        else:
            item["text"] = row.text or ""
            item["payload"] = row.payload
            item["kind"] = row.kind  # "attachment": the page shows a photo sent
        out.append(item)
    return out


async def _history(request: web.Request, unit: str, sid: str, after: int) -> list[dict[str, Any]]:
    async with request.app[sessionmaker_key]() as sess:
        contact = await queries.get_contact(sess, unit, "web", sid)
        if contact is None:
            return []
        return _serialise(await queries.conversation(sess, contact.id, after))


def _address(request: web.Request) -> str:
    """The client address the per-address limits count (warns once about a proxy that is not
    trusted: every citizen would then share the proxy's one address)."""
    limits = request.app[chat_limits_key]
    if (
        not limits.warned_proxy
        and "X-Forwarded-For" in request.headers
        and not request.app[settings_key].trust_proxy
    ):
        limits.warned_proxy = True
        log.warning("requests come through a proxy but TRUST_PROXY is off: per-address limits")
    return client_ip(request)


def _refuse(request: web.Request, status: int, key: str, **context: object) -> web.Response:
    text = request.app[services_key].messages.render(key, **context)
    return web.json_response({"error": text, "messages": []}, status=status)


def _too_fast(request: web.Request, pairs: list[tuple[RateLimiter, str]]) -> web.Response | None:
    """Count this request in every window (no short-circuit: a flood stays refused); a 429
    with Retry-After when any of them is full."""
    over = [(limiter, key) for limiter, key in pairs if not limiter.hit(key)]
    if not over:
        return None
    response = _refuse(request, 429, "web.too_fast")
    wait = max(limiter.retry_after(key) for limiter, key in over)
    response.headers["Retry-After"] = str(wait)
    return response


def _after(raw: object) -> int:
    """The last message id the page has; missing: 0. Anything but a 64-bit id is a 400."""
    if raw is None or raw == "":
        return 0
    text = str(raw)
    if type(raw) not in (int, str) or not (text.isascii() and text.isdigit()) or len(text) > 19:
        raise web.HTTPBadRequest(text="after: a message id")
    after = int(text)
    if after > MAX_MESSAGE_ID:
        raise web.HTTPBadRequest(text="after: a message id")
    return after


def _inbox_key(sid: str, client_id: str) -> str:
    """The message's key in the inbox (redeliveries are stored once): session and message ids
    can make 129 characters, more than the column holds, so a long pair is digested."""
    key = f"{sid}:{client_id}"
    if len(key) <= MAX_KEY:
        return key
    return "h:" + hashlib.sha256(key.encode()).hexdigest()


async def send(request: web.Request) -> web.Response:
    unit = _unit_key(request)
    sid = _sid(request)
    if sid is None:
        raise web.HTTPUnauthorized(text="reload the page to start a chat session")
    limits = request.app[chat_limits_key]
    refused = _too_fast(
        request, [(limits.per_session, sid), (limits.per_address, _address(request))]
    )
    if refused is not None:
        return refused
    try:
        raw = await read_body(request, MAX_BODY)
    except web.HTTPRequestEntityTooLarge:
        return _refuse(request, 413, "web.too_long", limit=MAX_TEXT)
    body = parse_json(raw)
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="expected a JSON object")
    client_id = str(body.get("id", ""))
    if not CLIENT_ID.match(client_id):
        raise web.HTTPBadRequest(text="id: 8-64 characters A-Z a-z 0-9 _ -")
    after = _after(body.get("after"))  # checked before anything is stored
    text, button = body.get("text"), body.get("payload")
    if not isinstance(text, str | None) or not isinstance(button, str | None):
        raise web.HTTPBadRequest(text="text, payload: strings")
    if text is not None and len(text) > MAX_TEXT:
        return _refuse(request, 413, "web.too_long", limit=MAX_TEXT)
    payload: dict[str, Any] = {"sid": sid, "text": text, "payload": button}
    if isinstance(body.get("location"), dict):  # checked by the channel (bot/channels/webchat)
        payload["location"] = body["location"]
    pipeline = request.app[pipeline_key]
    item_id = await pipeline.accept(unit, "web", _inbox_key(sid, client_id), payload)
    if item_id is not None:
        await pipeline.process_stored(item_id, unit, "web", payload)
    return web.json_response({"messages": await _history(request, unit, sid, after)})


async def messages(request: web.Request) -> web.Response:
    unit = _unit_key(request)
    sid = _sid(request)
    limits = request.app[chat_limits_key]
    pairs = [(limits.polls_per_address, _address(request))]
    refused = _too_fast(request, [*pairs, (limits.polls_per_session, sid)] if sid else pairs)
    if refused is not None:
        return refused
    if sid is None:
        return web.json_response({"messages": []})
    after = _after(request.query.get("after", "0"))
    return web.json_response({"messages": await _history(request, unit, sid, after)})


async def _to_chat(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/chat/")


async def _to_unit(request: web.Request) -> web.StreamResponse:
    query = "?" + request.query_string if request.query_string else ""
    raise web.HTTPFound(f"/chat/{quote(request.match_info['unit'])}/{query}")


def setup(app: web.Application) -> None:
    app[chat_limits_key] = ChatLimits()
    app.router.add_get("/chat", _to_chat)
    app.router.add_get("/chat/", page, name="chat")
    app.router.add_get("/chat/{unit}/", page, name="chat_unit")
    app.router.add_get("/chat/{unit:[a-z0-9-]{1,64}}", _to_unit)
    app.router.add_post("/chat/api/send", send)
    app.router.add_post("/chat/api/{unit}/send", send)
    app.router.add_post("/chat/api/reset", reset)
    app.router.add_post("/chat/api/{unit}/reset", reset)
    app.router.add_get("/chat/api/messages", messages)
    app.router.add_get("/chat/api/{unit}/messages", messages)
    app.router.add_static("/chat/static/", STATIC, name="chat_static")
