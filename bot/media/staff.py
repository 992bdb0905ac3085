"""The citizen's photos and files, posted to the unit's staff group with their captions.

Called when a PAKN is created (the files already downloaded) and by the media worker when a
file of a PAKN is stored later. Each file goes once (media_files.staff_posted_at); the post is
an ordinary queued reply, so a crash loses none.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from bot.core.messages import Reply
from bot.db import media
from bot.pakn import staff_group

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.core.services import Services
    from bot.db.models_pakn import Pakn

CAPTION_LIMIT = 1024  # Telegram's limit for a photo caption


async def post_files(sess: AsyncSession, services: Services, pakn: Pakn, now: dt.datetime) -> int:
    """Queue the PAKN's stored, not yet posted files to the staff group; how many."""
    if not services.staff_chats.get(pakn.unit):
        return 0
    rows = await media.unposted(sess, pakn.id)
    if not rows:
        return 0
    items = []
    for i, row in enumerate(rows, start=1):
        label = f"{pakn.code} · {i}/{len(rows)}"
        caption = f"{label}\n{row.caption}" if row.caption else label
        assert row.sha256 is not None and row.mime is not None
        items.append({"sha256": row.sha256, "mime": row.mime, "caption": caption[:CAPTION_LIMIT]})
        row.staff_posted_at = now
    text = services.messages.render(
        "staff.files", unit=services.units[pakn.unit], code=pakn.code, count=len(rows)
    )
    await staff_group.queue_post(
        sess, services, pakn.unit, Reply(text, media=tuple(items)), pakn.id, "photos", now
    )
    return len(rows)
