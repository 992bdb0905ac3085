"""Staff console tables: accounts, their units, sign-in attempts, setup links, the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, BigId, JSONType, UTCDateTime, utcnow


class ConsoleUser(Base):
    """A console account. Role: admin, staff or volunteer (bot.core.actors.Role)."""

    __tablename__ = "console_users"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)  # stored lower-case
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped when the password changes or the account is disabled: older sessions stop working.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # For the daily digest and the volunteer's "draft approved / returned" e-mail; optional.
    email: Mapped[str | None] = mapped_column(String(254))


class ConsoleUserUnit(Base):
    """The units an account may see. An admin with no rows sees every unit."""

    __tablename__ = "console_user_units"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("console_users.id", ondelete="CASCADE"), primary_key=True
    )
    unit: Mapped[str] = mapped_column(String(64), primary_key=True)


class LoginAttempt(Base):
    """One sign-in try, for slowing down guessers (bot.console.throttle)."""

    __tablename__ = "console_login_attempts"
    __table_args__ = (
        Index("ix_console_login_attempts_username", "username", "created_at"),
        Index("ix_console_login_attempts_ip", "ip", "created_at"),
        Index("ix_console_login_attempts_place", "username", "place", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str] = mapped_column(String(64))
    # Where the try came from, for this username: "d:<device>" (a browser that signed in as
    # it before) or "a:<address>". Null for tries stored before migration 0012.
    place: Mapped[str | None] = mapped_column(String(80))
    outcome: Mapped[str] = mapped_column(String(8))  # ok | bad | off
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class KnownPlace(Base):
    """A browser ("d:<sha256 of its device cookie>") or an address ("a:<ip>") from which an
    account signed in successfully: its owner is not slowed down by strangers' guesses."""

    __tablename__ = "console_known_places"
    __table_args__ = (Index("ix_console_known_places_user", "username", "place"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    place: Mapped[str] = mapped_column(String(80))
    last_ok_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class SetupToken(Base):
    """A one-time link that creates the first admin; only the SHA-256 of the token is kept."""

    __tablename__ = "console_setup_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    """Who did what, when, in which unit. Written by every feature through bot.db.audit."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_created", "created_at"),
        Index("ix_audit_log_unit", "unit", "created_at"),
        Index("ix_audit_log_action", "action", "created_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    actor_role: Mapped[str] = mapped_column(String(16), default="")
    action: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str | None] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
