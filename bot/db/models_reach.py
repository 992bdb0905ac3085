"""Tables of measured reach (bot/campaigns/reach.py): campaign links behind /r/{token}, their
unique clicks, and the ends of subscriptions (a subscription row is deleted when it ends, so
"who stopped after this campaign" needs its own record)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, BigId, UTCDateTime, utcnow


class CampaignLink(Base):
    """One target URL of a campaign on one channel ("poster" for printed QR codes), behind an
    unguessable token. The token names no person: per-channel counts, never per-recipient."""

    __tablename__ = "campaign_links"
    __table_args__ = (UniqueConstraint("campaign_id", "channel", "target"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    unit: Mapped[str] = mapped_column(String(64))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(2000))
    clicks: Mapped[int] = mapped_column(Integer, default=0)  # every click, repeated ones too
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class LinkClick(Base):
    """One visitor of one link: `visitor` is a keyed hash (address + browser), never the
    address itself, so a repeated click is counted once and nobody can be read back."""

    __tablename__ = "link_clicks"
    __table_args__ = (UniqueConstraint("link_id", "visitor"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("campaign_links.id", ondelete="CASCADE"))
    visitor: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class SubscriptionEnd(Base):
    """A contact stopped a topic (key) or everything (kind "all"), and when."""

    __tablename__ = "subscription_ends"
    __table_args__ = (Index("ix_subscription_ends_contact_at", "contact_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    unit: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))  # "topic" | "area" | "all"
    key: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
