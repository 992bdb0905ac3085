"""What the console tells its users without them looking: notices and the daily digest.

A notice is shown to one account in the console (e.g. a volunteer's campaign draft approved or
returned) until read. A digest run row makes the daily e-mail go out once per local day, even
with several worker processes (the primary key is the day).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, BigId, UTCDateTime, utcnow


class ConsoleNotice(Base):
    __tablename__ = "console_notices"
    __table_args__ = (Index("ix_console_notices_user", "username", "read_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))  # campaign.approved | campaign.returned
    target: Mapped[str] = mapped_column(String(100))  # e.g. campaign:12
    text: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class DigestRun(Base):
    __tablename__ = "digest_runs"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # local date, ISO
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recipients: Mapped[int] = mapped_column(default=0)
