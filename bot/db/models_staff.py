"""Staff group posts: which bot message in a staff group is about which PAKN, and why.

A staff member answers a PAKN by replying to the bot's post in the group; the reply carries the
Telegram message id of that post, which maps back here through messages.external_id.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, BigId, UTCDateTime, utcnow


class StaffPost(Base):
    __tablename__ = "staff_posts"
    __table_args__ = (Index("ix_staff_posts_pakn", "pakn_id"),)

    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), primary_key=True
    )
    pakn_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("pakn.id", ondelete="CASCADE"))
    # A citizen's question handed to staff from the FAQ ("Nhờ cán bộ trả lời").
    faq_query_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("faq_queries.id", ondelete="CASCADE")
    )
    # card: the new-PAKN post (a reply to it is the answer); forward / reject / answer: a prompt
    # whose reply gives the competent body, the reason, or the answer; alert: a reminder;
    # question: a handed-off FAQ question (a reply to it answers the citizen); note: "answered
    # in the console" about such a question (it quotes it, so a privacy deletion redacts it too).
    action: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
