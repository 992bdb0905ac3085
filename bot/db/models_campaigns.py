"""Tables of campaigns (bot/campaigns): subscriptions, campaigns, their audit trail, the durable
outbox of broadcast messages, and the dashboard's KPI targets taken from communication plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, BigId, JSONType, UTCDateTime, utcnow


class Subscription(Base):
    """One opt-in of a contact: a topic (kind "topic") or an area of the unit (kind "area")."""

    __tablename__ = "subscriptions"
    __table_args__ = (
        UniqueConstraint("contact_id", "kind", "key"),
        Index("ix_subscriptions_unit_kind_key", "unit", "kind", "key"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    unit: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))  # "topic" | "area"
    key: Mapped[str] = mapped_column(String(200))  # topic key, or the area name as in the unit
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Campaign(Base):
    """A broadcast: a jinja2 template sent to the subscribers of its topics (and areas)."""

    __tablename__ = "campaigns"
    __table_args__ = (
        Index("ix_campaigns_unit_status", "unit", "status"),
        UniqueConstraint("unit", "source_ref"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    template: Mapped[str] = mapped_column(Text)
    topics: Mapped[list[str]] = mapped_column(JSONType, default=list)
    areas: Mapped[list[str]] = mapped_column(JSONType, default=list)
    channels: Mapped[list[str]] = mapped_column(JSONType, default=list)  # empty: every channel
    # draft | review | scheduled | sending | paused | sent | cancelled
    status: Mapped[str] = mapped_column(String(16), default="draft")
    author: Mapped[str] = mapped_column(String(128))
    # Who last wrote the text (title or template); the author until someone else changes it.
    # Neither the author nor this account may approve (four eyes). None in rows from before.
    text_by: Mapped[str | None] = mapped_column(String(128))
    approved_by: Mapped[str | None] = mapped_column(String(128))
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    planned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # suggested (plans)
    scheduled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    rendered: Mapped[str | None] = mapped_column(Text)  # the text frozen when sending starts
    source_ref: Mapped[str | None] = mapped_column(String(200))  # plan item it came from
    legal_refs: Mapped[list[str]] = mapped_column(JSONType, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CampaignEvent(Base):
    """The audit trail: every transition (and edit) of a campaign, by whom, when, why."""

    __tablename__ = "campaign_events"
    __table_args__ = (Index("ix_campaign_events_campaign", "campaign_id", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    actor: Mapped[str] = mapped_column(String(128))
    role: Mapped[str] = mapped_column(String(16))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")


class CampaignOutbox(Base):
    """One row per campaign x recipient: the durable delivery queue of a broadcast.

    status: pending -> inflight (committed just before the API call) -> sent | failed |
    blocked | dropped (channel refused: e.g. Zalo window) | cancelled.
    """

    __tablename__ = "campaign_outbox"
    __table_args__ = (
        UniqueConstraint("campaign_id", "contact_id"),
        Index("ix_campaign_outbox_due", "unit", "channel", "status", "next_attempt_at"),
        Index("ix_campaign_outbox_campaign_status", "campaign_id", "status"),
        Index("ix_campaign_outbox_channel_external", "channel", "external_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    unit: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    part: Mapped[int] = mapped_column(Integer, default=0)  # next part of the text to send
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    inflight_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resent: Mapped[int] = mapped_column(Integer, default=0)  # parts re-sent after a crash
    external_id: Mapped[str | None] = mapped_column(String(128))  # message id of the last part
    error: Mapped[str | None] = mapped_column(Text)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # Zalo: first seen event


class KpiTarget(Base):
    """A numeric target of a unit's communication plan, read by the dashboard."""

    __tablename__ = "kpi_targets"
    __table_args__ = (UniqueConstraint("unit", "year", "indicator"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[str] = mapped_column(String(500))
    target_percent: Mapped[float | None] = mapped_column(Float)
    comparator: Mapped[str] = mapped_column(String(16), default="min")
    source_plan: Mapped[str] = mapped_column(String(500))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
