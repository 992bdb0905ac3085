"""Photos in the web chat: POST /chat/api/{unit}/upload (multipart: id, after, caption, file).

Accepted only at the PAKN form's photo step (and the content step, as on Telegram), at most
MAX_ATTACHMENTS per PAKN, MAX_BYTES per file, a few per minute per session. Everything is
checked before anything is written: the body is read under the cap, then the bytes are decoded
and re-encoded in a worker thread (bot/media/images.py: JPEG, PNG, WebP or PDF by their
content, no decompression bombs, no EXIF/GPS kept). Only then is the file stored and the upload
handed to the pipeline like any message (its media_files id in the inbox payload).
A refusal is a JSON {"error": <Vietnamese text>} that the page shows; nothing is stored.
"""

from __future__ import annotations

from aiohttp import BodyPartReader, web

from bot.db import media, queries
from bot.db.models_media import MediaFile
from bot.keys import file_store_key, pipeline_key, sessionmaker_key
from bot.media.images import MAX_BYTES, Refused
from bot.media.worker import check_in_thread, store_checked
from bot.web.chat import (
    CLIENT_ID,
    _address,
    _after,
    _history,
    _refuse,
    _sid,
    _too_fast,
    _unit_key,
    chat_limits_key,
)
from bot.web.limits import RateLimiter
from handlers.pakn_steps import MAX_ATTACHMENTS

PHOTO_STEPS = frozenset({"attach", "content"})  # handlers/pakn.py Step values
MAX_CAPTION = 1000
_uploads = web.AppKey("chat_uploads", RateLimiter)


def _max_mb() -> int:
    return MAX_BYTES // 2**20


async def _field(part: BodyPartReader, limit: int) -> str:
    raw = await part.read_chunk(limit + 1)
    if len(raw) > limit:
        raise web.HTTPBadRequest(text=f"{part.name}: too long")
    return raw.decode("utf-8", errors="replace")


async def _file(part: BodyPartReader) -> bytes | None:
    """The file's bytes, or None when larger than MAX_BYTES (read no further)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await part.read_chunk(64 * 1024):
        size += len(chunk)
        if size > MAX_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def upload(request: web.Request) -> web.Response:
    unit = _unit_key(request)
    sid = _sid(request)
    if sid is None:
        raise web.HTTPUnauthorized(text="reload the page to start a chat session")
    limits = request.app[chat_limits_key]
    refused = _too_fast(
        request,
        [
            (limits.per_session, sid),
            (limits.per_address, _address(request)),
            (request.app[_uploads], sid),
        ],
    )
    if refused is not None:
        return refused
    if request.content_length is not None and request.content_length > MAX_BYTES + 64 * 1024:
        return _refuse(request, 413, "media.refused.too_big", max_mb=_max_mb())
    async with request.app[sessionmaker_key]() as sess:
        contact = await queries.get_contact(sess, unit, "web", sid)
        state = await queries.load_state(sess, contact.id) if contact else None
    if contact is None or state is None or state.flow != "pakn" or state.step not in PHOTO_STEPS:
        return _refuse(request, 409, "web.upload_not_now")
    if len(state.data.get("attachments") or []) >= MAX_ATTACHMENTS:
        return _refuse(request, 409, "web.upload_full", max_files=MAX_ATTACHMENTS)
    if not request.content_type.startswith("multipart/"):
        raise web.HTTPBadRequest(text="expected multipart/form-data")
    fields: dict[str, str] = {}
    data: bytes | None = b""
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            raise web.HTTPBadRequest(text="nested multipart")
        if part.name == "file":
            data = await _file(part)
            if data is None:
                return _refuse(request, 413, "media.refused.too_big", max_mb=_max_mb())
        elif part.name in ("id", "after", "caption"):
            fields[part.name] = await _field(part, 4 * MAX_CAPTION)
        else:
            raise web.HTTPBadRequest(text=f"unexpected field {part.name!r}")
    client_id = fields.get("id", "")
    if not CLIENT_ID.match(client_id):
        raise web.HTTPBadRequest(text="id: 8-64 characters A-Z a-z 0-9 _ -")
    after = _after(fields.get("after"))
    if not data:
        raise web.HTTPBadRequest(text="file: missing")
    try:
        checked = await check_in_thread(data)
    except Refused as exc:
        status = 413 if exc.reason == "too_big" else 415
        return _refuse(request, status, f"media.refused.{exc.reason}", max_mb=_max_mb())
    sha, thumb = await store_checked(request.app[file_store_key], checked)
    pipeline = request.app[pipeline_key]
    caption = " ".join(fields.get("caption", "").split())[:MAX_CAPTION]
    now = pipeline.clock()
    async with pipeline.gate.begin() as sess:
        row = MediaFile(
            unit=unit,
            channel="web",
            contact_id=contact.id,
            kind=checked.kind,
            caption=caption or None,
            status="stored",
            attempts=0,
            sha256=sha,
            thumb_sha256=thumb,
            mime=checked.mime,
            size=len(checked.data),
            width=checked.width,
            height=checked.height,
            created_at=now,
            stored_at=now,
        )
        sess.add(row)
        await sess.flush()
        file_id = row.id
    payload = {"sid": sid, "text": caption, "file": file_id, "kind": checked.kind}
    item_id = await pipeline.accept(unit, "web", f"{sid}:{client_id}", payload)
    if item_id is not None:
        await pipeline.process_stored(item_id, unit, "web", payload)
    else:  # the same upload sent twice (a retry): its first copy is the one kept
        async with pipeline.gate.begin() as sess:
            await media.erase(sess, file_id)
    return web.json_response({"messages": await _history(request, unit, sid, after)})


def setup(app: web.Application) -> None:
    app[_uploads] = RateLimiter(10, 60.0)  # photos per session and minute
    app.router.add_post("/chat/api/{unit}/upload", upload)
