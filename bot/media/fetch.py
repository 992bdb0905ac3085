"""Downloading a file a citizen sent: Telegram (getFile, then the file URL) or a URL in the
event (Zalo, which expires). Capped while reading: a file larger than MAX_BYTES stops the
download, whatever the server claimed. URLs carry the bot token (Telegram): never logged."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp

from bot.media.images import MAX_BYTES, Refused

if TYPE_CHECKING:
    from telegram import Bot

_CHUNK = 64 * 1024


class Gone(Exception):
    """The file cannot be had any more (an expired Zalo link, an unknown file id)."""


class Retry(Exception):
    """A network error or a server error: try again later."""


async def download(session: aiohttp.ClientSession, url: str, max_bytes: int = MAX_BYTES) -> bytes:
    try:
        async with session.get(url, allow_redirects=True) as resp:
            if resp.status in (400, 401, 403, 404, 410):
                raise Gone(f"HTTP {resp.status}")
            if resp.status != 200:
                raise Retry(f"HTTP {resp.status}")
            if resp.content_length is not None and resp.content_length > max_bytes:
                raise Refused("too_big")
            chunks: list[bytes] = []
            size = 0
            async for chunk in resp.content.iter_chunked(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise Refused("too_big")
                chunks.append(chunk)
            return b"".join(chunks)
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise Retry(type(exc).__name__) from None


async def telegram_file(
    bot: Bot, session: aiohttp.ClientSession, file_id: str, max_bytes: int = MAX_BYTES
) -> bytes:
    from telegram.error import BadRequest, NetworkError, TimedOut

    try:
        info = await bot.get_file(file_id)
    except BadRequest as exc:  # "file is too big" (over 20 MB), wrong file id
        if "too big" in exc.message.lower():
            raise Refused("too_big") from None
        raise Gone("getFile: bad request") from None
    except (TimedOut, NetworkError) as exc:
        raise Retry(type(exc).__name__) from None
    if info.file_size is not None and info.file_size > max_bytes:
        raise Refused("too_big")
    if not info.file_path:
        raise Gone("getFile: no file_path")
    return await download(session, info.file_path, max_bytes)
