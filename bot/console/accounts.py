"""Console accounts: create, find, change password, disable, set role and units.

Functions take an AsyncSession and never commit; the caller owns the transaction. Passwords are
hashed with Argon2id (argon2-cffi), in a worker thread; only the hash is stored.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actors import Actor, Role
from bot.db.models_console import ConsoleUser, ConsoleUserUnit

ROLES: tuple[Role, ...] = ("admin", "staff", "volunteer")
ROLE_LABELS: dict[str, str] = {
    "admin": "Quản trị",
    "staff": "Cán bộ",
    "volunteer": "Tình nguyện viên",
}
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")

_hasher = PasswordHasher()
# Verified when the username does not exist, so both cases take about the same time.
_DUMMY_HASH = _hasher.hash("loaxa-no-such-user")


class AccountError(ValueError):
    """A rule about accounts was broken; the message is Vietnamese, fit to show to staff."""


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    display_name: str
    role: Role
    units: frozenset[str]
    active: bool
    session_epoch: int
    last_login_at: dt.datetime | None = None

    @property
    def actor(self) -> Actor:
        return Actor(self.username, self.role, self.units, self.display_name)

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


def normalize_username(raw: str) -> str:
    return raw.strip().lower()


def check_username(raw: str) -> str:
    username = normalize_username(raw)
    if not USERNAME.match(username):
        raise AccountError(
            "Tên đăng nhập gồm 2–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang "
            "hoặc gạch dưới."
        )
    return username


def check_password(password: str, again: str | None = None) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Mật khẩu cần ít nhất {MIN_PASSWORD} ký tự.")
    if len(password) > MAX_PASSWORD:
        raise AccountError("Mật khẩu quá dài.")
    if again is not None and password != again:
        raise AccountError("Hai lần nhập mật khẩu không giống nhau.")


def check_role_units(role: str, units: Iterable[str], known_units: Iterable[str]) -> list[str]:
    if role not in ROLES:
        raise AccountError("Vai trò không hợp lệ.")
    chosen = sorted(set(units))
    unknown = [u for u in chosen if u not in set(known_units)]
    if unknown:
        raise AccountError(f"Không có đơn vị: {', '.join(unknown)}.")
    if role != "admin" and not chosen:
        raise AccountError("Cán bộ và tình nguyện viên cần ít nhất một đơn vị.")
    return chosen


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


async def count_users(sess: AsyncSession) -> int:
    return int((await sess.execute(select(func.count()).select_from(ConsoleUser))).scalar_one())


async def _units_of(sess: AsyncSession, user_id: int) -> frozenset[str]:
    rows = await sess.execute(
        select(ConsoleUserUnit.unit).where(ConsoleUserUnit.user_id == user_id)
    )
    return frozenset(rows.scalars())


def _account(row: ConsoleUser, units: frozenset[str]) -> Account:
    return Account(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=cast(Role, row.role),
        units=units,
        active=row.active,
        session_epoch=row.session_epoch,
        last_login_at=row.last_login_at,
    )


async def get_row(sess: AsyncSession, username: str) -> ConsoleUser | None:
    query = select(ConsoleUser).where(ConsoleUser.username == normalize_username(username))
    return (await sess.execute(query)).scalar_one_or_none()


async def get_account(sess: AsyncSession, user_id: int) -> Account | None:
    row = await sess.get(ConsoleUser, user_id)
    if row is None:
        return None
    return _account(row, await _units_of(sess, row.id))


async def get_account_by_name(sess: AsyncSession, username: str) -> Account | None:
    row = await get_row(sess, username)
    if row is None:
        return None
    return _account(row, await _units_of(sess, row.id))


async def list_accounts(sess: AsyncSession) -> list[Account]:
    rows = (await sess.execute(select(ConsoleUser).order_by(ConsoleUser.username))).scalars()
    links = (await sess.execute(select(ConsoleUserUnit))).scalars()
    units: dict[int, set[str]] = {}
    for link in links:
        units.setdefault(link.user_id, set()).add(link.unit)
    return [_account(row, frozenset(units.get(row.id, ()))) for row in rows]


async def create_user(
    sess: AsyncSession,
    *,
    username: str,
    password: str,
    role: str,
    units: Iterable[str],
    known_units: Iterable[str],
    now: dt.datetime,
    display_name: str = "",
) -> Account:
    """Create an account (checks name, password, role and units); AccountError if not allowed."""
    name = check_username(username)
    check_password(password)
    chosen = check_role_units(role, units, known_units)
    if await get_row(sess, name) is not None:
        raise AccountError("Tên đăng nhập này đã có.")
    row = ConsoleUser(
        username=name,
        display_name=display_name.strip()[:200],
        role=role,
        password_hash=await asyncio.to_thread(hash_password, password),
        active=True,
        session_epoch=0,
        created_at=now,
        updated_at=now,
    )
    sess.add(row)
    await sess.flush()
    for unit in chosen:
        sess.add(ConsoleUserUnit(user_id=row.id, unit=unit))
    await sess.flush()
    return _account(row, frozenset(chosen))


async def set_password(sess: AsyncSession, user_id: int, password: str, now: dt.datetime) -> int:
    """New password; every other session of the account ends. Returns the new session epoch."""
    check_password(password)
    row = await sess.get(ConsoleUser, user_id)
    if row is None:
        raise AccountError("Không có tài khoản này.")
    row.password_hash = await asyncio.to_thread(hash_password, password)  # CPU, off the loop
    row.session_epoch += 1
    row.updated_at = now
    await sess.flush()
    return row.session_epoch


async def set_active(sess: AsyncSession, user_id: int, active: bool, now: dt.datetime) -> None:
    row = await sess.get(ConsoleUser, user_id)
    if row is None:
        raise AccountError("Không có tài khoản này.")
    row.active = active
    row.session_epoch += 1  # a disabled account is signed out everywhere at once
    row.updated_at = now
    await sess.flush()


async def end_sessions(sess: AsyncSession, user_id: int, now: dt.datetime) -> None:
    """Sign the account out everywhere: every session cookie issued so far stops working."""
    row = await sess.get(ConsoleUser, user_id)
    if row is None:
        return
    row.session_epoch += 1
    row.updated_at = now
    await sess.flush()


async def set_role_units(
    sess: AsyncSession,
    user_id: int,
    *,
    role: str,
    units: Iterable[str],
    known_units: Iterable[str],
    now: dt.datetime,
) -> None:
    chosen = check_role_units(role, units, known_units)
    row = await sess.get(ConsoleUser, user_id)
    if row is None:
        raise AccountError("Không có tài khoản này.")
    row.role = role
    row.updated_at = now
    await sess.execute(delete(ConsoleUserUnit).where(ConsoleUserUnit.user_id == user_id))
    for unit in chosen:
        sess.add(ConsoleUserUnit(user_id=user_id, unit=unit))
    await sess.flush()


async def mark_signed_in(
    sess: AsyncSession, row: ConsoleUser, password: str, now: dt.datetime
) -> None:
    row.last_login_at = now
    if needs_rehash(row.password_hash):
        row.password_hash = await asyncio.to_thread(hash_password, password)
    await sess.flush()


def may_manage(admin: Actor, target_units: frozenset[str]) -> bool:
    """A global admin manages everyone; a unit admin only accounts wholly inside its units."""
    if admin.role not in ("admin", "system"):
        return False
    if not admin.units:
        return True
    return bool(target_units) and target_units <= admin.units
