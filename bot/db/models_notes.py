"""Internal notes on a PAKN: written by staff in the console, never shown to the citizen."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, BigId, UTCDateTime, utcnow


class PaknNote(Base):
    __tablename__ = "pakn_notes"
    __table_args__ = (Index("ix_pakn_notes_pakn", "pakn_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    pakn_id: Mapped[int] = mapped_column(BigId, ForeignKey("pakn.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    author: Mapped[str] = mapped_column(String(128))  # console username
    text: Mapped[str] = mapped_column(Text)
