"""Photos and files of a PAKN, for staff who may see the PAKN: /pakn/<id>/files/<file>[/thumb].

Served from the store (bot/media/files.py) with the type we gave them when we re-encoded them
(image/jpeg, or application/pdf as a download), never a type taken from the citizen: with
`nosniff`, a sandboxing CSP and private caching, a file cannot run as a page in the console.
"""

from __future__ import annotations

import asyncio

from aiohttp import web
from sqlalchemy import select

from bot.console.auth import require
from bot.console.views_pakn import load_visible
from bot.db.models_media import MediaFile
from bot.keys import file_store_key, sessionmaker_key

SERVED_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})


@require("staff")
async def serve(request: web.Request) -> web.StreamResponse:
    thumb = request.match_info.get("size") == "thumb"
    async with request.config_dict[sessionmaker_key]() as sess:
        pakn = await load_visible(sess, request)  # 404 unless the user may see the PAKN
        row = (
            await sess.execute(
                select(MediaFile).where(
                    MediaFile.id == int(request.match_info["file_id"]),
                    MediaFile.pakn_id == pakn.id,
                    MediaFile.status == "stored",
                )
            )
        ).scalar_one_or_none()
    sha = (row.thumb_sha256 if thumb else row.sha256) if row is not None else None
    mime = "image/jpeg" if thumb else (row.mime if row is not None else None)
    if row is None or sha is None or mime not in SERVED_TYPES:
        raise web.HTTPNotFound()
    data = await asyncio.to_thread(request.config_dict[file_store_key].read, sha)
    if data is None:
        raise web.HTTPNotFound()
    disposition = "attachment" if mime == "application/pdf" else "inline"
    extension = "pdf" if mime == "application/pdf" else "jpg"
    headers = {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, max-age=3600",
        "Content-Disposition": f'{disposition}; filename="{pakn.code}-{row.id}.{extension}"',
    }
    return web.Response(body=data, content_type=mime, headers=headers)


def add_routes(r: web.UrlDispatcher) -> None:
    base = r"/pakn/{pakn_id:\d{1,18}}/files/{file_id:\d{1,18}}"
    r.add_get(base, serve, name="pakn_file")
    r.add_get(base + "/{size:thumb}", serve, name="pakn_file_thumb")
