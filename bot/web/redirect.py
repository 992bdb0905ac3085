"""GET /r/{token}: the short links of campaigns (text messages and printed QR codes).

Only a stored token redirects, and only to the target stored with it (no open redirect: the
URL carries no destination). Anything else is a plain 404 page. Clicks are counted in the
database: every click, and unique visitors by a keyed hash (bot/campaigns/links.py); the
client's address is used only for that hash and the in-memory rate limit, never stored or
logged. Answers are `no-store` and `no-referrer`, so the token does not travel on.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import logging
import re
import secrets

from aiohttp import web

from bot.campaigns import links
from bot.console.security import client_ip
from bot.keys import services_key, sessionmaker_key, settings_key
from bot.web.limits import RateLimiter

log = logging.getLogger(__name__)
PER_ADDRESS = (60, 60.0)  # opens per client address per minute
redirect_limits_key = web.AppKey("redirect_limits", RateLimiter)
visitor_secret_key = web.AppKey("redirect_visitor_secret", bytes)
HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
# Link previews: Telegram and other apps fetch a URL in a message to show a card; a robot's
# fetch (or a HEAD) is redirected like any other but not counted as a person's click.
ROBOTS = re.compile(r"bot\b|crawler|spider|preview|facebookexternalhit|python-|curl/", re.I)


def is_robot(request: web.Request) -> bool:
    agent = request.headers.get("User-Agent", "")
    return request.method == "HEAD" or not agent or ROBOTS.search(agent[:300]) is not None


def visitor_secret(console_secret: str) -> bytes:
    """The key of the visitor hash: from the console secret (stable across restarts), or a
    random one for this process when none is set (unique counts then hold per process)."""
    if not console_secret:
        return secrets.token_bytes(32)
    return hmac.new(console_secret.encode(), b"loaxa link visitor", hashlib.sha256).digest()


def _page(request: web.Request, status: int, key: str) -> web.Response:
    text = html.escape(request.app[services_key].messages.render(key))
    body = (
        '<!doctype html><html lang="vi"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{status}</title><p>{text}</p></html>"
    )
    return web.Response(
        text=body, status=status, content_type="text/html", charset="utf-8", headers=HEADERS
    )


async def follow(request: web.Request) -> web.StreamResponse:
    address = client_ip(request)
    limiter = request.app[redirect_limits_key]
    if not limiter.hit(address):
        response = _page(request, 429, "link.too_fast")
        response.headers["Retry-After"] = str(limiter.retry_after(address))
        return response
    token = request.match_info["token"]
    now = request.app[services_key].clock()
    async with request.app[sessionmaker_key].begin() as sess:
        link = await links.target_of(sess, token)
        if link is None:
            return _page(request, 404, "link.not_found")
        target, link_id = link.target, link.id
        if not is_robot(request):
            agent = request.headers.get("User-Agent", "")
            visitor = links.visitor_key(request.app[visitor_secret_key], token, address, agent)
            await links.record_click(sess, link_id, visitor, now)
    if not target.startswith(("https://", "http://")):  # stored by us; checked all the same
        return _page(request, 404, "link.not_found")
    raise web.HTTPFound(target, headers=HEADERS)


def setup(app: web.Application) -> None:
    app[redirect_limits_key] = RateLimiter(*PER_ADDRESS)
    app[visitor_secret_key] = visitor_secret(app[settings_key].console_secret)
    app.router.add_get(links.PATH + "{token}", follow, name="short_link")
