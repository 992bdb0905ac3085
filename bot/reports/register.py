"""The PAKN register (sổ theo dõi phản ánh, kiến nghị) of a unit for a period.

One row per PAKN received in the period, oldest first: code, received date, sender's name,
category, a content summary, area, state, answer deadline, answer date, on time?, the body it
was forwarded to, and the citizen's rating. No phone numbers or addresses.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.units import Unit
from bot.db.models_pakn import Pakn
from bot.pakn.deadlines import CATEGORY_LABELS
from bot.pakn.policy import PolicyBook
from bot.reports.formats import Column, Report
from bot.reports.pakn_query import OPEN, STATE_LABELS
from bot.reports.periods import Period

SUMMARY_CHARS = 200
TITLE = "SỔ THEO DÕI PHẢN ÁNH, KIẾN NGHỊ"
COLUMNS = [
    Column("STT", 6, "int"),
    Column("Mã phản ánh", 17),
    Column("Ngày tiếp nhận", 13, "date"),
    Column("Người gửi", 22),
    Column("Lĩnh vực", 22),
    Column("Nội dung tóm tắt", 55),
    Column("Khu vực", 16),
    Column("Trạng thái", 18),
    Column("Hạn trả lời", 13, "date"),
    Column("Ngày trả lời", 13, "date"),
    Column("Đúng hạn", 12),
    Column("Chuyển đến", 24),
    Column("Đánh giá (1–5)", 10, "int"),
    Column("Kênh", 10),
]


def summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def on_time(pakn: Pakn, as_of: dt.datetime) -> str:
    if pakn.answered_at is not None:
        return "Đúng hạn" if pakn.answered_at <= pakn.due_at else "Trễ hạn"
    if pakn.state in OPEN:
        return "Quá hạn" if as_of > pakn.due_at else "Chưa đến hạn"
    return "–"


def category_label(book: PolicyBook | None, unit: str, key: str) -> str:
    if book is not None:
        try:
            policy = book.policy(unit)
        except LookupError:
            policy = None
        if policy is not None and key in policy.categories:
            return policy.label(key)
    return CATEGORY_LABELS.get(key, key)


async def build_register(
    sess: AsyncSession,
    unit: Unit,
    period: Period,
    *,
    tz: str,
    book: PolicyBook | None,
    now: dt.datetime,
    author: str = "",
) -> Report:
    start, end = period.bounds(tz)
    zone = ZoneInfo(tz)
    as_of = min(now, end)
    result = await sess.execute(
        select(Pakn)
        .where(Pakn.unit == unit.key, Pakn.received_at >= start, Pakn.received_at < end)
        .order_by(Pakn.received_at, Pakn.id)
    )

    def day(value: dt.datetime | None) -> dt.date | None:
        return value.astimezone(zone).date() if value else None

    rows = []
    for n, pakn in enumerate(result.scalars(), start=1):
        sender = pakn.sender_name or ("(đã ẩn danh)" if pakn.anonymised_at else "")
        rows.append(
            [
                n,
                pakn.code,
                day(pakn.received_at),
                sender,
                category_label(book, unit.key, pakn.category),
                summary(pakn.content),
                pakn.area or "",
                STATE_LABELS.get(pakn.state, pakn.state),
                day(pakn.due_at),
                day(pakn.answered_at),
                on_time(pakn, as_of),
                pakn.forwarded_to or "",
                pakn.rating,
                pakn.channel,
            ]
        )
    return Report.of(
        "pakn",
        TITLE,
        unit,
        period,
        created_at=now.astimezone(zone),
        columns=list(COLUMNS),
        rows=rows,
        notes=[
            "Sổ gồm các phản ánh, kiến nghị tiếp nhận trong kỳ. Hạn trả lời tính theo ngày "
            "làm việc (không kể thứ Bảy, Chủ nhật, ngày nghỉ lễ, Tết) theo thời hạn xử lý phản "
            "ánh, kiến nghị của đơn vị. “Quá hạn”: chưa trả lời khi đã qua hạn, tính đến "
            f"{as_of.astimezone(zone):%d/%m/%Y %H:%M}.",
        ],
        author=author,
    )
