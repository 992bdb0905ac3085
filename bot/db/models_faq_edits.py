"""Staff edits of FAQ entries (console), layered over the content files by bot.faq_edits."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, BigId, JSONType, UTCDateTime, utcnow


class FaqEdit(Base):
    """One version of one FAQ entry written in the console; the highest version wins.

    `unit` is None for an edit that applies to every unit, else a per-unit override. `data` is
    the whole entry in the content file format (``checked`` as an ISO date).
    """

    __tablename__ = "faq_edits"
    __table_args__ = (Index("ix_faq_edits_entry", "entry_id", "unit", "version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSONType)
    author: Mapped[str] = mapped_column(String(128))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
