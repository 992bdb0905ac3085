"""Campaign links behind /r/{token}: each URL of a campaign (in its text or behind a link
button) gets one random token per channel
(and one for printed QR codes, channel "poster"), stored server-side with its target.

The token says nothing about who clicked (the same token goes to every recipient on a
channel), so counts are per campaign and channel. Only stored targets are ever redirected to,
so the route cannot be used as an open redirect. A visitor is remembered as a keyed hash of
their address and browser, to count unique clicks; the address itself is never stored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import Button
from bot.db.models_reach import CampaignLink, LinkClick
from bot.db.upsert import insert_ignore

PATH = "/r/"
TOKEN_BYTES = 16  # 128 bits: not guessable, 22 characters in the URL
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,32}$")
MAX_TARGET = 2000
# http(s) URLs in a campaign text; a trailing dot or bracket is punctuation, not the URL.
_URL = re.compile(r"https?://[^\s<>\"'\]\)]+")
_TRAILING = ".,;:!?"


def find_urls(text: str) -> list[str]:
    """The distinct http(s) URLs of a text, in order."""
    seen: list[str] = []
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        if url not in seen and len(url) <= MAX_TARGET:
            seen.append(url)
    return seen


def short_url(base: str, token: str) -> str:
    return f"{base.rstrip('/')}{PATH}{token}"


def trackable(url: str, base: str) -> bool:
    """A URL worth wrapping: not one of our own short links already."""
    return bool(base) and not url.startswith(base.rstrip("/") + PATH)


async def ensure_links(
    sess: AsyncSession,
    unit: str,
    campaign_id: int,
    channel: str,
    targets: Iterable[str],
    now: dt.datetime,
) -> dict[str, str]:
    """{target: token} for these targets, creating the missing links (idempotent: a second
    worker or a restart gets the same tokens)."""
    wanted = [t for t in dict.fromkeys(targets) if len(t) <= MAX_TARGET]
    if not wanted:
        return {}
    for target in wanted:
        values = {
            "token": secrets.token_urlsafe(TOKEN_BYTES),
            "unit": unit,
            "campaign_id": campaign_id,
            "channel": channel,
            "target": target,
            "clicks": 0,
            "created_at": now,
        }
        await sess.execute(insert_ignore(sess, CampaignLink, values))
    rows = await sess.execute(
        select(CampaignLink.target, CampaignLink.token).where(
            CampaignLink.campaign_id == campaign_id,
            CampaignLink.channel == channel,
            CampaignLink.target.in_(wanted),
        )
    )
    return {str(target): str(token) for target, token in rows}


def rewrite(text: str, tokens: dict[str, str], base: str) -> str:
    """The text with each URL that has a token replaced by its short link (whole URLs only,
    the punctuation after one kept)."""

    def one(match: re.Match[str]) -> str:
        whole = match.group(0)
        url = whole.rstrip(_TRAILING)
        token = tokens.get(url)
        return whole if token is None else short_url(base, token) + whole[len(url) :]

    return _URL.sub(one, text)


async def campaign_links(
    sess: AsyncSession,
    unit: str,
    campaign_id: int,
    channel: str,
    text: str,
    buttons: Sequence[Button],
    base: str,
    now: dt.datetime,
) -> tuple[str, tuple[Button, ...]]:
    """The campaign text and buttons as sent on `channel`: the URLs in the text and behind link
    buttons through /r/ (one token per target, so a link in both is counted together)."""
    urls = [u for u in find_urls(text) if trackable(u, base)]
    targets = [b.url for b in buttons if b.kind == "url" and _link_button(b.url, base)]
    if not urls and not targets:
        return text, tuple(buttons)
    tokens = await ensure_links(sess, unit, campaign_id, channel, [*urls, *targets], now)
    tracked = tuple(
        dataclasses.replace(b, url=short_url(base, tokens[b.url]))
        if b.kind == "url" and b.url in tokens
        else b
        for b in buttons
    )
    return rewrite(text, tokens, base), tracked


def _link_button(url: str, base: str) -> bool:
    return bool(_URL.fullmatch(url)) and len(url) <= MAX_TARGET and trackable(url, base)


def visitor_key(secret: bytes, token: str, address: str, agent: str) -> str:
    """A keyed hash that stays the same for one visitor of one link and reveals neither."""
    message = f"{token}\n{address}\n{agent[:300]}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


async def target_of(sess: AsyncSession, token: str) -> CampaignLink | None:
    if not TOKEN_RE.match(token):
        return None
    return (
        await sess.execute(select(CampaignLink).where(CampaignLink.token == token))
    ).scalar_one_or_none()


async def record_click(sess: AsyncSession, link_id: int, visitor: str, now: dt.datetime) -> None:
    await sess.execute(
        update(CampaignLink)
        .where(CampaignLink.id == link_id)
        .values(clicks=CampaignLink.clicks + 1)
        .execution_options(synchronize_session=False)
    )
    values = {"link_id": link_id, "visitor": visitor, "at": now}
    await sess.execute(insert_ignore(sess, LinkClick, values))
