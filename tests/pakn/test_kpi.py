"""PAKN and FAQ indicators on hand-made data (both database backends)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.engine import make_engine, make_sessionmaker, migrate
from bot.db.models import FaqQuery
from bot.db.models_pakn import Pakn
from bot.pakn import kpi

UNIT = "xa-binh-minh"
UTC = dt.UTC
START = dt.datetime(2026, 11, 1, tzinfo=UTC)
END = dt.datetime(2026, 12, 1, tzinfo=UTC)


def day(d: int, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, d, 3, 0, tzinfo=UTC)


@pytest.fixture
async def sm(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = make_engine(db_url)
    await migrate(engine)
    yield make_sessionmaker(engine)
    await engine.dispose()


def pakn(n: int, **fields: Any) -> Pakn:
    base: dict[str, Any] = {
        "unit": UNIT,
        "code": f"PA-T{n:02d}",
        "channel": "web",
        "category": "khac",
        "content": "x",
        "attachments": [],
        "state": "new",
        "received_at": day(2),
        "due_at": day(16),
        "idempotency_key": f"k{n}",
        "updated_at": day(2),
    }
    return Pakn(**{**base, **fields})


async def test_kpis_on_hand_made_data(sm: async_sessionmaker[AsyncSession]) -> None:
    rows = [
        # answered on time, rated 5
        pakn(1, state="closed", answered_at=day(10), rating=5, rated_at=day(11)),
        # answered late (after due_at), rated 2
        pakn(2, state="answered", answered_at=day(20), rating=2, rated_at=day(21)),
        # answered on time, rated 4 but in December (outside the period)
        pakn(3, state="answered", answered_at=day(15), rating=4, rated_at=day(2, 12)),
        # open and overdue (due 16/11 < 30/11)
        pakn(4, state="in_progress"),
        # open, not yet due
        pakn(5, state="received", due_at=day(5, 12)),
        # forwarded and overdue: still open for the citizen
        pakn(6, state="forwarded"),
        # rejected: not answered, not open
        pakn(7, state="rejected"),
        # received in October, answered in the period on time
        pakn(8, state="answered", received_at=day(20, 10), due_at=day(3), answered_at=day(3)),
        # another unit: ignored
        pakn(9, unit="phuong-phuoc-tan", state="in_progress"),
    ]
    faq = [
        FaqQuery(
            unit=UNIT,
            text="q",
            normalized="q",
            decision="answer",
            confidence=0.9,
            feedback=fb,
            handed_to_staff=False,
            created_at=when,
        )
        for fb, when in ((1, day(3)), (1, day(4)), (-1, day(5)), (None, day(6)), (-1, day(3, 12)))
    ]
    async with sm.begin() as sess:
        sess.add_all(rows + faq)
    async with sm() as sess:
        k = await kpi.compute(sess, UNIT, START, END, as_of=day(30))
    assert k.received == 7  # 1-7 (8 came in October, 9 is another unit)
    assert k.answered == 4  # 1, 2, 3, 8
    assert k.answered_on_time == 3  # 1, 3, 8 (2 was late)
    assert k.on_time_share == 0.75
    assert k.overdue_open == 2  # 4, 6
    assert (k.rated, k.satisfied) == (2, 1)  # 1 (5) and 2 (2); 3 was rated in December
    assert k.satisfaction_share == 0.5
    assert k.average_rating == 3.5
    assert (k.faq_helpful, k.faq_not_helpful) == (2, 1)
    assert k.faq_helpful_share == pytest.approx(2 / 3, abs=1e-4)
    data = k.to_dict()
    assert data["unit"] == UNIT and data["average_rating"] == 3.5


async def test_empty_period_has_no_shares(sm: async_sessionmaker[AsyncSession]) -> None:
    async with sm() as sess:
        k = await kpi.compute(sess, UNIT, START, END)
    assert (k.received, k.answered, k.overdue_open) == (0, 0, 0)
    assert k.on_time_share is None and k.satisfaction_share is None
    assert k.average_rating is None and k.faq_helpful_share is None
