"""The daily e-mail digest: what waits for each console account that has an e-mail address.

Once per local day, at DIGEST_HOUR or later, one worker process claims the day (a `digest_runs`
row, primary key = the date, so two processes never both send) and mails each active account
with an address its counts (bot/console/waiting.py) and a link to the console. Only counts and
links: no citizen's name or words ever leave in an e-mail. Nothing is sent on a day when
nothing waits for that account.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import mailer
from bot.console import accounts, waiting
from bot.console.accounts import Account
from bot.core.services import Services
from bot.db.models_notices import DigestRun

log = logging.getLogger(__name__)
CHECK_SECONDS = 300
LINES = (
    ("pakn_new", "Phản ánh mới chưa tiếp nhận"),
    ("pakn_due_soon", "Phản ánh sắp đến hạn"),
    ("pakn_overdue", "Phản ánh quá hạn"),
    ("questions", "Câu hỏi người dân nhờ cán bộ trả lời"),
    ("questions_overdue", "  trong đó quá hạn"),
    ("campaigns_review", "Chiến dịch chờ duyệt"),
    ("notices", "Thông báo chưa xem"),
)


def compose(counts: waiting.Waiting, console_url: str, day: dt.date) -> tuple[str, str] | None:
    """(subject, body) of one account's digest, or None when nothing waits."""
    if counts.total == 0:
        return None
    data = counts.as_dict()
    lines = [f"- {label}: {data[key]}" for key, label in LINES if data[key]]
    subject = f"Loa Xã: {counts.total} việc đang chờ ({day:%d/%m/%Y})"
    body = "\n".join(
        [
            "Xin chào,",
            "",
            f"Việc đang chờ trên bảng điều khiển Loa Xã ngày {day:%d/%m/%Y}:",
            *lines,
            "",
            f"Mở bảng điều khiển: {console_url}",
            "",
            "Thư tự động của Loa Xã. Muốn thôi nhận, xóa địa chỉ e-mail ở trang Tài khoản.",
        ]
    )
    return subject, body


async def _claim(
    sessionmaker: async_sessionmaker[AsyncSession], day: str, now: dt.datetime
) -> bool:
    try:
        async with sessionmaker.begin() as sess:
            sess.add(DigestRun(day=day, sent_at=now, recipients=0))
    except IntegrityError:
        return False  # another process (or an earlier run today) took it
    return True


async def run_once(
    sessionmaker: async_sessionmaker[AsyncSession],
    services: Services,
    console_url: str,
    now: dt.datetime,
) -> int | None:
    """Send today's digest if it is time and not done yet; None if not sent, else how many."""
    settings = services.settings
    if not mailer.configured(settings):
        return None
    local = now.astimezone(ZoneInfo(settings.timezone))
    if local.hour < settings.digest_hour:
        return None
    day = local.date()
    if not await _claim(sessionmaker, day.isoformat(), now):
        return None
    async with sessionmaker() as sess:
        emails = await _addresses(sess)
        mails: list[tuple[str, str, str]] = []
        for account, email in emails:
            units = [key for key in sorted(services.units) if account.actor.can_see(key)]
            counts = await waiting.count(
                sess, services, account.role, account.username, units, now
            )
            composed = compose(counts, console_url, day)
            if composed is not None:
                mails.append((email, *composed))
    sent = 0
    for email, subject, body in mails:
        sent += await mailer.send(settings, [email], subject, body)
    async with sessionmaker.begin() as sess:
        run = await sess.get(DigestRun, day.isoformat())
        if run is not None:
            run.recipients = sent
    log.info("digest: sent to %d account(s)", sent)
    return sent


async def _addresses(sess: AsyncSession) -> list[tuple[Account, str]]:
    out = []
    for account in await accounts.list_accounts(sess):
        if not account.active:
            continue
        row = await accounts.get_row(sess, account.username)
        if row is not None and row.email:
            out.append((account, row.email))
    return out


async def digest_worker(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: every few minutes, see whether today's digest is due."""
    from bot.console import base_url
    from bot.keys import services_key, sessionmaker_key, settings_key

    settings = app[settings_key]
    if not settings.run_workers or not mailer.configured(settings):
        yield
        return

    async def loop() -> None:
        services = app[services_key]
        url = f"{base_url(settings)}/console/"
        while True:
            try:
                await run_once(app[sessionmaker_key], services, url, services.clock())
            except Exception:
                log.exception("digest failed")
            await asyncio.sleep(CHECK_SECONDS)

    task = asyncio.create_task(loop(), name="console-digest")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
