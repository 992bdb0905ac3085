"""The periodic report on communication work (báo cáo định kỳ công tác thông tin, tuyên truyền).

The unit's plans ask for reports every month, quarter, 6 months, 9 months and year, folded into
the administrative-reform report. This gathers what the bot measures for such a period:
- PAKN: received, answered, answered on time and its share, still overdue, ratings and
  satisfaction (bot.pakn.kpi), received per category;
- FAQ: questions asked, answered at once, clarified, not answered, passed to staff, helpful;
- subscribers and campaign reach (campaign tables, read only; left out if unavailable);
- messages per channel (citizens' messages, replies delivered, people who wrote).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.units import Unit
from bot.db import faq_log
from bot.db.models import Message
from bot.db.models_pakn import Pakn
from bot.pakn import kpi
from bot.pakn.policy import PolicyBook
from bot.reports.formats import Column, Report, Share
from bot.reports.periods import Period
from bot.reports.register import category_label

log = logging.getLogger(__name__)
TITLE = "BÁO CÁO KẾT QUẢ CÔNG TÁC THÔNG TIN, TUYÊN TRUYỀN QUA LOA XÃ"
COLUMNS = [
    Column("Nhóm", 24),
    Column("Chỉ tiêu", 50),
    Column("Giá trị", 12, "value"),
    Column("Ghi chú", 44),
]
CHANNEL_LABELS = {"telegram": "Telegram", "zalo": "Zalo OA", "zalo_bot": "Zalo Bot", "web": "Web"}
PAKN = "Phản ánh, kiến nghị"
FAQ = "Hỏi đáp thủ tục hành chính"
SUBS = "Nhận tin, chiến dịch"
CHANNELS = "Tin nhắn theo kênh"


def _share(part: int, whole: int) -> Share | None:
    return Share(round(part / whole, 4)) if whole else None


async def _pakn_rows(
    sess: AsyncSession,
    unit: str,
    bounds: tuple[dt.datetime, dt.datetime],
    as_of: dt.datetime,
    book: PolicyBook | None,
    tz: str,
) -> tuple[list[list[Any]], list[list[Any]]]:
    """The PAKN rows, and the FAQ feedback rows (👍/👎 are part of bot.pakn.kpi)."""
    start, end = bounds
    k = await kpi.compute(sess, unit, start, end, as_of=as_of)
    rows: list[list[Any]] = [
        [PAKN, "Số phản ánh, kiến nghị tiếp nhận", k.received, ""],
        [PAKN, "Số đã trả lời", k.answered, "Trả lời trong kỳ (kể cả PAKN nhận kỳ trước)"],
        [PAKN, "Số trả lời đúng hạn", k.answered_on_time, "Trả lời không muộn hơn hạn"],
        [PAKN, "Tỷ lệ trả lời đúng hạn (%)", _share(k.answered_on_time, k.answered), ""],
        [
            PAKN,
            "Số quá hạn chưa trả lời",
            k.overdue_open,
            f"Tính đến {as_of.astimezone(ZoneInfo(tz)):%d/%m/%Y %H:%M}",
        ],
        [PAKN, "Số lượt người dân đánh giá", k.rated, ""],
        [PAKN, "Số lượt hài lòng (4–5 sao)", k.satisfied, ""],
        [PAKN, "Tỷ lệ hài lòng (%)", _share(k.satisfied, k.rated), ""],
        [PAKN, "Điểm đánh giá trung bình (1–5)", k.average_rating, ""],
    ]
    per_category = await sess.execute(
        select(Pakn.category, func.count())
        .where(Pakn.unit == unit, Pakn.received_at >= start, Pakn.received_at < end)
        .group_by(Pakn.category)
        .order_by(Pakn.category)
    )
    for category, n in per_category:
        label = category_label(book, unit, str(category))
        rows.append([PAKN, f"Tiếp nhận – lĩnh vực “{label}”", int(n), ""])
    faq_total = k.faq_helpful + k.faq_not_helpful
    feedback: list[list[Any]] = [
        [FAQ, "Lượt bấm “hữu ích”", k.faq_helpful, ""],
        [FAQ, "Lượt bấm “chưa hữu ích”", k.faq_not_helpful, ""],
        [FAQ, "Tỷ lệ hữu ích (%)", _share(k.faq_helpful, faq_total), ""],
    ]
    return rows, feedback


async def _faq_rows(
    sess: AsyncSession, unit: str, start: dt.datetime, end: dt.datetime
) -> list[list[Any]]:
    o = await faq_log.outcomes(sess, unit, start, end)
    return [
        [FAQ, "Số câu hỏi người dân gửi", o.total, ""],
        [FAQ, "Trả lời được ngay", o.answered, ""],
        [
            FAQ,
            "Hỏi lại để người dân chọn",
            o.clarified,
            f"Bot đưa tối đa 3 gợi ý; người dân chọn được {o.clarified_chosen}, "
            f"không thấy mục phù hợp {o.clarified_none}",
        ],
        [
            FAQ,
            "Chưa trả lời được",
            o.unanswered,
            "Bot không biết, hoặc người dân không thấy gợi ý nào phù hợp; "
            "bot chỉ đường dây nóng / chuyển cán bộ",
        ],
        [FAQ, "Tỷ lệ trả lời được ngay (%)", _share(o.answered, o.total), ""],
        [FAQ, "Câu hỏi chuyển cho cán bộ", o.handed, ""],
    ]


async def _campaign_rows(
    sess: AsyncSession, unit: str, start: dt.datetime, end: dt.datetime
) -> list[list[Any]]:
    try:
        from bot.db.models import Contact
        from bot.db.models_campaigns import CampaignOutbox, Subscription
    except ImportError:  # the campaigns feature is not installed
        return []
    subscribed = select(Subscription.contact_id).join(
        Contact, Contact.id == Subscription.contact_id
    )
    at_end = await sess.execute(
        select(func.count(func.distinct(Subscription.contact_id)))
        .join(Contact, Contact.id == Subscription.contact_id)
        .where(
            Subscription.unit == unit, Subscription.created_at < end, Contact.blocked.is_(False)
        )
    )
    new = await sess.execute(
        select(func.count(func.distinct(Subscription.contact_id))).where(
            Subscription.unit == unit,
            Subscription.created_at >= start,
            Subscription.created_at < end,
            Subscription.contact_id.not_in(
                subscribed.where(Subscription.unit == unit, Subscription.created_at < start)
            ),
        )
    )
    sent = and_(
        CampaignOutbox.unit == unit,
        CampaignOutbox.status == "sent",
        CampaignOutbox.sent_at >= start,
        CampaignOutbox.sent_at < end,
    )
    campaigns = await sess.execute(
        select(func.count(func.distinct(CampaignOutbox.campaign_id))).where(sent)
    )
    rows: list[list[Any]] = [
        [
            SUBS,
            "Người đăng ký nhận tin (cuối kỳ)",
            int(at_end.scalar_one()),
            "Trừ người đã chặn bot",
        ],
        [SUBS, "Người đăng ký mới trong kỳ", int(new.scalar_one()), ""],
        [SUBS, "Số chiến dịch đã gửi tin", int(campaigns.scalar_one()), ""],
    ]
    reach = await sess.execute(
        select(CampaignOutbox.channel, func.count(func.distinct(CampaignOutbox.contact_id)))
        .where(sent)
        .group_by(CampaignOutbox.channel)
        .order_by(CampaignOutbox.channel)
    )
    total = 0
    for channel, n in reach:
        total += int(n)
        rows.append([SUBS, f"Người nhận tin – {CHANNEL_LABELS.get(channel, channel)}", int(n), ""])
    rows.append([SUBS, "Lượt người nhận tin chiến dịch (mọi kênh)", total, "Gửi thành công"])
    return rows


async def _channel_rows(
    sess: AsyncSession, unit: str, start: dt.datetime, end: dt.datetime
) -> list[list[Any]]:
    in_period = and_(Message.unit == unit, Message.created_at >= start, Message.created_at < end)
    counts = await sess.execute(
        select(
            Message.channel,
            func.coalesce(func.sum(case((Message.direction == "in", 1), else_=0)), 0),
            func.coalesce(
                func.sum(
                    case((and_(Message.direction == "out", Message.status == "sent"), 1), else_=0)
                ),
                0,
            ),
            func.count(func.distinct(case((Message.direction == "in", Message.contact_id)))),
        )
        .where(in_period)
        .group_by(Message.channel)
        .order_by(Message.channel)
    )
    rows: list[list[Any]] = []
    people = 0
    for channel, incoming, outgoing, contacts in counts:
        label = CHANNEL_LABELS.get(channel, channel)
        rows.append([CHANNELS, f"{label}: tin nhắn người dân gửi", int(incoming), ""])
        rows.append([CHANNELS, f"{label}: tin nhắn đã gửi tới người dân", int(outgoing), ""])
        people += int(contacts)
    rows.append([CHANNELS, "Số người dân đã nhắn tin (cộng các kênh)", people, ""])
    return rows


async def build_period_report(
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
    as_of = min(now, end)
    pakn_rows, feedback_rows = await _pakn_rows(sess, unit.key, (start, end), as_of, book, tz)
    try:
        campaign_rows = await _campaign_rows(sess, unit.key, start, end)
    except Exception:  # read only and optional: never let it break the report
        log.warning("report: campaign figures unavailable", exc_info=True)
        campaign_rows = []
    all_rows = (
        pakn_rows
        + await _faq_rows(sess, unit.key, start, end)
        + feedback_rows
        + campaign_rows
        + await _channel_rows(sess, unit.key, start, end)
    )
    sections = list(dict.fromkeys(r[0] for r in all_rows))
    zone = ZoneInfo(tz)
    return Report.of(
        "period",
        TITLE,
        unit,
        period,
        created_at=now.astimezone(zone),
        columns=list(COLUMNS),
        rows=all_rows,
        sections=sections,
        notes=[
            f"Số liệu từ {period.start:%d/%m/%Y} đến hết {period.last_day:%d/%m/%Y} "
            "(theo kỳ dương lịch), do hệ thống Loa Xã ghi nhận.",
            "Đúng hạn: trả lời không muộn hơn hạn trả lời; hạn tính theo ngày làm việc (không "
            "kể thứ Bảy, Chủ nhật, ngày nghỉ lễ, Tết) theo thời hạn xử lý phản ánh, kiến nghị "
            "của đơn vị. Tỷ lệ để trống (–) khi chưa có số liệu.",
        ],
        author=author,
    )
