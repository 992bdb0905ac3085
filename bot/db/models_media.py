"""Photos and files citizens send: one row per file, its bytes on disk (bot/media/files.py).

A row is made when the message arrives (`pending`: the channel's reference to fetch) or, for
an upload from the web chat, once the bytes passed the checks (`stored`). The download worker
(bot/media/worker.py) turns `pending` into `stored`, `refused` (not an image we accept) or
`failed` (expired link, too many tries). `erased` rows are a privacy deletion waiting for the
worker to remove the file. Stored bytes are re-encoded (no EXIF/GPS) and named by their
SHA-256, so two processes writing the same file write the same name.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, BigId, UTCDateTime, utcnow


class MediaFile(Base):
    __tablename__ = "media_files"
    __table_args__ = (
        Index("ix_media_files_due", "status", "next_attempt_at"),
        Index("ix_media_files_pakn", "pakn_id"),
        Index("ix_media_files_contact", "contact_id"),
        Index("ix_media_files_sha", "sha256"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    contact_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("contacts.id", ondelete="SET NULL")
    )
    pakn_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("pakn.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))  # photo | document
    # What to fetch: a Telegram file_id or a Zalo URL (which expires); emptied once fetched.
    source_ref: Mapped[str | None] = mapped_column(Text)
    declared_size: Mapped[int | None] = mapped_column(Integer)  # bytes, as the channel said
    caption: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(String(200))  # why refused/failed; no content
    sha256: Mapped[str | None] = mapped_column(String(64))
    thumb_sha256: Mapped[str | None] = mapped_column(String(64))
    mime: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    # Sent to the unit's staff group (with its PAKN): once.
    staff_posted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    stored_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
