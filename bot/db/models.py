"""SQLAlchemy 2 models. Every row belongs to a unit (the key of content/units/<key>.yaml).

Schema changes go through Alembic (bot/db/migrations); never create tables any other way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, BigId, JSONType, UTCDateTime, utcnow


class Contact(Base):
    """A citizen (or staff member) as seen by one channel of one unit."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("unit", "channel", "external_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit: Mapped[str] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(16))
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)  # the user blocked the bot
    blocked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Staff are chatting with them in the channel's own app (Zalo OA): no auto-replies until then.
    paused_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ConversationState(Base):
    """Where a contact is in a conversation; survives restarts."""

    __tablename__ = "conversation_states"

    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True
    )
    flow: Mapped[str | None] = mapped_column(String(32))
    step: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class InboxItem(Base):
    """A raw inbound update, stored before the webhook answers 200; processed once."""

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("unit", "channel", "external_id"),
        Index("ix_inbox_pending", "processed_at", "id"),
        Index("ix_inbox_contact", "contact_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(128))  # update_id, event id …
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    processed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    # The sender (contacts.id), set when the update is processed, so that a privacy deletion
    # finds the raw copies of their messages. No foreign key: contacts are never deleted, and
    # adding one would rebuild this busy table on SQLite.
    contact_id: Mapped[int | None] = mapped_column(BigId)
    # What the web process understood of the typed questions (bot/core/ahead.py), for the
    # worker; emptied when the update is processed. It holds the normalised text.
    understood: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


class Message(Base):
    """The log of every message in and out; outbound rows are also the delivery queue."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_contact", "contact_id", "id"),
        Index("ix_messages_pending", "direction", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(3))  # "in" | "out"
    kind: Mapped[str] = mapped_column(String(16), default="text")
    text: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[str | None] = mapped_column(String(256))  # button payload pressed
    body: Mapped[dict[str, Any] | None] = mapped_column(JSONType)  # serialised Reply
    # out: pending -> sent | failed | blocked; in: received
    status: Mapped[str] = mapped_column(String(16), default="received")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class CallbackToken(Base):
    """Long button payloads stored server-side; the button carries only the short token."""

    __tablename__ = "callback_tokens"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class FaqQuery(Base):
    """One FAQ lookup: the learning loop shows staff what the bot could not answer."""

    __tablename__ = "faq_queries"
    __table_args__ = (
        Index("ix_faq_queries_unit_decision", "unit", "decision", "created_at"),
        Index("ix_faq_queries_handed", "unit", "staff_done_at", "handed_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit: Mapped[str] = mapped_column(String(64))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    normalized: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16))
    entry_id: Mapped[str | None] = mapped_column(String(100))
    topic: Mapped[str | None] = mapped_column(String(100))
    confidence: Mapped[float] = mapped_column(default=0.0)
    candidates: Mapped[list[Any] | None] = mapped_column(JSONType)
    chosen_entry: Mapped[str | None] = mapped_column(String(100))  # picked from clarify
    feedback: Mapped[int | None] = mapped_column(Integer)  # +1 / -1
    handed_to_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    staff_answer: Mapped[str | None] = mapped_column(Text)
    staff_answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The staff inbox (bot/pakn/questions.py): when it was handed over, by when staff should
    # answer (working days), when it left the inbox, who answered and where (console / group).
    handed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    staff_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    staff_done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    staff_answered_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


# Tables of other modules, imported here so that Alembic sees them (each adds one name).
from bot.db import (  # noqa: E402
    models_campaigns,  # noqa: F401
    models_console,  # noqa: F401
    models_faq_edits,  # noqa: F401
    models_media,  # noqa: F401
    models_notes,  # noqa: F401
    models_notices,  # noqa: F401
    models_pakn,  # noqa: F401
    models_places,  # noqa: F401
    models_reach,  # noqa: F401
    models_staff,  # noqa: F401
    models_zalo,  # noqa: F401
)
