"""Tables of the Zalo adapters: OA tokens (with a refresh lease) and Zalo Bot numbered menus.

Imported at the end of bot/db/models.py so that Alembic sees them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, BigId, JSONType, UTCDateTime, utcnow


class ZaloToken(Base):
    """The OA access/refresh token pair of one unit.

    Zalo's refresh token is single-use: two processes refreshing at once lock the OA out. A
    refresh therefore first claims the lease (`lease_owner`, `lease_until`) with a
    compare-and-swap UPDATE (plus SELECT … FOR UPDATE on PostgreSQL); only the lease holder
    calls Zalo, and the new pair is written with `version + 1` in one statement.
    """

    __tablename__ = "zalo_tokens"

    unit: Mapped[str] = mapped_column(String(64), primary_key=True)
    access_token: Mapped[str] = mapped_column(Text)
    refresh_token: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    failures: Mapped[int] = mapped_column(Integer, default=0)  # refresh failures in a row
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # backoff
    last_error: Mapped[str | None] = mapped_column(Text)


class ZaloBotMenu(Base):
    """The numbered menu last shown to a Zalo Bot chat: item n (1-based) → button payload.

    Written when a reply with buttons is sent, deleted when a reply without buttons is sent:
    a number the citizen types refers to the last message they saw.
    """

    __tablename__ = "zalobot_menus"

    unit: Mapped[str] = mapped_column(String(64), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    payloads: Mapped[list[Any]] = mapped_column(JSONType)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ZaloPromotionSkip(Base):
    """A recipient Zalo refused promotion messages for (-244: they restrict this message type).

    Kept across campaigns, so later promotions skip them without a call; consultation messages
    (inside the free window) still reach them."""

    __tablename__ = "zalo_promotion_skips"

    contact_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(300))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
