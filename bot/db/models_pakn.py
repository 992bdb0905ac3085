"""PAKN (phản ánh, kiến nghị) tables: the record, its audit trail, status look-ups.

A PAKN outlives its sender's chat: `contact_id` becomes NULL when the contact is deleted, and
`anonymise` removes name, phone and address while the content stays for the public record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, BigId, JSONType, UTCDateTime, utcnow


class Pakn(Base):
    """One phản ánh, kiến nghị; `state` follows bot.pakn.service.TRANSITIONS."""

    __tablename__ = "pakn"
    __table_args__ = (
        UniqueConstraint("unit", "code", name="uq_pakn_unit_code"),
        UniqueConstraint("idempotency_key", name="uq_pakn_idempotency_key"),
        Index("ix_pakn_unit_state_due", "unit", "state", "due_at"),
        Index("ix_pakn_unit_received", "unit", "received_at"),
        Index("ix_pakn_contact", "contact_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit: Mapped[str] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(16))  # PA-XXX-XXX-XXX (bot.pakn.codes)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(16))  # web | telegram | zalo | console | phone
    category: Mapped[str] = mapped_column(String(32))  # key of bot.pakn.deadlines.CATEGORIES
    content: Mapped[str] = mapped_column(Text)
    area: Mapped[str | None] = mapped_column(String(200))
    # Where the problem is, when the citizen shared a location (Telegram, Zalo, the browser):
    # WGS84 degrees, and the accuracy radius in metres when the device gave one.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    location_accuracy: Mapped[float | None] = mapped_column(Float)
    attachments: Mapped[list[Any]] = mapped_column(JSONType, default=list)  # channel file ids
    sender_name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164 "+84912345678"
    address: Mapped[str | None] = mapped_column(String(500))
    consent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(16), default="new")
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    receive_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    forward_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # the answer is due
    assignee: Mapped[str | None] = mapped_column(String(128))
    forwarded_to: Mapped[str | None] = mapped_column(String(300))
    reject_reason: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    rating: Mapped[int | None] = mapped_column(Integer)  # 1..5
    rating_comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # "<stage>:<due state>" last reported to staff by the due scan, to alert once per change.
    alerted: Mapped[str | None] = mapped_column(String(32))
    idempotency_key: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class PaknEvent(Base):
    """Audit trail: every state change (and rating, anonymisation) with who and when."""

    __tablename__ = "pakn_events"
    __table_args__ = (Index("ix_pakn_events_pakn", "pakn_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    pakn_id: Mapped[int] = mapped_column(ForeignKey("pakn.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(128))  # "citizen:<contact>", "tg:<id>", "system"
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)


class PaknLookup(Base):
    """A status look-up attempt, kept to rate-limit guessing (failed tries per hour): per
    contact, and per code whoever tries it (a new chat session must not mean new guesses)."""

    __tablename__ = "pakn_lookups"
    __table_args__ = (
        Index("ix_pakn_lookups_contact", "contact_id", "at"),
        Index("ix_pakn_lookups_code", "code", "at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ok: Mapped[bool] = mapped_column(Boolean, default=False)
    code: Mapped[str | None] = mapped_column(String(16))  # the code tried, when well-formed
