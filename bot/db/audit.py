"""The audit log: who did what, when, in which unit. Any feature calls `record`.

    await audit.record(sess, actor, "pakn.reply", target=f"pakn:{pakn.id}", unit=pakn.unit,
                       detail={"status": "answered"})

`actor` is an Actor (console user, staff-group member, system) or a plain name ("cli").
Never put message text, names or phone numbers of citizens into `detail`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actors import Actor
from bot.db.models_console import AuditEntry

PAGE_SIZE = 50

# Vietnamese labels for the audit page; features add theirs here (unknown actions show raw).
ACTION_LABELS: dict[str, str] = {
    "auth.login": "Đăng nhập",
    "auth.login_failed": "Đăng nhập sai",
    "auth.logout": "Đăng xuất",
    "auth.password_check_failed": "Nhập sai mật khẩu hiện tại",
    "auth.setup": "Tạo quản trị viên đầu tiên",
    "user.create": "Tạo tài khoản",
    "user.disable": "Khoá tài khoản",
    "user.enable": "Mở khoá tài khoản",
    "user.password_reset": "Đặt lại mật khẩu",
    "user.password_change": "Đổi mật khẩu",
    "user.update": "Sửa vai trò/đơn vị",
    "privacy.erase": "Người dân xóa dữ liệu của mình",
}


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def record(
    sess: AsyncSession,
    actor: Actor | str,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
    unit: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Add one entry in the caller's transaction (it is kept only if the caller commits)."""
    name, role = (actor.name, actor.role) if isinstance(actor, Actor) else (actor, "")
    sess.add(
        AuditEntry(
            created_at=now or _utcnow(),
            actor=name[:100],
            actor_role=role,
            action=action[:64],
            unit=unit,
            target=target[:200],
            detail=detail or None,
        )
    )
    await sess.flush()


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    unit: str = ""
    since: dt.datetime | None = None  # inclusive, UTC
    until: dt.datetime | None = None  # exclusive, UTC


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _scoped(query: Select[Any], viewer: Actor, filt: AuditFilter) -> Select[Any]:
    if not (viewer.role in ("admin", "system") and not viewer.units):
        # Unit-scoped viewers see entries of their units and their own sign-ins.
        query = query.where(
            or_(AuditEntry.unit.in_(sorted(viewer.units)), AuditEntry.actor == viewer.name)
        )
    if filt.action:
        query = query.where(AuditEntry.action == filt.action)
    if filt.unit:
        query = query.where(AuditEntry.unit == filt.unit)
    if filt.since is not None:
        query = query.where(AuditEntry.created_at >= filt.since)
    if filt.until is not None:
        query = query.where(AuditEntry.created_at < filt.until)
    return query


async def search(sess: AsyncSession, viewer: Actor, filt: AuditFilter, page: int = 1) -> AuditPage:
    """One page of entries the viewer may see, newest first."""
    page = max(1, page)
    total = int(
        (
            await sess.execute(_scoped(select(func.count()).select_from(AuditEntry), viewer, filt))
        ).scalar_one()
    )
    query = (
        _scoped(select(AuditEntry), viewer, filt)
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    return AuditPage(list((await sess.execute(query)).scalars()), page, total)


async def actions(sess: AsyncSession) -> list[str]:
    rows = await sess.execute(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    return list(rows.scalars())
