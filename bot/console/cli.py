"""`loaxa user …`: manage console accounts from the command line (e.g. the first admin)."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import getpass
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.console import accounts, audit
from bot.console.accounts import AccountError
from bot.settings import Settings

ACTOR = "cli"


def _out(text: str, err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(text + "\n")


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Mật khẩu (ít nhất 10 ký tự): ")
    again = getpass.getpass("Nhập lại mật khẩu: ")
    accounts.check_password(first, again)
    return first


def _run(work: Callable[[AsyncSession, Settings, dt.datetime], Awaitable[int]]) -> int:
    from bot.db.engine import make_engine, make_sessionmaker, migrate

    settings = Settings.from_env()

    async def go() -> int:
        engine = make_engine(settings.resolved_database_url)
        try:
            await migrate(engine)
            async with make_sessionmaker(engine).begin() as sess:
                return await work(sess, settings, dt.datetime.now(dt.UTC))
        finally:
            await engine.dispose()

    try:
        return asyncio.run(go())
    except AccountError as exc:
        _out(f"Lỗi: {exc}", err=True)
        return 1


def cmd_add(args: argparse.Namespace) -> int:
    from bot.content.units import load_units

    try:
        password = _read_password(args)
    except AccountError as exc:
        _out(f"Lỗi: {exc}", err=True)
        return 1

    async def work(sess: AsyncSession, settings: Settings, now: dt.datetime) -> int:
        known = load_units(settings.content_dir / "units")
        account = await accounts.create_user(
            sess,
            username=args.username,
            password=password,
            role=args.role,
            units=args.unit or (),
            known_units=known,
            now=now,
            display_name=args.name or "",
        )
        await audit.record(
            sess,
            ACTOR,
            "user.create",
            target=account.username,
            detail={"role": account.role, "units": sorted(account.units)},
            now=now,
        )
        units = ", ".join(sorted(account.units)) or "tất cả đơn vị"
        _out(f"Đã tạo tài khoản {account.username} ({account.role_label}; {units}).")
        return 0

    return _run(work)


def _by_name(
    fn: Callable[[AsyncSession, Any, dt.datetime], Awaitable[str]],
) -> Callable[[argparse.Namespace], int]:
    def command(args: argparse.Namespace) -> int:
        async def work(sess: AsyncSession, _settings: Settings, now: dt.datetime) -> int:
            row = await accounts.get_row(sess, args.username)
            if row is None:
                raise AccountError(f"Không có tài khoản {args.username}.")
            _out(await fn(sess, (row, args), now))
            return 0

        return _run(work)

    return command


async def _passwd(sess: AsyncSession, ctx: Any, now: dt.datetime) -> str:
    row, args = ctx
    await accounts.set_password(sess, row.id, _read_password(args), now)
    await audit.record(sess, ACTOR, "user.password_reset", target=row.username, now=now)
    return f"Đã đổi mật khẩu của {row.username}; các phiên đăng nhập cũ đã kết thúc."


async def _disable(sess: AsyncSession, ctx: Any, now: dt.datetime) -> str:
    row, _ = ctx
    await accounts.set_active(sess, row.id, False, now)
    await audit.record(sess, ACTOR, "user.disable", target=row.username, now=now)
    return f"Đã khoá tài khoản {row.username}."


async def _enable(sess: AsyncSession, ctx: Any, now: dt.datetime) -> str:
    row, _ = ctx
    await accounts.set_active(sess, row.id, True, now)
    await audit.record(sess, ACTOR, "user.enable", target=row.username, now=now)
    return f"Đã mở khoá tài khoản {row.username}."


def cmd_list(args: argparse.Namespace) -> int:
    async def work(sess: AsyncSession, _settings: Settings, _now: dt.datetime) -> int:
        rows = await accounts.list_accounts(sess)
        if not rows:
            _out("Chưa có tài khoản nào.")
        for a in rows:
            state = "đang dùng" if a.active else "đã khoá"
            units = ",".join(sorted(a.units)) or "*"
            _out(f"{a.username}\t{a.role}\t{units}\t{state}\t{a.display_name}")
        return 0

    return _run(work)


def add_commands(sub: Any) -> None:
    """Add `loaxa user …` to the main parser's subcommands."""
    user = sub.add_parser("user", help="console accounts (add, passwd, disable, enable, list)")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="create an account")
    add.add_argument("username")
    add.add_argument("--role", choices=accounts.ROLES, required=True)
    add.add_argument("--unit", action="append", help="unit key (repeat); none for admin = all")
    add.add_argument("--name", help="display name")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.set_defaults(func=cmd_add)
    passwd = user_sub.add_parser("passwd", help="set a new password (ends its sessions)")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true")
    passwd.set_defaults(func=_by_name(_passwd))
    for name, fn, text in (
        ("disable", _disable, "lock an account"),
        ("enable", _enable, "unlock an account"),
    ):
        p = user_sub.add_parser(name, help=text)
        p.add_argument("username")
        p.set_defaults(func=_by_name(fn))
    user_sub.add_parser("list", help="list accounts").set_defaults(func=cmd_list)
