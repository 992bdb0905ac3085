"""The register and the periodic report built from a seeded database (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.services import Services
from bot.db import queries
from bot.db.engine import make_engine, make_sessionmaker, migrate
from bot.db.models import FaqQuery, Message
from bot.db.models_campaigns import Campaign, CampaignOutbox, Subscription
from bot.reports import periods
from bot.reports.period_report import build_period_report
from bot.reports.register import build_register
from tests.reports.helpers import UNIT, staff_actor, submit

VN = dt.timezone(dt.timedelta(hours=7))
TZ = "Asia/Ho_Chi_Minh"
NOW = dt.datetime(2026, 4, 2, 9, 0, tzinfo=VN)
Q1 = periods.parse("2026-Q1")


def at(month: int, day: int, year: int = 2026, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=VN)


@pytest.fixture
async def sm(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(db_url)
    await migrate(engine)
    yield make_sessionmaker(engine)
    await engine.dispose()


async def seed(sess: AsyncSession, services: Services) -> dict[str, Any]:
    svc = services.pakn
    assert svc is not None
    actor = staff_actor()
    a = await submit(sess, services, when=at(1, 12), external_id="a", area="Ấp 1")
    await svc.receive(sess, a, actor, at(1, 12, hour=10))
    await svc.answer(sess, a, actor, at(1, 14), "Đã sửa.")
    assert a.contact_id is not None
    assert await svc.rate(sess, a, a.contact_id, 5, at(1, 15))
    b = await submit(sess, services, when=at(2, 2), external_id="b", channel="telegram")
    late = await submit(sess, services, when=at(11, 3, year=2025), external_id="c")
    await svc.receive(sess, late, actor, at(11, 4, year=2025))
    await svc.answer(sess, late, actor, at(1, 5), "Trả lời muộn.")
    for decision, n in (("answer", 3), ("clarify", 1), ("fallback", 2)):
        for i in range(n):
            sess.add(
                FaqQuery(
                    unit=UNIT,
                    text="q",
                    normalized="q",
                    decision=decision,
                    handed_to_staff=(decision == "fallback" and i == 0),
                    feedback=1 if decision == "answer" and i == 0 else None,
                    created_at=at(3, 1),
                )
            )
    sess.add(
        FaqQuery(
            unit=UNIT, text="q", normalized="q", decision="answer", created_at=at(12, 1, 2025)
        )
    )
    # Subscribers: one before the quarter, one new in it, one who blocked the bot.
    subs = []
    for ext, when, blocked in (
        ("s1", at(12, 1, 2025), False),
        ("s2", at(2, 1), False),
        ("s3", at(2, 1), True),
    ):
        contact = await queries.get_or_create_contact(
            sess, unit=UNIT, channel="telegram", external_id=ext, now=when
        )
        await sess.flush()
        contact.blocked = blocked
        sess.add(
            Subscription(
                contact_id=contact.id, unit=UNIT, kind="topic", key="dvc", created_at=when
            )
        )
        subs.append(contact)
    campaign = Campaign(unit=UNIT, title="Tin", template="Nội dung", author="tnv", status="done")
    sess.add(campaign)
    await sess.flush()
    for contact in subs[:2]:
        sess.add(
            CampaignOutbox(
                campaign_id=campaign.id,
                contact_id=contact.id,
                unit=UNIT,
                channel="telegram",
                status="sent",
                sent_at=at(3, 5),
            )
        )
    sess.add(
        Message(
            unit=UNIT,
            channel="telegram",
            contact_id=subs[0].id,
            direction="out",
            text="x",
            status="sent",
            created_at=at(3, 6),
        )
    )
    await sess.flush()
    return {"a": a, "b": b, "late": late}


async def test_period_report_indicators(
    sm: async_sessionmaker[AsyncSession], services: Services
) -> None:
    async with sm.begin() as sess:
        await seed(sess, services)
    async with sm() as sess:
        report = await build_period_report(
            sess, services.units[UNIT], Q1, tz=TZ, book=services.pakn.policies, now=NOW
        )
    values = {row[1]: row[2] for row in report.rows}
    assert values["Số phản ánh, kiến nghị tiếp nhận"] == 2
    assert values["Số đã trả lời"] == 2  # a (on time) and the late one from 2025
    assert values["Số trả lời đúng hạn"] == 1
    assert values["Tỷ lệ trả lời đúng hạn (%)"] == 0.5
    assert values["Số quá hạn chưa trả lời"] == 1  # b, still open at the end of March
    assert values["Số lượt hài lòng (4–5 sao)"] == 1
    assert values["Tỷ lệ hài lòng (%)"] == 1.0
    assert values["Điểm đánh giá trung bình (1–5)"] == 5.0
    assert values["Tiếp nhận – lĩnh vực “Khác”"] == 2
    assert values["Số câu hỏi người dân gửi"] == 6
    assert values["Trả lời được ngay"] == 3
    assert values["Hỏi lại để người dân chọn"] == 1
    assert values["Chưa trả lời được"] == 2
    assert values["Tỷ lệ trả lời được ngay (%)"] == 0.5
    assert values["Câu hỏi chuyển cho cán bộ"] == 1
    assert values["Lượt bấm “hữu ích”"] == 1
    assert values["Người đăng ký nhận tin (cuối kỳ)"] == 2
    assert values["Người đăng ký mới trong kỳ"] == 2  # s2 and s3 (s3 blocked later)
    assert values["Số chiến dịch đã gửi tin"] == 1
    assert values["Người nhận tin – Telegram"] == 2
    assert values["Web: tin nhắn người dân gửi"] == 1
    assert values["Telegram: tin nhắn người dân gửi"] == 1
    assert values["Telegram: tin nhắn đã gửi tới người dân"] == 1
    assert values["Số người dân đã nhắn tin (cộng các kênh)"] == 2
    assert report.sections == [
        "Phản ánh, kiến nghị",
        "Hỏi đáp thủ tục hành chính",
        "Nhận tin, chiến dịch",
        "Tin nhắn theo kênh",
    ]


async def test_register_rows(sm: async_sessionmaker[AsyncSession], services: Services) -> None:
    async with sm.begin() as sess:
        seeded = await seed(sess, services)
    async with sm() as sess:
        report = await build_register(
            sess, services.units[UNIT], Q1, tz=TZ, book=services.pakn.policies, now=NOW
        )
    assert [r[1] for r in report.rows] == [seeded["a"].code, seeded["b"].code]
    a, b = report.rows
    assert a[0] == 1 and a[2] == dt.date(2026, 1, 12) and a[3] == "Nguyễn Văn Bình"
    assert a[6] == "Ấp 1" and a[7] == "Đã trả lời" and a[9] == dt.date(2026, 1, 14)
    assert a[10] == "Đúng hạn" and a[12] == 5 and a[13] == "web"
    assert b[7] == "Mới, chờ tiếp nhận" and b[9] is None and b[10] == "Quá hạn"
    flat = str(report.rows)
    assert "912" not in flat  # no phone numbers in the register


async def test_empty_unit_and_period(
    sm: async_sessionmaker[AsyncSession], services: Services
) -> None:
    async with sm() as sess:
        report = await build_period_report(
            sess, services.units[UNIT], Q1, tz=TZ, book=None, now=NOW
        )
        register = await build_register(sess, services.units[UNIT], Q1, tz=TZ, book=None, now=NOW)
    values = {row[1]: row[2] for row in report.rows}
    assert values["Số phản ánh, kiến nghị tiếp nhận"] == 0
    assert values["Tỷ lệ trả lời đúng hạn (%)"] is None
    assert register.rows == []
